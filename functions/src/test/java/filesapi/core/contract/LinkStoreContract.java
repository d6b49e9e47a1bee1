package filesapi.core.contract;

import static filesapi.core.contract.Fixtures.all;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Ids;
import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileStore;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkStore;
import filesapi.core.links.LinkTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LinkStore} does: the fake, and DynamoLinkStore on each backend. */
public abstract class LinkStoreContract {
    private static final long NOW = 1_700_000_000L;

    /** The store under test; it may share its table with other tests, which use other tenants. */
    protected abstract LinkStore newStore();

    /** The files the store under test writes when it stores a file with its first link. */
    protected abstract FileStore files();

    protected LinkStore store;
    protected Tenant tenant;
    protected FileRecord file;

    @BeforeEach
    public void setUpStore() {
        store = newStore();
        tenant = Fixtures.tenant();
        file = new FileRecord(Ids.newId("file_", NOW * 1000), tenant, Purpose.DISPUTE_EVIDENCE,
                filesapi.core.files.FileType.PDF, "application/pdf", 10, "evidence.pdf", null, NOW - 100,
                NOW + 86_400, "expire-270d/" + tenant.account() + "/test/f", false);
    }

    private static List<String> ids(Page<LinkRecord> page) {
        return page.data().stream().map(LinkRecord::id).toList();
    }

    private static List<String> ids(List<LinkRecord> links) {
        return links.stream().map(LinkRecord::id).toList();
    }

    private static List<LinkRecord> newestFirst(List<LinkRecord> links) {
        List<LinkRecord> sorted = new ArrayList<>(links);
        sorted.sort(Comparator.comparingLong(LinkRecord::created).thenComparing(LinkRecord::id).reversed());
        return sorted;
    }

    private LinkRecord insert(FileRecord of, long created, Long expiresAt) {
        LinkRecord link = Fixtures.link(of, created, expiresAt);
        store.insert(link, of);
        return link;
    }

    @Test
    public void aLinkReadsBackAsItWasStored() {
        LinkRecord link = new LinkRecord(Ids.newId("link_", NOW * 1000), tenant, file.id(), NOW, NOW + 3600,
                Map.of("order", "6735", "note", "ü and spaces"), Ids.token(32), 1);
        store.insert(link, file);
        assertEquals(Optional.of(link), store.find(tenant, link.id()));
        LinkRecord bare = insert(file, NOW, null);
        assertEquals(Optional.of(bare), store.find(tenant, bare.id()));
    }

    @Test
    public void itsTokenOpensWhatTheFileAndLinkSay() {
        LinkRecord link = insert(file, NOW, NOW + 3600);
        assertEquals(Optional.of(new LinkTarget(NOW + 3600, file.expiresAt(), file.blobKey(), file.contentType(),
                file.filename())), store.findByToken(link.token()));
        LinkRecord forever = insert(file, NOW, null);
        assertEquals(Optional.of(new LinkTarget(null, file.expiresAt(), file.blobKey(), file.contentType(),
                file.filename())), store.findByToken(forever.token()));
        assertEquals(Optional.empty(), store.findByToken(Ids.token(32)));
    }

    @Test
    public void aTakenIdOrTokenFailsTheInsertAndWritesNothing() {
        LinkRecord first = insert(file, NOW, null);
        LinkRecord sameId = new LinkRecord(first.id(), tenant, file.id(), NOW, NOW + 10, Map.of(), Ids.token(32), 1);
        assertThrows(IllegalStateException.class, () -> store.insert(sameId, file));
        assertEquals(Optional.empty(), store.findByToken(sameId.token()), "the loser's token was not written");
        LinkRecord sameToken = new LinkRecord(Ids.newId("link_", NOW * 1000), tenant, file.id(), NOW, NOW + 10,
                Map.of(), first.token(), 1);
        assertThrows(IllegalStateException.class, () -> store.insert(sameToken, file));
        assertEquals(Optional.empty(), store.find(tenant, sameToken.id()), "the loser's link was not written");
        assertEquals(Optional.of(first), store.find(tenant, first.id()));
        assertEquals(List.of(first.id()), ids(store.list(tenant, null, null, NOW, all(10))));
        assertEquals(null, store.findByToken(first.token()).orElseThrow().linkExpiresAt());
    }

    @Test
    public void aFileStoredWithItsFirstLinkReadsBackWithIt() {
        FileRecord upload = Fixtures.file(tenant, NOW, Purpose.DISPUTE_EVIDENCE);
        LinkRecord link = Fixtures.link(upload, NOW, NOW + 3600);
        store.insertWithFile(link, upload);
        assertEquals(Optional.of(upload), files().find(tenant, upload.id()));
        assertEquals(List.of(upload.id()), files().list(tenant, null, all(10)).data().stream()
                .map(FileRecord::id).toList());
        assertEquals(Optional.of(link), store.find(tenant, link.id()));
        assertEquals(List.of(link.id()), ids(store.list(tenant, upload.id(), null, NOW, all(10))));
        assertEquals(upload.blobKey(), store.findByToken(link.token()).orElseThrow().blobKey());
    }

    @Test
    public void aFileAndItsFirstLinkAreStoredBothOrNeither() {
        LinkRecord taken = insert(file, NOW, null);
        FileRecord upload = Fixtures.file(tenant, NOW, Purpose.DISPUTE_EVIDENCE);
        LinkRecord sameToken = new LinkRecord(Ids.newId("link_", NOW * 1000), tenant, upload.id(), NOW, null,
                Map.of(), taken.token(), 1);
        assertThrows(IllegalStateException.class, () -> store.insertWithFile(sameToken, upload));
        assertEquals(Optional.empty(), files().find(tenant, upload.id()), "no file without the link it asked for");
        assertEquals(Optional.empty(), store.find(tenant, sameToken.id()));

        files().insert(upload);
        LinkRecord fresh = Fixtures.link(upload, NOW, null);
        assertThrows(IllegalStateException.class, () -> store.insertWithFile(fresh, upload),
                "a file id already taken fails the link too");
        assertEquals(Optional.empty(), store.find(tenant, fresh.id()));
        assertEquals(Optional.empty(), store.findByToken(fresh.token()));
        assertEquals(List.of(), store.list(tenant, upload.id(), null, NOW, all(10)).data());
    }

    @Test
    public void tokensAreGlobalButLinksBelongToTheirTenant() {
        LinkRecord link = insert(file, NOW, null);
        Tenant other = Fixtures.tenant();
        assertEquals(Optional.empty(), store.find(other, link.id()));
        assertEquals(Optional.empty(), store.find(new Tenant(tenant.account(), true), link.id()));
        assertEquals(List.of(), store.list(other, null, null, NOW, all(10)).data());
        FileRecord theirs = new FileRecord(file.id(), other, file.purpose(), file.type(), file.contentType(),
                file.size(), file.filename(), null, file.created(), null, "keep/theirs", false);
        LinkRecord theirLink = new LinkRecord(Ids.newId("link_", NOW * 1000), other, file.id(), NOW, null, Map.of(),
                link.token(), 1);
        assertThrows(IllegalStateException.class, () -> store.insert(theirLink, theirs),
                "a token is unique across tenants");
    }

    @Test
    public void aReplaceOverTheVersionJustBeforeItWins() {
        LinkRecord link = insert(file, NOW, null);
        LinkRecord v2 = link.withChanges(NOW + 600, Map.of("a", "1"));
        assertTrue(store.replace(v2));
        assertEquals(Optional.of(v2), store.find(tenant, link.id()));
        assertEquals(NOW + 600, store.findByToken(link.token()).orElseThrow().linkExpiresAt());
        assertEquals(file.blobKey(), store.findByToken(link.token()).orElseThrow().blobKey());
        LinkRecord v3 = v2.withChanges(null, Map.of());
        assertTrue(store.replace(v3));
        assertEquals(Optional.of(v3), store.find(tenant, link.id()));
        assertEquals(null, store.findByToken(link.token()).orElseThrow().linkExpiresAt(), "the expiry is cleared");
        assertEquals(file.expiresAt(), store.findByToken(link.token()).orElseThrow().fileExpiresAt());
    }

    @Test
    public void aReplaceOverAnOlderVersionLosesAndChangesNothing() {
        LinkRecord link = insert(file, NOW, NOW + 100);
        LinkRecord winner = link.withChanges(NOW + 200, Map.of("who", "winner"));
        LinkRecord loser = link.withChanges(NOW + 300, Map.of("who", "loser"));
        assertTrue(store.replace(winner));
        assertFalse(store.replace(loser));
        assertEquals(Optional.of(winner), store.find(tenant, link.id()));
        assertEquals(NOW + 200, store.findByToken(link.token()).orElseThrow().linkExpiresAt());
        LinkRecord skipping = winner.withChanges(NOW + 400, Map.of()).withChanges(NOW + 500, Map.of());
        assertFalse(store.replace(skipping), "a version ahead of the next one is refused too");
        assertEquals(List.of("winner"), store.list(tenant, file.id(), null, NOW, all(10)).data().stream()
                .map(l -> l.metadata().get("who")).toList());
    }

    @Test
    public void aReplaceOfNoLinkLoses() {
        LinkRecord never = Fixtures.link(file, NOW, null);
        assertFalse(store.replace(never.withChanges(null, Map.of("a", "b"))));
        assertEquals(Optional.empty(), store.find(tenant, never.id()));
    }

    @Test
    public void listsShowTheLatestVersionOfEachLink() {
        LinkRecord link = insert(file, NOW, null);
        LinkRecord v2 = link.withChanges(NOW + 60, Map.of("k", "v"));
        assertTrue(store.replace(v2));
        assertEquals(List.of(v2), store.list(tenant, null, null, NOW, all(10)).data());
        assertEquals(List.of(v2), store.list(tenant, file.id(), null, NOW, all(10)).data());
    }

    @Test
    public void listsOfAFileHoldOnlyItsLinksNewestFirst() {
        FileRecord other = new FileRecord(Ids.newId("file_", NOW * 1000), tenant, file.purpose(), file.type(),
                file.contentType(), 1, "b.pdf", null, NOW, null, "keep/b", false);
        List<LinkRecord> mine = new ArrayList<>();
        for (long created : new long[] {NOW, NOW + 5, NOW, NOW + 9}) {
            mine.add(insert(file, created, null));
        }
        LinkRecord theirs = insert(other, NOW + 1, null);
        assertEquals(ids(newestFirst(mine)), ids(store.list(tenant, file.id(), null, NOW, all(10))));
        assertEquals(List.of(theirs.id()), ids(store.list(tenant, other.id(), null, NOW, all(10))));
        List<LinkRecord> everything = new ArrayList<>(mine);
        everything.add(theirs);
        assertEquals(ids(newestFirst(everything)), ids(store.list(tenant, null, null, NOW, all(10))));
        assertEquals(List.of(), store.list(tenant, "file_none", null, NOW, all(10)).data());
    }

    @Test
    public void theExpiredFilterTakesTheExpiryStateAtTheGivenTime() {
        LinkRecord forever = insert(file, NOW - 50, null);
        LinkRecord expiredLongAgo = insert(file, NOW - 40, NOW - 30);
        LinkRecord expiresNow = insert(file, NOW - 30, NOW);
        LinkRecord expiresLater = insert(file, NOW - 20, NOW + 1);
        assertEquals(ids(newestFirst(List.of(expiredLongAgo, expiresNow))),
                ids(store.list(tenant, null, true, NOW, all(10))), "expired once now reaches expires_at");
        assertEquals(ids(newestFirst(List.of(forever, expiresLater))),
                ids(store.list(tenant, file.id(), false, NOW, all(10))));
        assertEquals(4, store.list(tenant, null, null, NOW, all(10)).data().size());
        assertEquals(ids(newestFirst(List.of(expiredLongAgo, expiresNow, expiresLater))),
                ids(store.list(tenant, null, true, NOW + 1, all(10))), "a later time, a later state");
    }

    @Test
    public void filteredPagesCountOnlyMatchingLinksForLimitAndHasMore() {
        List<LinkRecord> live = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            live.add(insert(file, NOW - 100 + 2 * i, null));
            insert(file, NOW - 99 + 2 * i, NOW - 1);
        }
        List<String> expected = ids(newestFirst(live));
        Page<LinkRecord> first = store.list(tenant, null, false, NOW, all(4));
        assertEquals(expected.subList(0, 4), ids(first));
        assertTrue(first.hasMore());
        LinkRecord last = first.data().get(3);
        Page<LinkRecord> second = store.list(tenant, null, false, NOW, new ListWindow(4, 0, Long.MAX_VALUE,
                new ListWindow.Cursor(last.created(), last.id()), null));
        assertEquals(expected.subList(4, 6), ids(second));
        assertFalse(second.hasMore(), "the expired links after the last live one do not count");
        Page<LinkRecord> exact = store.list(tenant, null, false, NOW, all(6));
        assertEquals(expected, ids(exact));
        assertFalse(exact.hasMore());
        LinkRecord oldest = live.get(0);
        Page<LinkRecord> before = store.list(tenant, null, false, NOW, new ListWindow(2, 0, Long.MAX_VALUE, null,
                new ListWindow.Cursor(oldest.created(), oldest.id())));
        assertEquals(expected.subList(3, 5), ids(before));
        assertTrue(before.hasMore());
    }

    @Test
    public void cursorsAndTheCreatedRangeApplyToLinks() {
        List<LinkRecord> links = new ArrayList<>();
        for (long created : new long[] {100, 200, 300, 400}) {
            links.add(insert(file, created, null));
        }
        List<LinkRecord> sorted = newestFirst(links);
        assertEquals(ids(sorted.subList(1, 3)), ids(store.list(tenant, null, null, NOW,
                new ListWindow(10, 200, 400, null, null))));
        LinkRecord top = sorted.get(0);
        Page<LinkRecord> after = store.list(tenant, file.id(), null, NOW, new ListWindow(2, 0, Long.MAX_VALUE,
                new ListWindow.Cursor(top.created(), top.id()), null));
        assertEquals(ids(sorted.subList(1, 3)), ids(after));
        assertTrue(after.hasMore());
    }
}
