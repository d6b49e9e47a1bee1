package filesapi.core.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.ContentDisposition;
import filesapi.core.ListRequest;
import filesapi.core.ListWindow;
import filesapi.core.Log;
import filesapi.core.Page;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.fakes.InMemoryBlobStore;
import filesapi.core.fakes.InMemoryFileStore;
import filesapi.core.fakes.SettableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Uploading, reading and listing files over the in-memory stores. */
class FileServiceTest {
    private static final Tenant TENANT = new Tenant("acct_files", false);
    private static final Caller CALLER = new Caller(TENANT, Caller.KeyKind.SECRET, false);
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};

    private final SettableClock clock = SettableClock.at(1_700_000_000L);
    private final InMemoryFileStore store = new InMemoryFileStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    private final FileService files = new FileService(store, blobs, clock);

    @BeforeAll
    static void quiet() {
        Log.quiet(true);
    }

    private static UploadedFile part(String name, byte[] bytes) {
        return new UploadedFile(name, null, Bytes.of(bytes));
    }

    private StripeError refused(String purpose, UploadedFile part) {
        return assertThrows(StripeError.class, () -> files.validate(purpose, part));
    }

    private FileRecord upload(String purpose, String name, byte[] bytes) {
        return files.store(CALLER, files.validate(purpose, part(name, bytes)), "req_test");
    }

    @Test
    void storedContentsAreComparedByteForByteWithinTheTenant() {
        FileRecord file = upload("dispute_evidence", "a.pdf", PDF);
        byte[] padded = Arrays.copyOf(PDF, PDF.length + 7);
        assertTrue(files.storedContentsEqual(TENANT, file.id(), new Bytes(padded, PDF.length)),
                "only the bytes in use count, not the buffer's spare room");
        byte[] changed = PDF.clone();
        changed[PDF.length - 2] = 'X';
        assertFalse(files.storedContentsEqual(TENANT, file.id(), Bytes.of(changed)), "same length, one byte else");
        assertFalse(files.storedContentsEqual(TENANT, file.id(), Bytes.of(padded)), "another length");
        assertFalse(files.storedContentsEqual(new Tenant("acct_other", false), file.id(), Bytes.of(PDF)));
        assertFalse(files.storedContentsEqual(TENANT, null, Bytes.of(PDF)), "a kept body without an id");
        blobs.delete(file.blobKey());
        assertFalse(files.storedContentsEqual(TENANT, file.id(), Bytes.of(PDF)), "contents gone: nothing to match");
    }

    @Test
    void aMissingFileOrPurposeIsAMissingParameter() {
        StripeError noFile = refused("dispute_evidence", null);
        assertEquals("parameter_missing", noFile.code());
        assertEquals("file", noFile.param());
        StripeError noPurpose = refused(null, part("a.pdf", PDF));
        assertEquals("parameter_missing", noPurpose.code());
        assertEquals("purpose", noPurpose.param());
    }

    @Test
    void anUnknownPurposeOrOneStripeCreatesItselfIsInvalid() {
        for (String purpose : List.of("nope", "selfie", "finance_report_run", "DISPUTE_EVIDENCE")) {
            StripeError e = refused(purpose, part("a.pdf", PDF));
            assertEquals(400, e.status());
            assertEquals("purpose", e.param());
            assertTrue(e.getMessage().startsWith("Invalid purpose: must be one of account_requirement,"),
                    e.getMessage());
            assertFalse(e.getMessage().contains("selfie"), "only purposes that can be uploaded are listed");
        }
    }

    @Test
    void anEmptyFileIsRefused() {
        StripeError e = refused("dispute_evidence", new UploadedFile("a.pdf", null, new Bytes(PDF, 0)));
        assertEquals("file", e.param());
        assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    }

    @Test
    void eachPurposeHasItsSizeLimitAndTheDeploymentOneOfItsOwn() {
        byte[] logo = new byte[512_001];
        System.arraycopy(PNG, 0, logo, 0, PNG.length);
        StripeError tooLarge = refused("business_logo", part("logo.png", logo));
        assertEquals("file", tooLarge.param());
        assertEquals("The file you uploaded is too large (512,001 bytes): files with purpose 'business_logo' can be"
                + " at most 512,000 bytes.", tooLarge.getMessage());
        assertEquals(FileType.PNG, files.validate("business_logo",
                new UploadedFile("logo.png", null, new Bytes(logo, 512_000))).type(), "the limit itself is fine");
        byte[] apk = new byte[(int) UploadLimits.MAX_REQUEST_BODY_BYTES + 1];
        StripeError overLambda = refused("terminal_android_apk", part("app.apk", apk));
        assertTrue(overLambda.getMessage().contains("this deployment accepts files of at most about 4,706,304 bytes"),
                overLambda.getMessage());
        assertTrue(overLambda.getMessage().contains("purpose 'terminal_android_apk' allows 200,000,000."),
                overLambda.getMessage());
    }

    @Test
    void aTypeThePurposeDoesNotTakeIsRefusedNamingTheTypesItDoes() {
        StripeError png = refused("pci_document", part("scan.pdf", PNG));
        assertEquals("file", png.param());
        assertEquals("We don't currently support that file type. Try uploading a file with one of the following"
                + " mimetypes: application/pdf.", png.getMessage());
        StripeError binary = refused("dispute_evidence", part("a.pdf", new byte[] {0, 1, 2, 3}));
        assertTrue(binary.getMessage().endsWith("mimetypes: application/pdf, image/png, image/jpeg."), binary.getMessage());
    }

    @Test
    void officeDocumentsWithMacrosAreRefused() throws IOException {
        StripeError e = refused("tax_document_user_upload", part("taxes.docx",
                FileTypesTest.zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")));
        assertTrue(e.getMessage().contains("contain macros"), e.getMessage());
        assertEquals(FileType.DOCX, files.validate("tax_document_user_upload", part("taxes.docx",
                FileTypesTest.zip("[Content_Types].xml", "word/document.xml"))).type());
    }

    @Test
    void aPdfWithoutItsEndMarkerIsDamaged() {
        StripeError e = refused("dispute_evidence", part("a.pdf", "%PDF-1.4\n1 0 obj\n".getBytes(
                StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("appears to be damaged or incomplete"), e.getMessage());
    }

    @Test
    void aValidUploadKeepsItsBytesAndACleanName() {
        Bytes bytes = Bytes.of(PDF);
        FileService.ValidUpload valid = files.validate("dispute_evidence",
                new UploadedFile("C:\\Users\\me/../evidence\u0000 \u0007final.pdf ", "image/png", bytes));
        assertEquals(Purpose.DISPUTE_EVIDENCE, valid.purpose());
        assertEquals(FileType.PDF, valid.type(), "from the bytes, not the declared type");
        assertEquals("evidence final.pdf", valid.filename());
        assertSame(bytes, valid.bytes(), "no copy");
        assertTrue(store.all().isEmpty() && blobs.keys().isEmpty(), "validating stores nothing");
    }

    @Test
    void storingWritesTheContentsThenTheFile() {
        FileRecord f = upload("dispute_evidence", "evidence.pdf", PDF);
        assertEquals(Optional.of(f), store.find(TENANT, f.id()));
        assertEquals(1_700_000_000L, f.created());
        assertEquals(1_700_000_000L + Duration.ofDays(270).toSeconds(), f.expiresAt());
        assertEquals("expire-270d/acct_files/test/" + f.id(), f.blobKey());
        assertEquals("application/pdf", f.contentType());
        assertEquals(PDF.length, f.size());
        assertEquals("evidence.pdf", f.filename());
        assertFalse(f.uploadedByPlatform());
        assertArrayEquals(PDF, blobs.get(f.blobKey()));
        assertEquals("application/pdf", blobs.blob(f.blobKey()).contentType());
        FileRecord forever = upload("pci_document", null, PDF);
        assertNull(forever.expiresAt());
        assertEquals("keep/acct_files/test/" + forever.id(), forever.blobKey());
        assertEquals(forever.id(), forever.filename(), "a file without a name is named by its id");
    }

    @Test
    void aPlatformsUploadIsMarkedAsSuch() {
        Caller platform = new Caller(new Tenant("acct_connected", true), Caller.KeyKind.SECRET, true);
        FileRecord f = files.store(platform, files.validate("identity_document", part("id.png", PNG)), "req");
        assertTrue(f.uploadedByPlatform());
        assertEquals("keep/acct_connected/live/" + f.id(), f.blobKey());
        assertTrue(f.downloadable(), "identity documents a platform uploaded may be downloaded");
    }

    @Test
    void aFailedMetadataWriteRemovesTheContents() {
        FileStore failing = new FileStore() {
            @Override
            public void insert(FileRecord file) {
                throw new IllegalStateException("DynamoDB is down");
            }

            @Override
            public Optional<FileRecord> find(Tenant tenant, String id) {
                return store.find(tenant, id);
            }

            @Override
            public Page<FileRecord> list(Tenant tenant, String purpose, ListWindow window) {
                return store.list(tenant, purpose, window);
            }
        };
        FileService flaky = new FileService(failing, blobs, clock);
        FileService.ValidUpload valid = flaky.validate("dispute_evidence", part("a.pdf", PDF));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> flaky.store(CALLER, valid, "req"));
        assertEquals("DynamoDB is down", e.getMessage());
        assertEquals(List.of(), blobs.keys(), "no contents left without a file");
    }

    @Test
    void downloadableContentsComeInline() {
        FileRecord f = upload("dispute_evidence", "évidence.pdf", PDF);
        FileService.Contents contents = files.contents(TENANT, f.id());
        assertArrayEquals(PDF, contents.bytes());
        assertNull(contents.redirectUrl());
        assertEquals(ContentDisposition.attachment("évidence.pdf"), contents.contentDisposition());
        assertEquals(f, contents.file());
    }

    @Test
    void contentsOfPurposesThatCannotBeDownloadedAreRefused() {
        FileRecord f = upload("identity_document", "id.png", PNG);
        StripeError e = assertThrows(StripeError.class, () -> files.contents(TENANT, f.id()));
        assertEquals(404, e.status());
        assertEquals("resource_missing", e.code());
        assertTrue(e.getMessage().contains("purpose 'identity_document' cannot be downloaded"), e.getMessage());
    }

    @Test
    void contentsExpireWithTheirFile() {
        FileRecord f = upload("customer_signature", "sig.png", PNG);
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertArrayEquals(PNG, files.contents(TENANT, f.id()).bytes());
        clock.advanceSeconds(1);
        StripeError e = assertThrows(StripeError.class, () -> files.contents(TENANT, f.id()));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("expired at " + f.expiresAt()), e.getMessage());
    }

    @Test
    void contentsGoneFromTheBlobStoreAreAnswered() {
        FileRecord f = upload("dispute_evidence", "a.pdf", PDF);
        blobs.delete(f.blobKey());
        StripeError e = assertThrows(StripeError.class, () -> files.contents(TENANT, f.id()));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("are no longer available"), e.getMessage());
    }

    @Test
    void contentsOverTheInlineLimitAreAShortLivedPresignedRedirect() {
        FileService small = new FileService(store, blobs, clock, PDF.length - 1);
        FileRecord f = small.store(CALLER, small.validate("dispute_evidence", part("big.pdf", PDF)), "req");
        FileService.Contents contents = small.contents(TENANT, f.id());
        assertNull(contents.bytes());
        assertEquals(List.of(new InMemoryBlobStore.Presign(f.blobKey(), FileService.DOWNLOAD_REDIRECT_TTL,
                "application/pdf", ContentDisposition.attachment("big.pdf"), clock.epochSecond())), blobs.presigns());
        assertArrayEquals(PDF, blobs.open(contents.redirectUrl(), clock.epochSecond()).contents());
        assertNull(blobs.open(contents.redirectUrl(), clock.epochSecond() + 60), "for a minute");
        FileService exact = new FileService(store, blobs, clock, PDF.length);
        assertArrayEquals(PDF, exact.contents(TENANT, f.id()).bytes(), "the limit itself is inline");
    }

    @Test
    void unknownAndMalformedIdsAreMissingAndOtherTenantsSeeNothing() {
        FileRecord f = upload("dispute_evidence", "a.pdf", PDF);
        StripeError unknown = assertThrows(StripeError.class, () -> files.retrieve(TENANT, "file_nope", "id"));
        assertEquals(404, unknown.status());
        assertEquals("resource_missing", unknown.code());
        assertEquals("id", unknown.param());
        assertEquals(Optional.empty(), files.find(TENANT, "link_" + f.id().substring(5)));
        assertEquals(Optional.empty(), files.find(TENANT, f.id() + "-"));
        assertEquals(Optional.empty(), files.find(new Tenant("acct_files", true), f.id()));
        assertEquals(Optional.empty(), files.find(new Tenant("acct_other", false), f.id()));
        assertEquals(404, assertThrows(StripeError.class, () -> files.contents(new Tenant("acct_other", false),
                f.id())).status());
    }

    @Test
    void listsPageWithCursorsNewestFirst() {
        FileRecord first = upload("dispute_evidence", "1.pdf", PDF);
        clock.advanceSeconds(1);
        FileRecord second = upload("pci_document", "2.pdf", PDF);
        clock.advanceSeconds(1);
        FileRecord third = upload("dispute_evidence", "3.pdf", PDF);
        Page<FileRecord> page = files.list(TENANT, null, new ListRequest(2, null, null, 0, Long.MAX_VALUE));
        assertEquals(List.of(third, second), page.data());
        assertTrue(page.hasMore());
        Page<FileRecord> next = files.list(TENANT, null, new ListRequest(2, second.id(), null, 0, Long.MAX_VALUE));
        assertEquals(List.of(first), next.data());
        assertFalse(next.hasMore());
        Page<FileRecord> back = files.list(TENANT, null, new ListRequest(1, null, first.id(), 0, Long.MAX_VALUE));
        assertEquals(List.of(second), back.data());
        assertTrue(back.hasMore());
        assertEquals(List.of(third, first), files.list(TENANT, "dispute_evidence",
                new ListRequest(10, null, null, 0, Long.MAX_VALUE)).data());
        assertEquals(List.of(second), files.list(TENANT, null,
                new ListRequest(10, null, null, second.created(), third.created())).data());
    }

    @Test
    void listsRefuseUnknownPurposesAndCursors() {
        StripeError purpose = assertThrows(StripeError.class, () -> files.list(TENANT, "nope",
                new ListRequest(10, null, null, 0, Long.MAX_VALUE)));
        assertEquals("purpose", purpose.param());
        assertTrue(purpose.getMessage().contains("selfie"), "any purpose may be listed");
        assertEquals(List.of(), files.list(TENANT, "selfie", new ListRequest(10, null, null, 0, Long.MAX_VALUE))
                .data());
        StripeError after = assertThrows(StripeError.class, () -> files.list(TENANT, null,
                new ListRequest(10, "file_nope", null, 0, Long.MAX_VALUE)));
        assertEquals(400, after.status());
        assertEquals("resource_missing", after.code());
        assertEquals("starting_after", after.param());
        FileRecord theirs = files.store(new Caller(new Tenant("acct_other", false), Caller.KeyKind.SECRET, false),
                files.validate("dispute_evidence", part("a.pdf", PDF)), "req");
        StripeError before = assertThrows(StripeError.class, () -> files.list(TENANT, null,
                new ListRequest(10, null, theirs.id(), 0, Long.MAX_VALUE)));
        assertEquals("ending_before", before.param(), "another tenant's file is no cursor");
    }
}
