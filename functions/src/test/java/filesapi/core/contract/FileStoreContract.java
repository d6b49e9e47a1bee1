package filesapi.core.contract;

import static filesapi.core.contract.Fixtures.all;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileStore;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FileStore} does: the fake, and DynamoFileStore on each backend. */
public abstract class FileStoreContract {
    /** The store under test; it may share its table with other tests, which use other tenants. */
    protected abstract FileStore newStore();

    protected FileStore store;
    protected Tenant tenant;

    @BeforeEach
    public void setUpStore() {
        store = newStore();
        tenant = Fixtures.tenant();
    }

    private static List<String> ids(Page<FileRecord> page) {
        return page.data().stream().map(FileRecord::id).toList();
    }

    /** Files at these created times, returned newest first (created, then id, descending). */
    private List<FileRecord> insertAt(Purpose purpose, long... created) {
        List<FileRecord> files = new ArrayList<>();
        for (long c : created) {
            FileRecord f = Fixtures.file(tenant, c, purpose);
            store.insert(f);
            files.add(f);
        }
        files.sort(Comparator.comparingLong(FileRecord::created).thenComparing(FileRecord::id).reversed());
        return files;
    }

    @Test
    public void aFileReadsBackAsItWasStored() {
        FileRecord plain = Fixtures.file(tenant, 1_700_000_000L, Purpose.DISPUTE_EVIDENCE);
        FileRecord full = new FileRecord(Fixtures.file(tenant, 1_700_000_001L, Purpose.IDENTITY_DOCUMENT).id(),
                tenant, Purpose.IDENTITY_DOCUMENT, FileType.PNG, "image/png", 42, "scan ü.png", "A title",
                1_700_000_001L, 1_800_000_000L, "keep/x/y/z", true);
        FileRecord bare = new FileRecord(Fixtures.file(tenant, 1_700_000_002L, Purpose.PCI_DOCUMENT).id(), tenant,
                Purpose.PCI_DOCUMENT, null, null, 0, null, null, 1_700_000_002L, null, "keep/bare", false);
        for (FileRecord f : List.of(plain, full, bare)) {
            store.insert(f);
            assertEquals(Optional.of(f), store.find(tenant, f.id()));
        }
    }

    @Test
    public void anUnknownIdFindsNothing() {
        assertEquals(Optional.empty(), store.find(tenant, "file_doesnotexist"));
    }

    @Test
    public void anIdTakenFailsTheInsertAndKeepsTheFirstFile() {
        FileRecord first = Fixtures.file(tenant, 1_700_000_000L, Purpose.DISPUTE_EVIDENCE);
        store.insert(first);
        FileRecord again = new FileRecord(first.id(), tenant, Purpose.PCI_DOCUMENT, FileType.PDF, "application/pdf",
                9, "other.pdf", null, 1_700_000_500L, null, "keep/other", false);
        assertThrows(IllegalStateException.class, () -> store.insert(again));
        assertEquals(Optional.of(first), store.find(tenant, first.id()));
        assertEquals(List.of(first.id()), ids(store.list(tenant, null, all(10))));
        assertEquals(List.of(), ids(store.list(tenant, "pci_document", all(10))), "no list entry for the loser");
    }

    @Test
    public void filesBelongToTheirTenantAndMode() {
        FileRecord f = Fixtures.file(tenant, 1_700_000_000L, Purpose.DISPUTE_EVIDENCE);
        store.insert(f);
        Tenant live = new Tenant(tenant.account(), true);
        Tenant other = Fixtures.tenant();
        assertEquals(Optional.empty(), store.find(live, f.id()));
        assertEquals(Optional.empty(), store.find(other, f.id()));
        assertEquals(List.of(), store.list(live, null, all(10)).data());
        assertEquals(List.of(), store.list(other, null, all(10)).data());
        // The same id in another tenant is another file.
        FileRecord theirs = new FileRecord(f.id(), other, f.purpose(), f.type(), f.contentType(), f.size(),
                "theirs.pdf", null, f.created(), null, "keep/theirs", false);
        store.insert(theirs);
        assertEquals(Optional.of(theirs), store.find(other, f.id()));
        assertEquals(Optional.of(f), store.find(tenant, f.id()));
    }

    @Test
    public void listsNewestFirstWithTiesByIdDescending() {
        List<FileRecord> files = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 300, 200, 300, 100, 300);
        Page<FileRecord> page = store.list(tenant, null, all(10));
        assertEquals(files, page.data());
        assertFalse(page.hasMore());
    }

    @Test
    public void listsOfAPurposeHoldOnlyThatPurpose() {
        List<FileRecord> evidence = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 200);
        List<FileRecord> pci = insertAt(Purpose.PCI_DOCUMENT, 150);
        assertEquals(ids(new Page<>(evidence, false)), ids(store.list(tenant, "dispute_evidence", all(10))));
        assertEquals(ids(new Page<>(pci, false)), ids(store.list(tenant, "pci_document", all(10))));
        assertEquals(List.of(), store.list(tenant, "business_logo", all(10)).data());
        assertEquals(3, store.list(tenant, null, all(10)).data().size());
    }

    @Test
    public void startingAfterPagesThroughEveryFileOnceAndHasMoreUntilTheLast() {
        List<FileRecord> files = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 100, 100, 200, 300);
        List<FileRecord> seen = new ArrayList<>();
        ListWindow.Cursor after = null;
        List<Boolean> hasMore = new ArrayList<>();
        do {
            Page<FileRecord> page = store.list(tenant, null, new ListWindow(2, 0, Long.MAX_VALUE, after, null));
            seen.addAll(page.data());
            hasMore.add(page.hasMore());
            FileRecord last = page.data().get(page.data().size() - 1);
            after = page.hasMore() ? new ListWindow.Cursor(last.created(), last.id()) : null;
        } while (after != null);
        assertEquals(files, seen);
        assertEquals(List.of(true, true, false), hasMore);
    }

    @Test
    public void endingBeforeGivesTheFilesJustNewerNewestFirst() {
        List<FileRecord> files = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 200, 200, 300, 400);
        FileRecord cursor = files.get(3);
        Page<FileRecord> page = store.list(tenant, null, new ListWindow(2, 0, Long.MAX_VALUE, null,
                new ListWindow.Cursor(cursor.created(), cursor.id())));
        assertEquals(files.subList(1, 3), page.data());
        assertTrue(page.hasMore(), "the newest is still before the page");
        FileRecord second = files.get(1);
        Page<FileRecord> rest = store.list(tenant, null, new ListWindow(5, 0, Long.MAX_VALUE, null,
                new ListWindow.Cursor(second.created(), second.id())));
        assertEquals(files.subList(0, 1), rest.data());
        assertFalse(rest.hasMore());
    }

    @Test
    public void theCreatedRangeIsHalfOpen() {
        List<FileRecord> files = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 200, 300);
        assertEquals(files.subList(1, 3), store.list(tenant, null, new ListWindow(10, 100, 300, null, null)).data());
        assertEquals(files.subList(1, 2), store.list(tenant, null, new ListWindow(10, 101, 300, null, null)).data());
        assertEquals(files, store.list(tenant, null, new ListWindow(10, 100, 301, null, null)).data());
        assertEquals(List.of(), store.list(tenant, null, new ListWindow(10, 0, 100, null, null)).data());
        assertEquals(List.of(), store.list(tenant, null, new ListWindow(10, 201, 300, null, null)).data());
    }

    @Test
    public void aCreatedRangeAndACursorBothApply() {
        List<FileRecord> files = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 200, 300, 400, 500);
        FileRecord newest = files.get(0);
        Page<FileRecord> after = store.list(tenant, null, new ListWindow(1, 200, 500, new ListWindow.Cursor(
                newest.created(), newest.id()), null));
        assertEquals(files.subList(1, 2), after.data(), "the range's end is below the cursor");
        assertTrue(after.hasMore());
        FileRecord oldest = files.get(4);
        Page<FileRecord> before = store.list(tenant, null, new ListWindow(10, 0, 400, null, new ListWindow.Cursor(
                oldest.created(), oldest.id())));
        assertEquals(files.subList(2, 4), before.data());
        assertFalse(before.hasMore(), "nothing newer within the range");
        Page<FileRecord> lowBound = store.list(tenant, null, new ListWindow(1, 300, Long.MAX_VALUE, null,
                new ListWindow.Cursor(oldest.created(), oldest.id())));
        assertEquals(files.subList(2, 3), lowBound.data(), "the range's start is above the cursor");
        assertTrue(lowBound.hasMore());
    }

    @Test
    public void aLimitOfExactlyTheRemainingFilesHasNoMore() {
        List<FileRecord> files = insertAt(Purpose.DISPUTE_EVIDENCE, 100, 200, 300);
        Page<FileRecord> page = store.list(tenant, null, all(3));
        assertEquals(files, page.data());
        assertFalse(page.hasMore());
        Page<FileRecord> one = store.list(tenant, null, all(1));
        assertEquals(files.subList(0, 1), one.data());
        assertTrue(one.hasMore());
    }
}
