package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.KEY_A_LIVE;
import static filesapi.local.TestApi.KEY_A_PUBLISHABLE;
import static filesapi.local.TestApi.KEY_B;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.fakes.SettableClock;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * File links end to end: the API through its handlers, and the public link URL through the redirect to the real
 * (emulated) S3. Each test gets accounts of its own; the clock starts at the real time, because the presigned URLs
 * are checked by the S3 emulator against its own clock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LinkScenarios {
    private static final AtomicInteger RUN = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

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

    @BeforeEach
    void freshAccounts() {
        clock = SettableClock.startingNow();
        api = new TestApi(backend, clock, "_links" + RUN.incrementAndGet());
    }

    private String upload(String key, String purpose, byte[] bytes) {
        TestApi.Response r = api.upload(key, multipart().field("purpose", purpose).file("doc.pdf", "application/pdf",
                bytes));
        assertEquals(200, r.status(), r.text());
        return r.json().path("id").asText();
    }

    private JsonNode createLink(String key, String form) {
        TestApi.Response r = api.postForm(key, "/v1/file_links", form);
        assertEquals(200, r.status(), r.text());
        return r.json();
    }

    private String token(JsonNode link) {
        String url = link.path("url").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private TestApi.Response open(JsonNode link) {
        return api.call("GET", "/links/" + token(link), null, Map.of(), null);
    }

    private HttpResponse<byte[]> follow(TestApi.Response redirect) throws Exception {
        assertEquals(302, redirect.status(), redirect.text());
        return http.send(HttpRequest.newBuilder(URI.create(redirect.header("Location"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Map<String, String> query(String url) {
        Map<String, String> q = new HashMap<>();
        for (String part : URI.create(url).getRawQuery().split("&")) {
            String[] kv = part.split("=", 2);
            q.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return q;
    }

    /** When the presigned URL stops working: its signing time plus its lifetime. */
    private static long presignedExpiry(String url) {
        Map<String, String> q = query(url);
        Instant signed = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                .parse(q.get("X-Amz-Date"), Instant::from);
        return signed.getEpochSecond() + Long.parseLong(q.get("X-Amz-Expires"));
    }

    @Test
    void linkOpensToTheExactBytesWithoutAKey() throws Exception {
        byte[] pdf = Samples.pdf(50_000);
        String fileId = upload(KEY_A, "dispute_evidence", pdf);
        JsonNode link = createLink(KEY_A, "file=" + fileId);
        assertTrue(link.path("id").asText().matches("link_[0-9A-Za-z]{24}"));
        assertEquals("file_link", link.path("object").asText());
        assertFalse(link.path("expired").asBoolean());
        assertTrue(link.path("expires_at").isNull());
        assertEquals(fileId, link.path("file").asText());
        assertFalse(link.path("livemode").asBoolean());
        assertEquals(0, link.path("metadata").size());
        assertTrue(link.path("url").asText().matches("https://files\\.test/links/[0-9A-Za-z]{32}"));
        assertEquals(link, api.get(KEY_A, "/v1/file_links/" + link.path("id").asText()).json(), "stable url");

        TestApi.Response redirect = open(link);
        String location = redirect.header("Location");
        assertFalse(location.contains("files.test"), "the redirect goes to S3, not the API");
        assertTrue(presignedExpiry(location) <= clock.epochSecond() + 300);
        HttpResponse<byte[]> download = follow(redirect);
        assertEquals(200, download.statusCode());
        assertArrayEquals(pdf, download.body());
        // The headers below are the presigned URL's response overrides, which S3 applies.
        Backend.assume(backend, Backend.Capability.PRESIGNED_RESPONSE_OVERRIDES);
        assertEquals("application/pdf", download.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"doc.pdf\"",
                download.headers().firstValue("Content-Disposition").orElseThrow());
    }

    @Test
    void revokingWithExpiresAtNowRefusesTheSameUrlAtOnce() {
        String fileId = upload(KEY_A, "dispute_evidence", Samples.pdf(1000));
        JsonNode link = createLink(KEY_A, "file=" + fileId);
        assertEquals(302, open(link).status());
        TestApi.Response revoked = api.postForm(KEY_A, "/v1/file_links/" + link.path("id").asText(),
                "expires_at=now");
        assertEquals(200, revoked.status(), revoked.text());
        assertTrue(revoked.json().path("expired").asBoolean());
        assertEquals(clock.epochSecond(), revoked.json().path("expires_at").asLong());
        assertEquals(link.path("url"), revoked.json().path("url"));
        TestApi.Response refused = open(link);
        TestApi.Response unknown = api.call("GET", "/links/" + "x".repeat(32), null, Map.of(), null);
        assertEquals(404, refused.status());
        assertEquals(404, unknown.status());
        assertEquals(unknown.error(), refused.error(), "expired and unknown tokens look the same");
        assertNull(refused.header("Location"));
    }

    @Test
    void aLinkExpiringSoonRefusesAfterItsTimeAndItsRedirectNeverOutlivesIt() throws Exception {
        byte[] pdf = Samples.pdf(2000);
        String fileId = upload(KEY_A, "dispute_evidence", pdf);
        long expiresAt = clock.epochSecond() + 5;
        JsonNode link = createLink(KEY_A, "file=" + fileId + "&expires_at=" + expiresAt);
        assertEquals(expiresAt, link.path("expires_at").asLong());
        clock.advance(Duration.ofSeconds(2));
        TestApi.Response redirect = open(link);
        assertEquals(302, redirect.status());
        assertTrue(presignedExpiry(redirect.header("Location")) <= expiresAt,
                "presigned URL must not outlive the link");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(404, open(link).status());
        assertTrue(api.get(KEY_A, "/v1/file_links/" + link.path("id").asText()).json().path("expired").asBoolean());
        TestApi.Response update = api.postForm(KEY_A, "/v1/file_links/" + link.path("id").asText(),
                "metadata[a]=b");
        assertEquals(400, update.status(), "an expired link cannot be updated");
    }

    @Test
    void theS3SideRefusesAPresignedUrlOnceTheLinkHasExpired() throws Exception {
        Backend.assume(backend, Backend.Capability.PRESIGNED_EXPIRY);
        byte[] pdf = Samples.pdf(2000);
        // Sign an hour ago, as the service's clock says: the link's minute has long passed for S3's real clock.
        clock.advance(Duration.ofHours(-1));
        String fileId = upload(KEY_A, "dispute_evidence", pdf);
        JsonNode shortLink = createLink(KEY_A, "file=" + fileId + "&expires_at=" + (clock.epochSecond() + 60));
        HttpResponse<byte[]> expired = follow(open(shortLink));
        assertEquals(403, expired.statusCode(), "S3 must refuse: the URL's expiry is the link's");
        clock.advance(Duration.ofHours(1));
        JsonNode openLink = createLink(KEY_A, "file=" + fileId);
        HttpResponse<byte[]> ok = follow(open(openLink));
        assertEquals(200, ok.statusCode());
        assertArrayEquals(pdf, ok.body());
    }

    @Test
    void updatesMergeMetadataAndChangeExpiry() {
        String fileId = upload(KEY_A, "dispute_evidence", Samples.pdf(1000));
        JsonNode link = createLink(KEY_A, "file=" + fileId + "&metadata[order]=6735&metadata[customer]=cus_1"
                + "&expires_at=" + (clock.epochSecond() + 3600));
        String path = "/v1/file_links/" + link.path("id").asText();
        JsonNode merged = api.postForm(KEY_A, path, "metadata[order]=&metadata[note]=hello").json();
        assertEquals(Map.of("customer", "cus_1", "note", "hello"), toMap(merged.path("metadata")));
        JsonNode cleared = api.postForm(KEY_A, path, "expires_at=").json();
        assertTrue(cleared.path("expires_at").isNull());
        assertEquals(toMap(merged.path("metadata")), toMap(cleared.path("metadata")));
        JsonNode emptied = api.postForm(KEY_A, path, "metadata=").json();
        assertEquals(0, emptied.path("metadata").size());
        long later = clock.epochSecond() + 7200;
        assertEquals(later, api.postForm(KEY_A, path, "expires_at=" + later).json().path("expires_at").asLong());
        assertEquals(400, api.postForm(KEY_A, path, "expires_at=" + (clock.epochSecond() - 1)).status());
        assertEquals("parameter_invalid_integer",
                api.postForm(KEY_A, path, "expires_at=tomorrow").error().path("code").asText());
    }

    @Test
    void listsFilterByFileAndExpiredAndPageBothWays() {
        TestApi.Response noSuchFile = api.get(KEY_A, "/v1/file_links?file=file_" + "x".repeat(3000));
        assertEquals(200, noSuchFile.status(), "an id too long for a DynamoDB key names no file: " + noSuchFile.text());
        assertEquals(0, noSuchFile.json().path("data").size());
        String f1 = upload(KEY_A, "dispute_evidence", Samples.pdf(1000));
        String f2 = upload(KEY_A, "dispute_evidence", Samples.pdf(1000));
        List<String> all = new ArrayList<>();
        List<String> ofF1 = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String file = i % 2 == 0 ? f1 : f2;
            String id = createLink(KEY_A, "file=" + file + (i % 3 == 0 ? "&expires_at=" + (clock.epochSecond() + 10)
                    : "")).path("id").asText();
            all.add(0, id);
            if (file.equals(f1)) {
                ofF1.add(0, id);
            }
            if (i % 3 == 0) {
                expired.add(0, id);
            }
            clock.advance(Duration.ofMillis(400));
        }
        clock.advance(Duration.ofSeconds(30));
        assertEquals(all, ids(api.get(KEY_A, "/v1/file_links?limit=100").json()));
        assertEquals(ofF1, ids(api.get(KEY_A, "/v1/file_links?file=" + f1).json()));
        assertEquals(expired, ids(api.get(KEY_A, "/v1/file_links?expired=true").json()));
        List<String> live = new ArrayList<>(all);
        live.removeAll(expired);
        assertEquals(live, ids(api.get(KEY_A, "/v1/file_links?expired=false&limit=100").json()));

        JsonNode p1 = api.get(KEY_A, "/v1/file_links?limit=5").json();
        JsonNode p2 = api.get(KEY_A, "/v1/file_links?limit=5&starting_after=" + all.get(4)).json();
        JsonNode p3 = api.get(KEY_A, "/v1/file_links?limit=5&starting_after=" + all.get(9)).json();
        assertEquals(all.subList(0, 5), ids(p1));
        assertEquals(all.subList(5, 10), ids(p2));
        assertEquals(all.subList(10, 12), ids(p3));
        assertTrue(p2.path("has_more").asBoolean());
        assertFalse(p3.path("has_more").asBoolean());
        assertEquals(all.subList(5, 10), ids(api.get(KEY_A, "/v1/file_links?limit=5&ending_before=" + all.get(10))
                .json()));
        JsonNode expiredPage = api.get(KEY_A, "/v1/file_links?expired=false&limit=2").json();
        assertEquals(live.subList(0, 2), ids(expiredPage));
        assertTrue(expiredPage.path("has_more").asBoolean());

        JsonNode expanded = api.get(KEY_A, "/v1/file_links?limit=1&expand[]=data.file").json();
        assertEquals("file", expanded.path("data").get(0).path("file").path("object").asText());
        assertEquals(400, api.get(KEY_A, "/v1/file_links?expand[]=file").status());
        assertEquals(400, api.get(KEY_A, "/v1/file_links?expired=maybe").status());
    }

    @Test
    void filesEmbedTheirLinksAndUploadsCanCreateOne() {
        TestApi.Response created = api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                .field("file_link_data[create]", "true").field("file_link_data[metadata][k]", "v")
                .field("expand[]", "links.data.file")
                .file("e.pdf", "application/pdf", Samples.pdf(3000)));
        assertEquals(200, created.status(), created.text());
        JsonNode links = created.json().path("links");
        assertEquals(1, links.path("data").size());
        JsonNode link = links.path("data").get(0);
        assertEquals("v", link.path("metadata").path("k").asText());
        String fileId = created.json().path("id").asText();
        assertEquals(fileId, link.path("file").path("id").asText());
        createLink(KEY_A, "file=" + fileId);
        JsonNode retrieved = api.get(KEY_A, "/v1/files/" + fileId).json();
        assertEquals(2, retrieved.path("links").path("data").size());
        assertEquals("/v1/file_links?file=" + fileId, retrieved.path("links").path("url").asText());
        assertTrue(api.get(KEY_A, "/v1/files?limit=1").json().path("data").get(0).path("links").isNull());
        assertEquals(2, api.get(KEY_A, "/v1/files?limit=1&expand[]=data.links").json().path("data").get(0)
                .path("links").path("data").size());
        JsonNode expanded = api.get(KEY_A, "/v1/file_links/" + link.path("id").asText() + "?expand[]=file").json();
        assertEquals(fileId, expanded.path("file").path("id").asText());
    }

    @Test
    void badLinkRequestsGetStripeErrorsAndStoreNothing() {
        String fileId = upload(KEY_A, "dispute_evidence", Samples.pdf(1000));
        String identity = upload(KEY_A, "identity_document", Samples.pdf(1000));
        record Case(String name, String key, String form, int status, String code, String param) {}
        List<Case> cases = List.of(
                new Case("missing file", KEY_A, "metadata[a]=b", 400, "parameter_missing", "file"),
                new Case("file id too long for a key", KEY_A, "file=file_" + "x".repeat(3000), 400,
                        "resource_missing", "file"),
                new Case("file id over 5000 characters", KEY_A, "file=file_" + "x".repeat(5000), 400, null, "file"),
                new Case("unknown file", KEY_A, "file=file_doesnotexist000000000000", 400, "resource_missing", "file"),
                new Case("another account's file", KEY_B, "file=" + fileId, 400, "resource_missing", "file"),
                new Case("live key, test file", KEY_A_LIVE, "file=" + fileId, 400, "resource_missing", "file"),
                new Case("purpose not linkable", KEY_A, "file=" + identity, 400, null, "file"),
                new Case("expiry in the past", KEY_A, "file=" + fileId + "&expires_at=" + (clock.epochSecond() - 5),
                        400, null, "expires_at"),
                new Case("expiry not an integer", KEY_A, "file=" + fileId + "&expires_at=soon", 400,
                        "parameter_invalid_integer", "expires_at"),
                new Case("unknown parameter", KEY_A, "file=" + fileId + "&colour=red", 400, "parameter_unknown",
                        "colour"),
                new Case("metadata key too long", KEY_A, "file=" + fileId + "&metadata[" + "k".repeat(41) + "]=v",
                        400, null, "metadata"),
                new Case("metadata value too long", KEY_A, "file=" + fileId + "&metadata[k]=" + "v".repeat(501),
                        400, null, "metadata"),
                new Case("bad expand", KEY_A, "file=" + fileId + "&expand[]=owner", 400, null, "expand"),
                new Case("publishable key", KEY_A_PUBLISHABLE, "file=" + fileId, 403, null, null),
                new Case("no key", null, "file=" + fileId, 401, null, null));
        for (Case c : cases) {
            TestApi.Response r = api.postForm(c.key, "/v1/file_links", c.form);
            assertEquals(c.status, r.status(), c.name + ": " + r.text());
            assertEquals(c.code, r.error().has("code") ? r.error().path("code").asText() : null, c.name);
            assertEquals(c.param, r.error().has("param") ? r.error().path("param").asText() : null, c.name);
        }
        StringBuilder tooMany = new StringBuilder("file=" + fileId);
        for (int i = 0; i < 51; i++) {
            tooMany.append("&metadata[k").append(i).append("]=v");
        }
        assertEquals("metadata", api.postForm(KEY_A, "/v1/file_links", tooMany.toString()).error().path("param")
                .asText());
        TestApi.Response notLinkable = api.upload(KEY_A, multipart().field("purpose", "identity_document")
                .field("file_link_data[create]", "true").file("id.pdf", "application/pdf", Samples.pdf(1000)));
        assertEquals(400, notLinkable.status());
        assertEquals("file_link_data[create]", notLinkable.error().path("param").asText());
        assertEquals(0, api.get(KEY_A, "/v1/file_links").json().path("data").size(), "no link was stored");
        assertEquals(2, api.get(KEY_A, "/v1/files").json().path("data").size(), "no file was stored");
    }

    @Test
    void otherAccountsAndModesCanNeitherSeeNorUpdateLinks() {
        String fileId = upload(KEY_A, "dispute_evidence", Samples.pdf(1000));
        JsonNode link = createLink(KEY_A, "file=" + fileId);
        String path = "/v1/file_links/" + link.path("id").asText();
        for (String other : List.of(KEY_B, KEY_A_LIVE)) {
            TestApi.Response read = api.get(other, path);
            assertEquals(404, read.status());
            assertEquals("link", read.error().path("param").asText());
            assertEquals(404, api.postForm(other, path, "expires_at=now").status());
            assertEquals(0, api.get(other, "/v1/file_links").json().path("data").size());
            assertEquals(0, api.get(other, "/v1/file_links?file=" + fileId).json().path("data").size());
        }
        assertEquals(403, api.get(KEY_A_PUBLISHABLE, path).status());
        assertEquals(302, open(link).status(), "still open: nobody else could revoke it");
        assertEquals(true, api.get(KEY_A_LIVE, "/v1/file_links").json().path("data").isEmpty());
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(f -> ids.add(f.path("id").asText()));
        return ids;
    }

    private static Map<String, String> toMap(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
