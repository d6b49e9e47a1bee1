package filesapi.core.uploads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Caller;
import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.fakes.InMemoryBlobStore;
import filesapi.core.fakes.InMemoryFileStore;
import filesapi.core.fakes.InMemoryLinkStore;
import filesapi.core.fakes.InMemoryUploadSessionStore;
import filesapi.core.fakes.SettableClock;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.FileType;
import filesapi.core.links.LinkRequest;
import filesapi.core.links.LinkService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Direct uploads over the in-memory stores: sessions, their upload URLs, and completion by POST /v1/files' rules. */
class UploadServiceTest {
    private static final Tenant TENANT = new Tenant("acct_uploads", false);
    private static final Caller CALLER = new Caller(TENANT, Caller.KeyKind.SECRET, false);
    private static final byte[] PDF = pdf(4_900_000);

    private final SettableClock clock = SettableClock.at(1_700_000_000L);
    private final InMemoryFileStore fileStore = new InMemoryFileStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final InMemoryLinkStore linkStore = new InMemoryLinkStore(fileStore);
    private final FileService files = new FileService(fileStore, blobs, clock);
    private final LinkService links = new LinkService(linkStore, files, blobs, clock, Duration.ofSeconds(300));
    private final UploadService uploads = new UploadService(new InMemoryUploadSessionStore(fileStore, linkStore), files, links,
            blobs, clock);

    @BeforeAll
    static void quiet() {
        Log.quiet(true);
    }

    private static byte[] pdf(int size) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) ' ');
        byte[] head = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(tail, 0, bytes, size - tail.length, tail.length);
        return bytes;
    }

    private UploadSession create(String purpose, long size, LinkRequest link) {
        return uploads.create(CALLER, new UploadService.CreateRequest(purpose, "big.pdf", size, link, Map.of()));
    }

    private boolean put(UploadSession session, byte[] body) {
        return blobs.upload(uploads.uploadUrl(session).url(), body, clock.epochSecond());
    }

    private StripeError refused(UploadService.CreateRequest request) {
        return assertThrows(StripeError.class, () -> uploads.create(CALLER, request));
    }

    @Test
    void aSessionIsRefusedUpFrontByPurposeAndSize() {
        assertEquals("purpose", refused(new UploadService.CreateRequest("identity_document_downloadable", "x", 10L,
                null, Map.of())).param());
        assertEquals("size", refused(new UploadService.CreateRequest("dispute_evidence", "x", 5_000_001L, null,
                Map.of())).param());
        assertEquals("size", refused(new UploadService.CreateRequest("dispute_evidence", "x", null, null,
                Map.of())).param());
        assertEquals("size", refused(new UploadService.CreateRequest("dispute_evidence", "x", -1L, null,
                Map.of())).param());
        assertEquals("file_link_data[create]", refused(new UploadService.CreateRequest("identity_document", "x", 10L,
                new LinkRequest(null, Map.of()), Map.of())).param());
        assertEquals(List.of(), blobs.keys());
    }

    @Test
    void anOpenSessionHandsOutAPutForExactlyItsSizeUnderTheUploadPrefix() {
        UploadSession session = create("account_requirement", PDF.length, null);
        assertEquals(UploadSession.Status.OPEN, session.status());
        assertTrue(session.uploadKey().startsWith(UploadService.UPLOAD_PREFIX + TENANT.account() + "/test/"));
        UploadService.UploadUrl url = uploads.uploadUrl(session);
        assertEquals(clock.epochSecond() + UploadService.UPLOAD_URL_LIFETIME.toSeconds(), url.expiresAt());
        assertTrue(url.url().contains("content-length=" + PDF.length), url.url());
        clock.advance(UploadService.SESSION_LIFETIME.minusMinutes(1));
        assertEquals(session.expiresAt(), uploads.uploadUrl(session).expiresAt(), "never past the session");
    }

    @Test
    void completingChecksTheObjectCopiesItAndAnswersTheSameEveryTime() {
        UploadSession session = create("dispute_evidence", PDF.length, new LinkRequest(null, Map.of("k", "v")));
        assertTrue(put(session, PDF));
        UploadSession done = uploads.complete(CALLER, session.id(), "req_1");
        assertEquals(UploadSession.Status.COMPLETE, done.status());
        FileRecord file = files.retrieve(TENANT, done.fileId(), "file");
        assertEquals(FileType.PDF, file.type());
        assertEquals(PDF.length, file.size());
        assertArrayEquals(PDF, blobs.get(file.blobKey()));
        assertEquals("application/pdf", blobs.blob(file.blobKey()).contentType());
        assertEquals(List.of(file.blobKey()), blobs.keys(), "the upload is not left behind");
        assertEquals(1, linkStore.all().size());
        assertEquals(done, uploads.complete(CALLER, session.id(), "req_2"));
        assertEquals(1, fileStore.all().size());
    }

    @Test
    void nothingUploadedYetLeavesTheSessionOpen() {
        UploadSession session = create("account_requirement", PDF.length, null);
        assertEquals("file_upload", assertThrows(StripeError.class,
                () -> uploads.complete(CALLER, session.id(), "req_1")).param());
        assertEquals(UploadSession.Status.OPEN, uploads.retrieve(TENANT, session.id()).status());
    }

    @Test
    void aWrongTypeFailsTheSessionForGoodAndDeletesTheObject() {
        UploadSession session = create("account_requirement", 6_000_000, null);
        byte[] zip = new byte[6_000_000];
        zip[0] = 'P';
        zip[1] = 'K';
        zip[2] = 3;
        zip[3] = 4;
        assertTrue(put(session, zip));
        UploadSession failed = uploads.complete(CALLER, session.id(), "req_1");
        assertEquals(UploadSession.Status.FAILED, failed.status());
        assertEquals("file", failed.failure().param());
        assertEquals(List.of(), blobs.keys());
        assertEquals(failed, uploads.complete(CALLER, session.id(), "req_2"));
        assertNull(uploads.uploadUrl(failed));
        assertEquals(List.of(), fileStore.all());
    }

    @Test
    void aSessionPastItsExpiryFailsAndIsGoneAfterItsTtl() {
        UploadSession session = create("account_requirement", PDF.length, null);
        assertTrue(put(session, PDF));
        clock.advance(UploadService.SESSION_LIFETIME);
        assertNull(uploads.uploadUrl(session));
        UploadSession failed = uploads.complete(CALLER, session.id(), "req_1");
        assertEquals("file_upload", failed.failure().param());
        assertEquals(List.of(), blobs.keys());
        clock.advanceSeconds(UploadSession.KEPT_AFTER_EXPIRY_SECONDS);
        assertEquals(404, assertThrows(StripeError.class, () -> uploads.retrieve(TENANT, session.id())).status());
    }

    @Test
    void anotherTenantSeesNoSession() {
        UploadSession session = create("account_requirement", PDF.length, null);
        assertNotNull(uploads.retrieve(TENANT, session.id()));
        assertEquals(404, assertThrows(StripeError.class,
                () -> uploads.retrieve(new Tenant("acct_other", false), session.id())).status());
        assertEquals(404, assertThrows(StripeError.class, () -> uploads.retrieve(TENANT, "file_notasession")).status());
    }
}
