package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.KEY_A_LIVE;
import static filesapi.local.TestApi.KEY_B;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.fakes.SettableClock;
import filesapi.core.files.UploadLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Files API end to end through its handlers and API Gateway events. Subclasses choose the backend (embedded
 * emulators, LocalStack); every test starts from empty accounts of its own, so tests do not see each other's files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class FilesScenarios {
    protected Backend backend;
    protected SettableClock clock;
    protected TestApi api;

    protected abstract Backend startBackend() throws Exception;

    @BeforeAll
    void startAll() throws Exception {
        backend = startBackend();
    }

    @AfterAll
    void stopAll() {
        if (backend != null) {
            backend.close();
        }
    }

    private static int testNumber = 1;
    private long testStart;

    /**
     * Tests share one backend; each starts its clock a thousand days after the previous test's, so a test sees only
     * its own files when it lists from {@code testStart} on.
     */
    @BeforeEach
    void freshClock() {
        clock = SettableClock.startingNow();
        clock.advance(Duration.ofDays(testNumber++ * 1000L));
        testStart = clock.epochSecond();
        api = new TestApi(backend, clock);
    }

    /** Files of acct_A in test mode created from this test's start on, newest first. */
    private List<String> myFileIds(String key) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            TestApi.Response page = api.get(key, "/v1/files?limit=100&created[gte]=" + testStart
                    + (cursor == null ? "" : "&starting_after=" + cursor));
            assertEquals(200, page.status(), page.text());
            page.json().path("data").forEach(f -> ids.add(f.path("id").asText()));
            cursor = page.json().path("has_more").asBoolean() ? ids.get(ids.size() - 1) : null;
        } while (cursor != null);
        return ids;
    }

    private int objectCount() {
        return backend.clients().s3().listObjectsV2(b -> b.bucket(backend.bucket())).keyCount();
    }

    private JsonNode uploadOk(String key, String purpose, String filename, String type, byte[] bytes) {
        TestApi.Response r = api.upload(key, multipart().field("purpose", purpose).file(filename, type, bytes));
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    @Test
    void uploadRetrieveListAndDownloadAgree() {
        byte[] pdf = Samples.pdf(20_000);
        JsonNode file = uploadOk(KEY_A, "dispute_evidence", "evidence.pdf", "application/pdf", pdf);
        String id = file.path("id").asText();
        assertTrue(id.matches("file_[0-9A-Za-z]{24}"), id);
        assertEquals("file", file.path("object").asText());
        assertEquals(clock.epochSecond(), file.path("created").asLong());
        assertEquals(clock.epochSecond() + 270L * 86400, file.path("expires_at").asLong());
        assertEquals("evidence.pdf", file.path("filename").asText());
        assertEquals("dispute_evidence", file.path("purpose").asText());
        assertEquals(pdf.length, file.path("size").asLong());
        assertEquals("pdf", file.path("type").asText());
        assertTrue(file.path("title").isNull());
        assertEquals("https://files.test/v1/files/" + id + "/contents", file.path("url").asText());
        assertEquals("/v1/file_links?file=" + id, file.path("links").path("url").asText());

        TestApi.Response retrieved = api.get(KEY_A, "/v1/files/" + id);
        assertEquals(200, retrieved.status());
        assertEquals(file, retrieved.json());
        assertTrue(retrieved.header("Request-Id").matches("req_[0-9A-Za-z]{14}"));

        TestApi.Response list = api.get(KEY_A, "/v1/files?created[gte]=" + testStart);
        assertEquals("/v1/files", list.json().path("url").asText());
        JsonNode listed = list.json().path("data").get(0);
        assertTrue(listed.path("links").isNull(), "list items leave links out unless data.links is expanded");
        ((com.fasterxml.jackson.databind.node.ObjectNode) listed).set("links", file.path("links"));
        assertEquals(file, listed);

        TestApi.Response contents = api.get(KEY_A, "/v1/files/" + id + "/contents");
        assertEquals(200, contents.status());
        assertArrayEquals(pdf, contents.body());
        assertEquals("application/pdf", contents.header("Content-Type"));
        assertEquals("attachment; filename=\"evidence.pdf\"", contents.header("Content-Disposition"));
        assertEquals("nosniff", contents.header("X-Content-Type-Options"));
    }

    @Test
    void typeComesFromTheBytesNotTheName() {
        JsonNode file = uploadOk(KEY_A, "dispute_evidence", "looks-like.pdf", "application/pdf", Samples.png(3000));
        assertEquals("png", file.path("type").asText());
        assertEquals("looks-like.pdf", file.path("filename").asText());
        TestApi.Response contents = api.get(KEY_A, "/v1/files/" + file.path("id").asText() + "/contents");
        assertEquals("image/png", contents.header("Content-Type"));
    }

    @Test
    void purposesThatNeverExpireHaveNoExpiryAndUndownloadableOnesNoUrl() {
        JsonNode pci = uploadOk(KEY_A, "pci_document", "saq.pdf", "application/pdf", Samples.pdf(1000));
        assertTrue(pci.path("expires_at").isNull());
        JsonNode identity = uploadOk(KEY_A, "identity_document", "passport.jpg", "image/jpeg", Samples.jpg(2000));
        assertTrue(identity.path("url").isNull());
        TestApi.Response contents = api.get(KEY_A, "/v1/files/" + identity.path("id").asText() + "/contents");
        assertEquals(404, contents.status());
    }

    @Test
    void expiredFilesNoLongerServeTheirContents() {
        JsonNode file = uploadOk(KEY_A, "customer_signature", "sig.png", "image/png", Samples.png(500));
        String id = file.path("id").asText();
        assertEquals(clock.epochSecond() + 7 * 86400, file.path("expires_at").asLong());
        clock.advance(Duration.ofDays(7).minusSeconds(1));
        assertEquals(200, api.get(KEY_A, "/v1/files/" + id + "/contents").status());
        clock.advance(Duration.ofSeconds(1));
        TestApi.Response expired = api.get(KEY_A, "/v1/files/" + id + "/contents");
        assertEquals(404, expired.status());
        assertEquals("resource_missing", expired.error().path("code").asText());
        assertEquals(200, api.get(KEY_A, "/v1/files/" + id).status(), "the object itself stays retrievable");
    }

    @Test
    void listsPageBothWaysNewestFirst() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(0, uploadOk(KEY_A, "dispute_evidence", "f" + i + ".png", "image/png", Samples.png(100))
                    .path("id").asText());
            // Several files share a second (created ties are broken by id, whose prefix is the millisecond).
            clock.advance(Duration.ofMillis(i % 3 == 0 ? 1000 : 1));
        }
        String base = "/v1/files?limit=10&created[gte]=" + testStart;
        JsonNode p1 = api.get(KEY_A, base).json();
        JsonNode p2 = api.get(KEY_A, base + "&starting_after=" + last(p1)).json();
        JsonNode p3 = api.get(KEY_A, base + "&starting_after=" + last(p2)).json();
        assertEquals(created.subList(0, 10), ids(p1));
        assertEquals(created.subList(10, 20), ids(p2));
        assertEquals(created.subList(20, 25), ids(p3));
        assertTrue(p1.path("has_more").asBoolean());
        assertTrue(p2.path("has_more").asBoolean());
        assertFalse(p3.path("has_more").asBoolean());

        JsonNode back = api.get(KEY_A, base + "&ending_before=" + created.get(20)).json();
        assertEquals(created.subList(10, 20), ids(back));
        assertTrue(back.path("has_more").asBoolean());
        JsonNode first = api.get(KEY_A, base + "&ending_before=" + created.get(10)).json();
        assertEquals(created.subList(0, 10), ids(first));
        assertFalse(first.path("has_more").asBoolean());
        assertEquals(created, myFileIds(KEY_A));
    }

    @Test
    void purposeAndCreatedFiltersSelect() {
        String a = uploadOk(KEY_A, "dispute_evidence", "a.png", "image/png", Samples.png(100)).path("id").asText();
        clock.advance(Duration.ofSeconds(10));
        long middle = clock.epochSecond();
        String b = uploadOk(KEY_A, "business_logo", "b.png", "image/png", Samples.png(100)).path("id").asText();
        clock.advance(Duration.ofSeconds(10));
        String c = uploadOk(KEY_A, "dispute_evidence", "c.png", "image/png", Samples.png(100)).path("id").asText();
        String since = "&created[gte]=" + testStart;
        assertEquals(List.of(c, a), ids(api.get(KEY_A, "/v1/files?purpose=dispute_evidence" + since).json()));
        assertEquals(List.of(b), ids(api.get(KEY_A, "/v1/files?purpose=business_logo" + since).json()));
        assertEquals(List.of(b), ids(api.get(KEY_A, "/v1/files?created=" + middle).json()));
        assertEquals(List.of(c, b), ids(api.get(KEY_A, "/v1/files?created[gte]=" + middle).json()));
        assertEquals(List.of(b, a), ids(api.get(KEY_A, "/v1/files?created[lte]=" + middle + since).json()));
        assertEquals(List.of(a), ids(api.get(KEY_A, "/v1/files?created[lt]=" + middle + since).json()));
        assertEquals(List.of(c), ids(api.get(KEY_A, "/v1/files?created[gt]=" + middle).json()));
        assertEquals(List.of(c), ids(api.get(KEY_A,
                "/v1/files?purpose=dispute_evidence&created[gt]=" + middle).json()));
    }

    @Test
    void tenantsAndModesNeverSeeEachOther() {
        String id = uploadOk(KEY_A, "dispute_evidence", "a.png", "image/png", Samples.png(100)).path("id").asText();
        for (String other : List.of(KEY_B, KEY_A_LIVE)) {
            TestApi.Response r = api.get(other, "/v1/files/" + id);
            assertEquals(404, r.status());
            assertEquals("No such file: '" + id + "'", r.error().path("message").asText());
            assertEquals(404, api.get(other, "/v1/files/" + id + "/contents").status());
            assertTrue(myFileIds(other).isEmpty());
            assertEquals(400, api.get(other, "/v1/files?starting_after=" + id).status());
        }
        assertEquals(List.of(id), myFileIds(KEY_A));
    }

    record BadUpload(String name, int status, String code, String param, Supplier<TestApi.Response> call) {}

    @Test
    void badUploadsGetStripeErrorsAndStoreNothing() {
        byte[] logo = Samples.png(600_000);
        byte[] huge = Samples.pdf((int) UploadLimits.MAX_REQUEST_BODY_BYTES + 1000);
        TestApi.MultipartBody valid = multipart().field("purpose", "dispute_evidence")
                .file("a.pdf", "application/pdf", Samples.pdf(5000));
        byte[] validBytes = valid.bytes();
        List<BadUpload> cases = List.of(
                new BadUpload("missing file", 400, "parameter_missing", "file",
                        () -> api.upload(KEY_A, multipart().field("purpose", "dispute_evidence"))),
                new BadUpload("missing purpose", 400, "parameter_missing", "purpose",
                        () -> api.upload(KEY_A, multipart().file("a.png", "image/png", Samples.png(10)))),
                new BadUpload("bad purpose", 400, null, "purpose",
                        () -> api.upload(KEY_A, multipart().field("purpose", "selfie")
                                .file("a.png", "image/png", Samples.png(10)))),
                new BadUpload("type the purpose refuses", 400, null, "file",
                        () -> api.upload(KEY_A, multipart().field("purpose", "pci_document")
                                .file("a.png", "image/png", Samples.png(10)))),
                new BadUpload("over the purpose's size", 400, null, "file",
                        () -> api.upload(KEY_A, multipart().field("purpose", "business_logo")
                                .file("logo.png", "image/png", logo))),
                new BadUpload("over the Lambda payload", 400, null, "file",
                        () -> api.upload(KEY_A, multipart().field("purpose", "account_requirement")
                                .file("big.pdf", "application/pdf", huge))),
                new BadUpload("empty file", 400, null, "file",
                        () -> api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                                .file("a.pdf", "application/pdf", new byte[0]))),
                new BadUpload("truncated multipart", 400, null, null,
                        () -> api.call("POST", "/v1/files", KEY_A, Map.of("Content-Type", valid.contentType()),
                                Arrays.copyOf(validBytes, validBytes.length - 40))),
                new BadUpload("not multipart", 400, null, null,
                        () -> api.postForm(KEY_A, "/v1/files", "purpose=dispute_evidence&file=abc")),
                new BadUpload("unknown parameter", 400, "parameter_unknown", "colour",
                        () -> api.upload(KEY_A, multipart().field("purpose", "dispute_evidence").field("colour", "red")
                                .file("a.png", "image/png", Samples.png(10)))),
                new BadUpload("no key", 401, null, null,
                        () -> api.upload(null, multipart().field("purpose", "dispute_evidence")
                                .file("a.png", "image/png", Samples.png(10)))),
                new BadUpload("bad key", 401, null, null,
                        () -> api.upload("sk_test_nottherightkeyatall0000", multipart()
                                .field("purpose", "dispute_evidence").file("a.png", "image/png", Samples.png(10)))));
        int objectsBefore = objectCount();
        for (BadUpload c : cases) {
            TestApi.Response r = c.call.get();
            assertEquals(c.status, r.status(), c.name + ": " + r.text());
            JsonNode error = r.error();
            assertEquals("invalid_request_error", error.path("type").asText(), c.name);
            assertEquals(c.code, error.has("code") ? error.path("code").asText() : null, c.name);
            assertEquals(c.param, error.has("param") ? error.path("param").asText() : null, c.name);
            assertFalse(error.path("message").asText().isBlank(), c.name);
            assertNotNull(r.header("Request-Id"), c.name);
        }
        assertTrue(myFileIds(KEY_A).isEmpty(), "no file was stored");
        assertEquals(objectsBefore, objectCount(), "no contents were stored");
    }

    @Test
    void badListAndRetrieveRequestsGetStripeErrors() {
        record Case(String path, int status, String code, String param) {}
        List<Case> cases = List.of(
                new Case("/v1/files?limit=0", 400, "parameter_invalid_integer", "limit"),
                new Case("/v1/files?limit=101", 400, "parameter_invalid_integer", "limit"),
                new Case("/v1/files?limit=ten", 400, "parameter_invalid_integer", "limit"),
                new Case("/v1/files?limit=%205", 400, "parameter_invalid_integer", "limit"),
                new Case("/v1/files?starting_after=file_doesnotexist000000000000", 400, "resource_missing",
                        "starting_after"),
                new Case("/v1/files?ending_before=nonsense", 400, "resource_missing", "ending_before"),
                new Case("/v1/files?colour=red", 400, "parameter_unknown", "colour"),
                new Case("/v1/files?created[since]=1", 400, "parameter_unknown", "created[since]"),
                new Case("/v1/files?purpose=holiday_photos", 400, null, "purpose"),
                new Case("/v1/files?expand[]=links", 400, null, "expand"),
                new Case("/v1/files/file_doesnotexist000000000000", 404, "resource_missing", "file"),
                new Case("/v1/files/file_doesnotexist000000000000?expand[]=owner", 400, null, "expand"),
                new Case("/v1/files/file_x/contents", 404, "resource_missing", "file"),
                new Case("/v1/charges", 404, null, null),
                new Case("/v1/files?created" + "[gt]".repeat(3000) + "=1", 400, null, "created"),
                new Case("/v1/files?starting_after=file_" + "x".repeat(5000), 400, null, "starting_after"));
        for (Case c : cases) {
            TestApi.Response r = api.get(KEY_A, c.path);
            assertEquals(c.status, r.status(), c.path + ": " + r.text());
            JsonNode error = r.error();
            assertEquals(c.code, error.has("code") ? error.path("code").asText() : null, c.path);
            assertEquals(c.param, error.has("param") ? error.path("param").asText() : null, c.path);
        }
        assertEquals(200, api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                .file("a.pdf", "application/pdf", Samples.pdf(300))).status());
        assertEquals(0, api.get(KEY_A, "/v1/files?created[gt]=" + Long.MAX_VALUE).json().path("data").size(),
                "a bound at the largest integer does not wrap around");
        assertTrue(api.get(KEY_A, "/v1/files?created[lte]=" + Long.MAX_VALUE).json().path("data").size() > 0);
        TestApi.Response wrongMethod = api.call("DELETE", "/v1/files/file_x", KEY_A, Map.of(), null);
        assertEquals(404, wrongMethod.status());
        assertEquals("Unrecognized request URL (DELETE: /v1/files/file_x). Please see https://stripe.com/docs or we"
                + " can help at https://support.stripe.com/.", wrongMethod.error().path("message").asText());
        assertEquals(401, api.get(null, "/v1/files").status());
        assertEquals(401, api.get("sk_test_unknownunknownunknow1234", "/v1/files").status());
        assertEquals("Invalid API Key provided: sk_test_********************1234",
                api.get("sk_test_unknownunknownunknow1234", "/v1/files").error().path("message").asText());
    }

    private static String last(JsonNode list) {
        JsonNode data = list.path("data");
        return data.get(data.size() - 1).path("id").asText();
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }
}
