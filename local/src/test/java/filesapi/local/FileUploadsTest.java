package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.KEY_A_PUBLISHABLE;
import static filesapi.local.TestApi.KEY_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.fakes.SettableClock;
import filesapi.core.files.UploadLimits;
import filesapi.core.uploads.UploadService;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Direct uploads end to end: the session through the handlers (each limited to the AWS calls it declares), the
 * bytes PUT over HTTP to the presigned URL S3Proxy checks, completion by ranged reads, against the adversarial
 * emulators, with files above the Lambda ceiling (FileUploadsLocalServerTest sends a 20 MB PDF and a 40 MB APK through
 * the local server over HTTP). The clock starts at real time, since
 * S3Proxy checks the upload URL's signing date against its own, and is moved only after the bytes are up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FileUploadsTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private Backend backend;
    private SettableClock clock;
    private TestApi api;

    @BeforeAll
    void start() throws Exception {
        backend = Backend.adversarial();
    }

    @AfterAll
    void stop() {
        backend.close();
    }

    @BeforeEach
    void fresh() {
        clock = SettableClock.startingNow();
        api = new TestApi(backend, clock);
    }

    private TestApi.Response create(String key, String form) {
        return api.postForm(key, "/v1/file_uploads", form);
    }

    private JsonNode createOk(String purpose, String filename, long size, String extra) {
        TestApi.Response r = create(KEY_A, "purpose=" + purpose + "&filename=" + URLEncoder.encode(filename,
                StandardCharsets.UTF_8) + "&size=" + size + extra);
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    private TestApi.Response complete(String key, String id, String form) {
        return api.postForm(key, "/v1/file_uploads/" + id + "/complete", form);
    }

    private int put(JsonNode session, byte[] bytes) throws Exception {
        assertEquals("PUT", session.path("upload_method").asText());
        // A client of its own: S3Proxy closes a connection on which it refused a body, and a pooled one would be
        // reused by the next request, which then reads no answer.
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(session.path("upload_url").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    /**
     * S3 answers 403 (SignatureDoesNotMatch) as soon as it has the headers; closing the connection on a body it has
     * not read may reset it before the client reads that answer, which is a refusal too.
     */
    private void assertRefused(JsonNode session, byte[] bytes, String what) throws Exception {
        try {
            assertEquals(403, put(session, bytes), what);
        } catch (IOException reset) {
            // refused before the body was read
        }
    }

    private List<String> keysUnder(String prefix) {
        return backend.clients().s3().listObjectsV2Paginator(l -> l.bucket(backend.bucket()).prefix(prefix))
                .contents().stream().map(S3Object::key).toList();
    }

    private String uploadKey(String id) {
        return UploadService.UPLOAD_PREFIX + "acct_A/test/" + id;
    }

    private byte[] object(String key) {
        return backend.clients().s3().getObjectAsBytes(g -> g.bucket(backend.bucket()).key(key)).asByteArray();
    }

    private static void assertError(TestApi.Response r, int status, String code, String param) {
        assertEquals(status, r.status(), r.text());
        assertEquals("invalid_request_error", r.error().path("type").asText(), r.text());
        assertEquals(code, r.error().path("code").textValue(), r.text());
        assertEquals(param, r.error().path("param").textValue(), r.text());
    }

    @Test
    void aPdfPastTheCeilingGoesStraightToS3AndBecomesAFile() throws Exception {
        byte[] pdf = Samples.pdf(12_000_000);
        assertTrue(pdf.length > UploadLimits.MAX_REQUEST_BODY_BYTES);
        JsonNode session = createOk("account_requirement", "statement.pdf", pdf.length, "&metadata[order]=42");
        String id = session.path("id").asText();
        assertTrue(id.matches("fupl_[0-9A-Za-z]{24}"), id);
        assertEquals("open", session.path("status").asText());
        assertEquals(clock.epochSecond() + 3600, session.path("expires_at").asLong());
        assertEquals(clock.epochSecond() + 600, session.path("upload_url_expires_at").asLong());
        assertEquals(Map.of("Content-Length", Integer.toString(pdf.length)),
                TestApi.MAPPER.convertValue(session.path("upload_headers"), Map.class));
        assertEquals("42", session.path("metadata").path("order").asText());
        assertTrue(session.path("file").isNull());
        String url = session.path("upload_url").asText();
        assertTrue(url.contains("X-Amz-SignedHeaders=content-length%3Bhost"), url);
        assertTrue(url.contains("/" + uploadKey(id) + "?"), url);

        assertEquals(200, put(session, pdf));
        TestApi.Response done = complete(KEY_A, id, "expand[]=file");
        assertEquals(200, done.status(), done.text());
        JsonNode file = done.json().path("file");
        assertEquals("complete", done.json().path("status").asText());
        assertTrue(done.json().path("upload_url").isNull());
        assertEquals("file", file.path("object").asText());
        assertEquals("pdf", file.path("type").asText());
        assertEquals(pdf.length, file.path("size").asLong());
        assertEquals("statement.pdf", file.path("filename").asText());
        assertEquals("account_requirement", file.path("purpose").asText());
        String fileId = file.path("id").asText();

        assertEquals(200, api.get(KEY_A, "/v1/files/" + fileId).status());
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX), "the upload is moved, not left behind");
        assertTrue(Arrays.equals(pdf, object("keep/acct_A/test/" + fileId)), "the file's own key holds the bytes");

        TestApi.Response again = complete(KEY_A, id, "");
        assertEquals(200, again.status(), again.text());
        assertEquals(fileId, again.json().path("file").asText(), "completing twice gives the same file");
        TestApi.Response retrieved = api.get(KEY_A, "/v1/file_uploads/" + id);
        assertEquals("complete", retrieved.json().path("status").asText());
        assertEquals(fileId, retrieved.json().path("file").asText());
    }

    @Test
    void anApkPastTheCeilingIsLinkedAndDownloadable() throws Exception {
        byte[] apk = apk(8_000_000);
        JsonNode session = createOk("terminal_android_apk", "reader-app.apk", apk.length,
                "&file_link_data[create]=true&file_link_data[metadata][build]=7");
        assertEquals(200, put(session, apk));
        TestApi.Response done = complete(KEY_A, session.path("id").asText(), "expand[]=file");
        assertEquals(200, done.status(), done.text());
        JsonNode file = done.json().path("file");
        assertEquals("apk", file.path("type").asText());
        assertEquals(clock.epochSecond() + 183L * 86400, file.path("expires_at").asLong());
        JsonNode links = file.path("links").path("data");
        assertEquals(1, links.size(), file.toString());
        assertEquals("7", links.get(0).path("metadata").path("build").asText());

        TestApi.Response contents = api.get(KEY_A, "/v1/files/" + file.path("id").asText() + "/contents");
        assertEquals(302, contents.status(), "past the Lambda response limit the contents are a redirect");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(contents.header("Location")))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(apk, download.body());
    }

    @Test
    void aDisputeEvidencePdfJustPastTheLambdaCeilingIsTaken() throws Exception {
        byte[] pdf = Samples.pdf(4_800_000);
        TestApi.Response direct = api.upload(KEY_A, TestApi.multipart().field("purpose", "dispute_evidence")
                .file("evidence.pdf", "application/pdf", pdf));
        assertError(direct, 400, null, "file");
        assertTrue(direct.error().path("message").asText().contains("POST /v1/file_uploads"), direct.text());

        JsonNode session = createOk("dispute_evidence", "evidence.pdf", pdf.length, "");
        assertEquals(200, put(session, pdf));
        TestApi.Response done = complete(KEY_A, session.path("id").asText(), "");
        assertEquals(200, done.status(), done.text());
        assertTrue(done.json().path("file").asText().startsWith("file_"));
    }

    @Test
    void aClientSendingFewerOrMoreBytesThanDeclaredIsRefusedByTheSignature() throws Exception {
        // Small enough that S3Proxy's early refusal finds the whole body sent, rather than a connection to reset.
        byte[] pdf = Samples.pdf(60_000);
        JsonNode session = createOk("pci_document", "saq.pdf", pdf.length, "");
        String id = session.path("id").asText();
        assertRefused(session, Arrays.copyOf(pdf, pdf.length - 1), "one byte short");
        assertRefused(session, Arrays.copyOf(pdf, pdf.length + 1000), "more than declared");
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX), "S3 kept nothing of either");

        TestApi.Response early = complete(KEY_A, id, "");
        assertError(early, 400, null, "file_upload");
        assertEquals("open", api.get(KEY_A, "/v1/file_uploads/" + id).json().path("status").asText(),
                "nothing uploaded yet leaves the session open");

        assertEquals(200, put(session, pdf));
        assertEquals(200, complete(KEY_A, id, "").status());
    }

    @Test
    void anObjectOfAnotherSizeFailsTheSessionAndIsDeleted() {
        JsonNode session = createOk("pci_document", "saq.pdf", 10_000, "");
        String id = session.path("id").asText();
        // Past the signature (as a client holding the bucket's credentials could): the size is checked again.
        backend.clients().s3().putObject(p -> p.bucket(backend.bucket()).key(uploadKey(id)),
                RequestBody.fromBytes(Samples.pdf(9_000)));
        TestApi.Response failed = complete(KEY_A, id, "");
        assertError(failed, 400, null, "size");
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX));
        assertEquals(failed.text(), complete(KEY_A, id, "").text(), "completing again answers the same error");
        JsonNode retrieved = api.get(KEY_A, "/v1/file_uploads/" + id).json();
        assertEquals("failed", retrieved.path("status").asText());
        assertEquals("size", retrieved.path("last_error").path("param").asText());
        assertTrue(retrieved.path("upload_url").isNull());
    }

    @Test
    void theRulesOfPostFilesApply() throws Exception {
        expectFailure("pci_document", "saq.pdf", Samples.png(200_000), "file", "We don't currently support");
        byte[] truncated = Arrays.copyOf(Samples.pdf(300_000), 290_000);
        expectFailure("pci_document", "saq.pdf", truncated, "file", "no %%EOF marker");
        expectFailure("tax_document_user_upload", "report.docx", docx(true), "file", "macros");
        expectFailure("terminal_android_apk", "app.apk", docx(false), "file", "We don't currently support");

        JsonNode docx = createOk("tax_document_user_upload", "report.docx", docx(false).length, "");
        assertEquals(200, put(docx, docx(false)));
        TestApi.Response ok = complete(KEY_A, docx.path("id").asText(), "expand[]=file");
        assertEquals("docx", ok.json().path("file").path("type").asText(), ok.text());

        byte[] text = "Terms of service\n\nBe kind.\n".getBytes(StandardCharsets.UTF_8);
        JsonNode terms = createOk("platform_terms_of_service", "terms.md", text.length, "");
        assertEquals(200, put(terms, text));
        TestApi.Response md = complete(KEY_A, terms.path("id").asText(), "expand[]=file");
        assertEquals("md", md.json().path("file").path("type").asText(), md.text());
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX));
    }

    private void expectFailure(String purpose, String filename, byte[] bytes, String param, String message)
            throws Exception {
        JsonNode session = createOk(purpose, filename, bytes.length, "");
        assertEquals(200, put(session, bytes));
        TestApi.Response failed = complete(KEY_A, session.path("id").asText(), "");
        assertError(failed, 400, null, param);
        assertTrue(failed.error().path("message").asText().contains(message), failed.text());
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX), "a failed upload leaves nothing behind");
    }

    @Test
    void aSessionPastItsExpiryFailsAndIsGoneADayLater() throws Exception {
        byte[] pdf = Samples.pdf(50_000);
        JsonNode session = createOk("pci_document", "late.pdf", pdf.length, "");
        String id = session.path("id").asText();
        assertEquals(200, put(session, pdf));
        clock.advance(Duration.ofSeconds(3600));
        TestApi.Response late = complete(KEY_A, id, "");
        assertError(late, 400, null, "file_upload");
        assertTrue(late.error().path("message").asText().contains("expired"), late.text());
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX));
        assertEquals("failed", api.get(KEY_A, "/v1/file_uploads/" + id).json().path("status").asText());

        JsonNode open = createOk("pci_document", "never.pdf", 1000, "");
        clock.advance(Duration.ofSeconds(3600 + 86_400));
        // DynamoDB's TTL deletes late (the emulator not at all): reads check the TTL themselves.
        assertError(api.get(KEY_A, "/v1/file_uploads/" + id), 404, "resource_missing", "file_upload");
        assertError(api.get(KEY_A, "/v1/file_uploads/" + open.path("id").asText()), 404, "resource_missing",
                "file_upload");
    }

    @Test
    void badRequestsAreRefusedUpFrontWithStripeErrors() {
        assertError(create(KEY_A, "purpose=dispute_evidence&filename=a.pdf&size=5000001"), 400, null, "size");
        assertError(create(KEY_A, "purpose=terminal_android_apk&size=200000001"), 400, null, "size");
        assertError(create(KEY_A, "purpose=selfie&size=10"), 400, null, "purpose");
        assertError(create(KEY_A, "purpose=nonsense&size=10"), 400, null, "purpose");
        assertError(create(KEY_A, "size=10"), 400, "parameter_missing", "purpose");
        assertError(create(KEY_A, "purpose=pci_document"), 400, "parameter_missing", "size");
        assertError(create(KEY_A, "purpose=pci_document&size=ten"), 400, "parameter_invalid_integer", "size");
        assertError(create(KEY_A, "purpose=pci_document&size=0"), 400, null, "size");
        assertError(create(KEY_A, "purpose=pci_document&size=-5"), 400, null, "size");
        assertError(create(KEY_A, "purpose=pci_document&size=99999999999999999999"), 400,
                "parameter_invalid_integer", "size");
        assertError(create(KEY_A, "purpose=pci_document&size=10&colour=red"), 400, "parameter_unknown", "colour");
        assertError(create(KEY_A, "purpose=identity_document&size=10&file_link_data[create]=true"), 400, null,
                "file_link_data[create]");
        assertError(create(KEY_A, "purpose=pci_document&size=10&file_link_data[expires_at]=1"), 400,
                "parameter_missing", "file_link_data[create]");
        assertError(create(KEY_A, "purpose=pci_document&size=10&file_link_data[create]=true"
                + "&file_link_data[expires_at]=" + (clock.epochSecond() - 1)), 400, null, "file_link_data[expires_at]");
        assertEquals(403, create(KEY_A_PUBLISHABLE, "purpose=pci_document&size=10&file_link_data[create]=true")
                .status());
        assertEquals(200, create(KEY_A_PUBLISHABLE, "purpose=pci_document&size=10").status());
        assertError(create(KEY_A, "purpose=pci_document&size=10&expand[]=nothing"), 400, null, "expand");
        assertError(api.get(KEY_A, "/v1/file_uploads/fupl_nope"), 404, "resource_missing", "file_upload");
        assertError(complete(KEY_A, "file_0000", ""), 404, "resource_missing", "file_upload");
        assertEquals(401, create(null, "purpose=pci_document&size=10").status());
        assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX));
    }

    @Test
    void sessionsBelongToTheirAccountAndIdempotencyKeysReplay() throws Exception {
        Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Idempotency-Key", "upload-1");
        byte[] form = "purpose=pci_document&filename=a.pdf&size=2000".getBytes(StandardCharsets.UTF_8);
        TestApi.Response first = api.call("POST", "/v1/file_uploads", KEY_A, headers, form);
        TestApi.Response replay = api.call("POST", "/v1/file_uploads", KEY_A, headers, form);
        assertEquals(200, first.status(), first.text());
        assertEquals("true", replay.header("Idempotent-Replayed"));
        assertEquals(first.json().path("id"), replay.json().path("id"));
        String id = first.json().path("id").asText();

        assertError(api.get(KEY_B, "/v1/file_uploads/" + id), 404, "resource_missing", "file_upload");
        assertError(complete(KEY_B, id, ""), 404, "resource_missing", "file_upload");

        assertEquals(200, put(first.json(), Samples.pdf(2000)));
        String path = "/v1/file_uploads/" + id + "/complete";
        Map<String, String> completeHeaders = Map.of("Content-Type", "application/x-www-form-urlencoded",
                "Idempotency-Key", "complete-1");
        TestApi.Response done = api.call("POST", path, KEY_A, completeHeaders, new byte[0]);
        TestApi.Response doneAgain = api.call("POST", path, KEY_A, completeHeaders, new byte[0]);
        assertEquals(200, done.status(), done.text());
        assertNull(done.header("Idempotent-Replayed"));
        assertEquals("true", doneAgain.header("Idempotent-Replayed"));
        assertEquals(done.text(), doneAgain.text());
    }

    @Test
    void racingCompletionsMakeOneFile() throws Exception {
        byte[] pdf = Samples.pdf(300_000);
        for (int round = 0; round < 5; round++) {
            JsonNode session = createOk("pci_document", "race.pdf", pdf.length, "");
            String id = session.path("id").asText();
            assertEquals(200, put(session, pdf));
            List<String> before = keysUnder("keep/");
            List<TestApi.Response> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<Thread> threads = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                Thread thread = new Thread(() -> answers.add(complete(KEY_A, id, "")));
                thread.start();
                threads.add(thread);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(3, answers.size(), "every completion answered");
            TestApi.Response settled = complete(KEY_A, id, "");
            assertEquals(200, settled.status(), settled.text());
            String fileId = settled.json().path("file").asText();
            for (TestApi.Response r : answers) {
                // A transaction that lost a race on the session is Stripe's retryable lock_timeout, never a 500.
                if (r.status() != 200) {
                    assertError(r, 429, "lock_timeout", null);
                } else {
                    assertEquals(fileId, r.json().path("file").asText(), r.text());
                }
            }
            List<String> added = new java.util.ArrayList<>(keysUnder("keep/"));
            added.removeAll(before);
            assertEquals(List.of("keep/acct_A/test/" + fileId), added, "one copy, at the winner's key");
            assertEquals(List.of(), keysUnder(UploadService.UPLOAD_PREFIX));
        }
    }

    @Test
    void seededJunkGetsStripeErrorsNeverA500() {
        String open = createOk("pci_document", "a.pdf", 100, "").path("id").asText();
        List<String> names = List.of("purpose", "filename", "size", "metadata[k]", "metadata", "expand[]",
                "file_link_data[create]", "file_link_data[expires_at]", "file_link_data[metadata][k]",
                "file_link_data", "size[]", "x[", "]");
        List<String> values = List.of("", "0", "-1", "1", "5000000", "99999999999999999999", "1e3", "true", "pci_document",
                "selfie", "file", "%", "%zz", "%00", "\u00e9", "\ud83d\udca9", "a b", "[]", "&", "=", open);
        Random random = new Random(20261203);
        for (int i = 0; i < 300; i++) {
            StringBuilder form = new StringBuilder();
            for (int p = random.nextInt(5); p >= 0; p--) {
                form.append(form.length() == 0 ? "" : "&").append(names.get(random.nextInt(names.size())))
                        .append('=').append(values.get(random.nextInt(values.size())));
            }
            String target = switch (random.nextInt(3)) {
                case 0 -> "/v1/file_uploads";
                case 1 -> "/v1/file_uploads/" + (random.nextBoolean() ? open : "fupl_" + random.nextInt()) + "/complete";
                default -> "/v1/file_uploads/" + (random.nextBoolean() ? open : "%00" + random.nextInt());
            };
            TestApi.Response r = target.endsWith("complete") || target.equals("/v1/file_uploads")
                    ? api.postForm(KEY_A, target, form.toString())
                    : api.get(KEY_A, target + "?" + form);
            assertTrue(r.status() < 500, "case " + i + " " + target + " " + form + ": " + r.text());
            if (r.status() >= 400) {
                assertEquals("invalid_request_error", r.error().path("type").asText(), r.text());
            }
        }
    }

    /** An APK-shaped ZIP of about {@code size} bytes: its manifest, its dex and one large stored asset. */
    static byte[] apk(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
            zip.write("<manifest/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("classes.dex"));
            zip.write("dex\n035\0".getBytes(StandardCharsets.US_ASCII));
            byte[] asset = new byte[Math.max(0, size - 1024)];
            new Random(size).nextBytes(asset);
            ZipEntry big = new ZipEntry("assets/payload.bin");
            big.setMethod(ZipEntry.STORED);
            CRC32 crc = new CRC32();
            crc.update(asset);
            big.setSize(asset.length);
            big.setCompressedSize(asset.length);
            big.setCrc(crc.getValue());
            zip.putNextEntry(big);
            zip.write(asset);
        }
        return out.toByteArray();
    }

    static byte[] docx(boolean macros) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String name : macros ? List.of("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin")
                    : List.of("[Content_Types].xml", "word/document.xml")) {
                zip.putNextEntry(new ZipEntry(name));
                zip.write("<x/>".getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
