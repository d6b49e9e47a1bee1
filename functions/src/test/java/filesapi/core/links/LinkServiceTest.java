package filesapi.core.links;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.ContentDisposition;
import filesapi.core.Ids;
import filesapi.core.ListRequest;
import filesapi.core.ListWindow;
import filesapi.core.Metadata;
import filesapi.core.Page;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.fakes.InMemoryBlobStore;
import filesapi.core.fakes.InMemoryFileStore;
import filesapi.core.fakes.InMemoryLinkStore;
import filesapi.core.fakes.SettableClock;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.UploadedFile;
import filesapi.core.links.LinkService.ExpiryChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Creating, updating, listing and opening file links over the in-memory stores, with a clock moved by hand. */
class LinkServiceTest {
    private static final Tenant TENANT = new Tenant("acct_links", false);
    private static final Caller CALLER = new Caller(TENANT, Caller.KeyKind.SECRET, false);
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
    private static final Duration REDIRECT_TTL = Duration.ofSeconds(300);
    private static final String REFUSED = "This file link does not exist or has expired.";

    private final SettableClock clock = SettableClock.at(1_700_000_000L);
    private final InMemoryFileStore fileStore = new InMemoryFileStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryLinkStore store = new InMemoryLinkStore(fileStore);
    private final FileService files = new FileService(fileStore, blobs, clock);
    private final LinkService links = new LinkService(store, files, blobs, clock, REDIRECT_TTL);

    private FileRecord upload(String purpose, byte[] bytes) {
        return files.store(CALLER, files.validate(purpose, new UploadedFile("doc.bin", null, Bytes.of(bytes))),
                "req");
    }

    private LinkRecord create(FileRecord file, Long expiresAt, Map<String, String> metadata) {
        return links.create(links.checkCreate(CALLER, file.id(), expiresAt, new Metadata.Update(false, metadata)));
    }

    private LinkRecord update(LinkService service, String id, ExpiryChange expiry, Metadata.Update metadata) {
        return service.update(service.checkUpdate(CALLER, id, expiry, metadata));
    }

    private LinkRecord update(String id, ExpiryChange expiry, Map<String, String> metadata) {
        return update(links, id, expiry, new Metadata.Update(false, metadata));
    }

    private long now() {
        return clock.epochSecond();
    }

    @Test
    void checkingACreateRefusesPublishableKeysAMissingFileAndAPastExpiry() {
        StripeError publishable = assertThrows(StripeError.class, () -> links.checkCreate(
                new Caller(TENANT, Caller.KeyKind.PUBLISHABLE, false), "file_x", null, Metadata.Update.NONE));
        assertEquals(403, publishable.status());
        StripeError missing = assertThrows(StripeError.class, () -> links.checkCreate(CALLER, null, null,
                Metadata.Update.NONE));
        assertEquals("parameter_missing", missing.code());
        assertEquals("file", missing.param());
        for (long past : new long[] {now(), now() - 1}) {
            StripeError e = assertThrows(StripeError.class, () -> links.checkCreate(CALLER, "file_x", past,
                    Metadata.Update.NONE));
            assertEquals(400, e.status());
            assertEquals("expires_at", e.param());
        }
        assertEquals(new LinkService.CheckedCreate(TENANT, "file_x", now() + 1, Metadata.Update.NONE),
                links.checkCreate(CALLER, "file_x", now() + 1, Metadata.Update.NONE), "no lookup yet");
    }

    @Test
    void aLinkIsCreatedWithItsTokenAndMetadata() {
        FileRecord file = upload("dispute_evidence", PDF);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("order", "6735");
        metadata.put("dropped", "");
        LinkRecord link = create(file, now() + 3600, metadata);
        assertEquals(Optional.of(link), store.find(TENANT, link.id()));
        assertTrue(Ids.looksLike(link.id(), "link_"));
        assertEquals(LinkService.TOKEN_CHARS, link.token().length());
        assertEquals(1, link.version());
        assertEquals(now(), link.created());
        assertEquals(Map.of("order", "6735"), link.metadata(), "an empty value sets nothing");
        assertEquals(new LinkTarget(now() + 3600, file.expiresAt(), file.blobKey(), "application/pdf", "doc.bin"),
                store.findByToken(link.token()).orElseThrow());
        assertEquals(link, links.retrieve(TENANT, link.id()));
    }

    @Test
    void creatingForAFileThatIsMissingUnlinkableOrExpiredIsRefusedOnceExecuting() {
        for (String id : new String[] {"file_missing", "nope"}) {
            StripeError missing = assertThrows(StripeError.class, () -> links.create(links.checkCreate(CALLER, id,
                    null, Metadata.Update.NONE)));
            assertEquals(400, missing.status());
            assertEquals("resource_missing", missing.code());
            assertEquals("file", missing.param());
        }
        FileRecord identity = upload("identity_document", PNG);
        StripeError unlinkable = assertThrows(StripeError.class, () -> create(identity, null, Map.of()));
        assertEquals("File links cannot be created for files with purpose 'identity_document'.",
                unlinkable.getMessage());
        FileRecord signature = upload("customer_signature", PNG);
        clock.advance(Duration.ofDays(7));
        StripeError expired = assertThrows(StripeError.class, () -> create(signature, null, Map.of()));
        assertEquals("file", expired.param());
        assertTrue(expired.getMessage().contains("has expired"), expired.getMessage());
        assertEquals(List.of(), store.all());
        FileRecord theirs = files.store(new Caller(new Tenant("acct_other", false), Caller.KeyKind.SECRET, false),
                files.validate("dispute_evidence", new UploadedFile("a.pdf", null, Bytes.of(PDF))), "req");
        assertEquals("resource_missing", assertThrows(StripeError.class, () -> create(theirs, null, Map.of()))
                .code(), "another tenant's file is no file");
    }

    @Test
    void unknownMalformedAndOtherTenantsLinksAreMissing() {
        LinkRecord link = create(upload("dispute_evidence", PDF), null, Map.of());
        for (String id : new String[] {"link_nope", "file_" + link.id().substring(5), ""}) {
            StripeError e = assertThrows(StripeError.class, () -> links.retrieve(TENANT, id));
            assertEquals(404, e.status());
            assertEquals("resource_missing", e.code());
            assertEquals("link", e.param());
        }
        assertEquals(404, assertThrows(StripeError.class, () -> links.retrieve(new Tenant("acct_links", true),
                link.id())).status());
    }

    @Test
    void anUpdateMergesMetadataAndBumpsTheVersion() {
        LinkRecord link = create(upload("dispute_evidence", PDF), null, Map.of("a", "1", "b", "2"));
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("b", "");
        changes.put("c", "3");
        LinkRecord updated = update(link.id(), new ExpiryChange.Keep(), changes);
        assertEquals(Map.of("a", "1", "c", "3"), updated.metadata());
        assertEquals(2, updated.version());
        assertEquals(Optional.of(updated), store.find(TENANT, link.id()));
        LinkRecord cleared = update(links, link.id(), new ExpiryChange.Keep(),
                new Metadata.Update(true, Map.of("d", "4")));
        assertEquals(Map.of("d", "4"), cleared.metadata());
        assertEquals(3, cleared.version());
    }

    @Test
    void anUpdateSetsClearsOrEndsTheExpiryAndTheTokenFollows() {
        LinkRecord link = create(upload("dispute_evidence", PDF), null, Map.of());
        StripeError past = assertThrows(StripeError.class, () -> links.checkUpdate(CALLER, link.id(),
                new ExpiryChange.At(now()), Metadata.Update.NONE));
        assertEquals("expires_at", past.param());
        assertEquals(now() + 60, update(link.id(), new ExpiryChange.At(now() + 60), Map.of()).expiresAt());
        assertEquals(now() + 60, store.findByToken(link.token()).orElseThrow().linkExpiresAt());
        assertEquals(now() + 60, update(link.id(), new ExpiryChange.Keep(), Map.of("k", "v")).expiresAt());
        assertNull(update(link.id(), new ExpiryChange.Clear(), Map.of()).expiresAt());
        assertNull(store.findByToken(link.token()).orElseThrow().linkExpiresAt());
        LinkRecord ended = update(link.id(), new ExpiryChange.Now(), Map.of());
        assertEquals(now(), ended.expiresAt());
        assertTrue(ended.isExpired(now()));
        assertEquals(REFUSED, assertThrows(StripeError.class, () -> links.open(link.token())).getMessage());
    }

    @Test
    void anExpiredLinkCanNoLongerBeUpdated() {
        LinkRecord link = create(upload("dispute_evidence", PDF), now() + 10, Map.of());
        clock.advanceSeconds(10);
        StripeError e = assertThrows(StripeError.class, () -> update(link.id(), new ExpiryChange.Clear(), Map.of()));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("has expired and can no longer be updated"), e.getMessage());
        assertEquals(Optional.of(link), store.find(TENANT, link.id()));
    }

    /** A store where another update lands between this update's read and its write, {@code races} times. */
    private static class RacingStore implements LinkStore {
        private final InMemoryLinkStore inner;
        private final int races;
        final AtomicInteger replaces = new AtomicInteger();

        RacingStore(InMemoryLinkStore inner, int races) {
            this.inner = inner;
            this.races = races;
        }

        @Override
        public boolean replace(LinkRecord updated) {
            int attempt = replaces.incrementAndGet();
            if (attempt <= races) {
                LinkRecord current = inner.find(updated.tenant(), updated.id()).orElseThrow();
                Map<String, String> theirs = new LinkedHashMap<>(current.metadata());
                theirs.put("racer" + attempt, "won");
                assertTrue(inner.replace(current.withChanges(current.expiresAt(), theirs)));
            }
            return inner.replace(updated);
        }

        @Override
        public void insert(LinkRecord link, FileRecord file) {
            inner.insert(link, file);
        }

        @Override
        public void insertWithFile(LinkRecord link, FileRecord file) {
            inner.insertWithFile(link, file);
        }

        @Override
        public Optional<LinkRecord> find(Tenant tenant, String id) {
            return inner.find(tenant, id);
        }

        @Override
        public Optional<LinkTarget> findByToken(String token) {
            return inner.findByToken(token);
        }

        @Override
        public Page<LinkRecord> list(Tenant tenant, String fileId, Boolean expired, long now, ListWindow window) {
            return inner.list(tenant, fileId, expired, now, window);
        }
    }

    private FileService.ValidUpload pdfUpload() {
        return files.validate("dispute_evidence", new UploadedFile("doc.pdf", null, Bytes.of(PDF)));
    }

    @Test
    void anUploadWithALinkStoresTheFileAndItsLinkTogether() {
        LinkService.LinkedFile stored = links.storeWithLink(CALLER, pdfUpload(),
                new LinkRequest(now() + 60, Map.of("k", "v")), "req");
        assertEquals(List.of(stored.file()), fileStore.all());
        assertEquals(List.of(stored.link()), store.all());
        assertEquals(stored.file().id(), stored.link().fileId());
        assertEquals(now() + 60, stored.link().expiresAt());
        assertEquals(Map.of("k", "v"), stored.link().metadata());
        assertArrayEquals(PDF, blobs.get(stored.file().blobKey()));
        assertEquals(stored.file().blobKey(), store.findByToken(stored.link().token()).orElseThrow().blobKey());
    }

    @Test
    void anUploadWhoseLinkCannotBeStoredLeavesNoFileAndNoContents() {
        LinkService failing = new LinkService(new RacingStore(store, 0) {
            @Override
            public void insertWithFile(LinkRecord link, FileRecord file) {
                throw new IllegalStateException("DynamoDB refused the transaction");
            }
        }, files, blobs, clock, REDIRECT_TTL);
        assertThrows(IllegalStateException.class, () -> failing.storeWithLink(CALLER, pdfUpload(),
                new LinkRequest(null, Map.of()), "req"));
        assertEquals(List.of(), fileStore.all(), "no file without the link it was uploaded with");
        assertEquals(List.of(), store.all());
        assertEquals(List.of(), blobs.keys(), "the contents put first are deleted again");
    }

    @Test
    void anUpdateThatLosesARaceRetriesOverTheWinnersResult() {
        LinkRecord link = create(upload("dispute_evidence", PDF), null, Map.of("mine", "before"));
        RacingStore racing = new RacingStore(store, 2);
        LinkService contended = new LinkService(racing, files, blobs, clock, REDIRECT_TTL);
        LinkRecord updated = update(contended, link.id(), new ExpiryChange.Keep(),
                new Metadata.Update(false, Map.of("mine", "after")));
        assertEquals(Map.of("mine", "after", "racer1", "won", "racer2", "won"), updated.metadata(),
                "every update lands, each merged into the one before");
        assertEquals(4, updated.version());
        assertEquals(3, racing.replaces.get());
        assertEquals(Optional.of(updated), store.find(TENANT, link.id()));
    }

    @Test
    void anUpdateThatNeverWinsIsALockTimeout() {
        LinkRecord link = create(upload("dispute_evidence", PDF), null, Map.of());
        AtomicInteger attempts = new AtomicInteger();
        LinkStore alwaysLosing = new RacingStore(store, 0) {
            @Override
            public boolean replace(LinkRecord updated) {
                attempts.incrementAndGet();
                return false;
            }
        };
        LinkService contended = new LinkService(alwaysLosing, files, blobs, clock, REDIRECT_TTL);
        StripeError e = assertThrows(StripeError.class, () -> update(contended, link.id(), new ExpiryChange.Keep(),
                Metadata.Update.NONE));
        assertEquals(429, e.status());
        assertEquals("lock_timeout", e.code());
        assertEquals(LinkService.MAX_UPDATE_ATTEMPTS, attempts.get());
    }

    @Test
    void openingPresignsTheFileForTheRedirectTtlAtMost() {
        FileRecord file = upload("pci_document", PDF);
        LinkRecord forever = create(file, null, Map.of());
        String url = links.open(forever.token());
        assertEquals(new InMemoryBlobStore.Presign(file.blobKey(), REDIRECT_TTL, "application/pdf",
                ContentDisposition.attachment("doc.bin"), now()), blobs.presigns().get(0));
        assertEquals(PDF.length, blobs.open(url, now()).contents().length);
    }

    @Test
    void theRedirectNeverOutlivesTheLinkNorTheFile() {
        FileRecord file = upload("pci_document", PDF);
        LinkRecord soon = create(file, now() + 100, Map.of());
        links.open(soon.token());
        assertEquals(Duration.ofSeconds(100), blobs.presigns().get(0).ttl());
        clock.advanceSeconds(99);
        links.open(soon.token());
        assertEquals(Duration.ofSeconds(1), blobs.presigns().get(1).ttl(), "its last second");
        FileRecord signature = upload("customer_signature", PNG);
        LinkRecord later = create(signature, now() + Duration.ofDays(30).toSeconds(), Map.of());
        clock.advance(Duration.ofDays(7).minusSeconds(50));
        links.open(later.token());
        assertEquals(Duration.ofSeconds(50), blobs.presigns().get(2).ttl(), "the file expires first");
    }

    @Test
    void unknownExpiredAndMalformedTokensAreRefusedAlike() {
        FileRecord file = upload("customer_signature", PNG);
        LinkRecord brief = create(file, now() + 10, Map.of());
        LinkRecord open = create(file, null, Map.of());
        clock.advanceSeconds(10);
        List<String> tokens = new ArrayList<>(List.of(brief.token(), Ids.token(LinkService.TOKEN_CHARS),
                open.token().substring(1), open.token() + "x", ""));
        tokens.add(null);
        List<StripeError> refusals = new ArrayList<>();
        for (String token : tokens) {
            refusals.add(assertThrows(StripeError.class, () -> links.open(token)));
        }
        clock.advance(Duration.ofDays(7));
        refusals.add(assertThrows(StripeError.class, () -> links.open(open.token()), "the file has expired"));
        for (StripeError e : refusals) {
            assertEquals(404, e.status());
            assertEquals(StripeError.INVALID_REQUEST, e.type());
            assertNull(e.code());
            assertNull(e.param());
            assertEquals(REFUSED, e.getMessage());
        }
        assertEquals(List.of(), blobs.presigns());
    }

    @Test
    void listsFilterByFileAndExpiryAndPageWithCursors() {
        FileRecord file = upload("dispute_evidence", PDF);
        FileRecord other = upload("pci_document", PDF);
        LinkRecord a = create(file, now() + 5, Map.of());
        clock.advanceSeconds(1);
        LinkRecord b = create(file, null, Map.of());
        clock.advanceSeconds(1);
        LinkRecord c = create(other, null, Map.of());
        clock.advanceSeconds(10);
        ListRequest everything = new ListRequest(10, null, null, 0, Long.MAX_VALUE);
        assertEquals(List.of(c, b, a), links.list(TENANT, null, null, everything).data());
        assertEquals(List.of(b, a), links.list(TENANT, file.id(), null, everything).data());
        assertEquals(List.of(a), links.list(TENANT, file.id(), true, everything).data());
        assertEquals(List.of(c, b), links.list(TENANT, null, false, everything).data());
        Page<LinkRecord> after = links.list(TENANT, null, null, new ListRequest(1, c.id(), null, 0, Long.MAX_VALUE));
        assertEquals(List.of(b), after.data());
        assertTrue(after.hasMore());
        Page<LinkRecord> before = links.list(TENANT, null, null, new ListRequest(5, null, b.id(), 0, Long.MAX_VALUE));
        assertEquals(List.of(c), before.data());
        assertFalse(before.hasMore());
        assertEquals(List.of(), links.list(TENANT, "x".repeat(3000), null, everything).data(),
                "no file has such an id");
        StripeError cursor = assertThrows(StripeError.class, () -> links.list(TENANT, null, null,
                new ListRequest(10, null, "link_nope", 0, Long.MAX_VALUE)));
        assertEquals(400, cursor.status());
        assertEquals("ending_before", cursor.param());
    }

    @Test
    void aFileEmbedsItsTenNewestLinks() {
        FileRecord file = upload("dispute_evidence", PDF);
        List<LinkRecord> made = new ArrayList<>();
        for (int i = 0; i < LinkService.EMBEDDED_LINKS + 1; i++) {
            made.add(0, create(file, null, Map.of()));
            clock.advanceSeconds(1);
        }
        Page<LinkRecord> embedded = links.linksOf(TENANT, file.id());
        assertEquals(made.subList(0, LinkService.EMBEDDED_LINKS), embedded.data());
        assertTrue(embedded.hasMore());
    }
}
