package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.KEY_A_LIVE;
import static filesapi.local.TestApi.KEY_B;
import static filesapi.local.TestApi.KEY_B_LIVE;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.Log;
import filesapi.core.fakes.SettableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Tenancy across accounts and modes, secrets kept out of storage and logs, and safe downloads. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityTest {
    private static final List<String> TENANT_KEYS = List.of(KEY_A, KEY_A_LIVE, KEY_B, KEY_B_LIVE);
    private Backend backend;
    private TestApi api;

    /** The embedded emulators, adversarial; External* subclasses choose another backend. */
    protected Backend startBackend() throws Exception {
        return Backend.adversarial();
    }

    @BeforeAll
    void start() throws Exception {
        backend = startBackend();
        api = new TestApi(backend, SettableClock.startingNow(), "_security");
    }

    @AfterAll
    void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private record Owned(String key, String fileId, String linkId, String token) {}

    private Owned createObjects(String key) {
        TestApi.Response file = api.upload(key, multipart().field("purpose", "dispute_evidence")
                .file("secret.pdf", "application/pdf", Samples.pdf(1000)));
        assertEquals(200, file.status(), file.text());
        String fileId = file.json().path("id").asText();
        JsonNode link = api.postForm(key, "/v1/file_links", "file=" + fileId).json();
        String url = link.path("url").asText();
        return new Owned(key, fileId, link.path("id").asText(), url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    void noTenantReadsListsLinksOrChangesAnotherTenantsObjects() {
        Map<String, Owned> owned = new LinkedHashMap<>();
        for (String key : TENANT_KEYS) {
            owned.put(key, createObjects(key));
        }
        Map<String, BiFunction<String, Owned, Boolean>> endpoints = new LinkedHashMap<>();
        endpoints.put("retrieve file", (k, o) -> api.get(k, "/v1/files/" + o.fileId).status() == 404);
        endpoints.put("download file", (k, o) -> api.get(k, "/v1/files/" + o.fileId + "/contents").status() == 404);
        endpoints.put("list files", (k, o) -> !api.get(k, "/v1/files?limit=100").text().contains(o.fileId));
        endpoints.put("page files after it", (k, o) ->
                api.get(k, "/v1/files?starting_after=" + o.fileId).status() == 400);
        endpoints.put("link the file", (k, o) ->
                api.postForm(k, "/v1/file_links", "file=" + o.fileId).status() == 400);
        endpoints.put("retrieve link", (k, o) -> api.get(k, "/v1/file_links/" + o.linkId).status() == 404);
        endpoints.put("update link", (k, o) ->
                api.postForm(k, "/v1/file_links/" + o.linkId, "expires_at=now").status() == 404);
        endpoints.put("list links", (k, o) -> !api.get(k, "/v1/file_links?limit=100").text().contains(o.linkId));
        endpoints.put("list links of the file", (k, o) ->
                api.get(k, "/v1/file_links?file=" + o.fileId).json().path("data").isEmpty());
        int cells = 0;
        List<String> leaks = new ArrayList<>();
        for (String viewer : TENANT_KEYS) {
            for (Owned target : owned.values()) {
                if (target.key.equals(viewer)) {
                    continue;
                }
                for (Map.Entry<String, BiFunction<String, Owned, Boolean>> e : endpoints.entrySet()) {
                    cells++;
                    if (!e.getValue().apply(viewer, target)) {
                        leaks.add(e.getKey() + ": " + viewer.substring(0, 8) + " -> " + target.key.substring(0, 8));
                    }
                }
            }
        }
        assertEquals(List.of(), leaks);
        assertEquals(4 * 3 * 9, cells);
        for (Owned o : owned.values()) {
            assertEquals(302, api.call("GET", "/links/" + o.token, null, Map.of(), null).status(),
                    "every link still opens: no other tenant could revoke it");
            assertEquals(200, api.get(o.key, "/v1/files/" + o.fileId).status());
        }
    }

    @Test
    void keysAreStoredOnlyAsHashes() {
        List<String> strings = new ArrayList<>();
        for (Map<String, AttributeValue> item : backend.clients().dynamo()
                .scan(s -> s.tableName(backend.table()).consistentRead(true)).items()) {
            item.values().forEach(v -> {
                if (v.s() != null) {
                    strings.add(v.s());
                }
            });
        }
        assertFalse(strings.isEmpty());
        for (String key : List.of(KEY_A, KEY_A_LIVE, KEY_B, KEY_B_LIVE, TestApi.KEY_A_PUBLISHABLE)) {
            assertTrue(strings.stream().noneMatch(s -> s.contains(key.substring(8))), "plaintext key stored");
        }
    }

    @Test
    void logsCarryNoKeysTokensOrPresignedUrls() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Log.quiet(false);
        List<String> secrets = new ArrayList<>();
        try {
            Owned o = createObjects(KEY_A);
            secrets.add(o.token);
            TestApi.Response opened = api.call("GET", "/links/" + o.token, null, Map.of(), null);
            secrets.add(URI.create(opened.header("Location")).getRawQuery());
            api.get("sk_test_wrongwrongwrongwrong1234", "/v1/files");
            api.call("GET", "/v1/files", null, Map.of("Authorization", "Basic c2tfdGVzdF9zZWNyZXQ6"), null);
            api.postForm(KEY_A, "/v1/file_links/" + o.linkId, "expires_at=now");
            api.call("GET", "/links/" + o.token, null, Map.of(), null);
        } finally {
            Log.quiet(true);
            System.setOut(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("\"route\":\"GET /links/{token}\""), logs);
        secrets.addAll(List.of(KEY_A, KEY_A.substring(8), "sk_test_wrongwrongwrongwrong1234", "c2tfdGVzdF9zZWNyZXQ6",
                "X-Amz-Signature", "X-Amz-Credential"));
        for (String secret : secrets) {
            assertFalse(logs.contains(secret), "a log line contains " + secret);
        }
    }

    @Test
    void downloadsAreInertAttachmentsWithSafeNames() throws Exception {
        byte[] html = "<html><script>alert(document.cookie)</script></html>".getBytes(StandardCharsets.UTF_8);
        TestApi.Response csv = api.upload(KEY_A, multipart().field("purpose", "tax_document_user_upload")
                .file("../../etc/\u00e9t\u00e9 report;x.csv", "text/csv", html));
        assertEquals(200, csv.status(), csv.text());
        assertEquals("\u00e9t\u00e9 report;x.csv", csv.json().path("filename").asText(), "directories dropped");
        TestApi.Response download = api.get(KEY_A, "/v1/files/" + csv.json().path("id").asText() + "/contents");
        assertEquals("text/csv", download.header("Content-Type"));
        assertEquals("nosniff", download.header("X-Content-Type-Options"));
        assertEquals("default-src 'none'; sandbox", download.header("Content-Security-Policy"));
        assertEquals("attachment; filename=\"_t_ report_x.csv\"; filename*=UTF-8''%C3%A9t%C3%A9%20report%3Bx.csv",
                download.header("Content-Disposition"));

        TestApi.Response htmlAsHtml = api.upload(KEY_A, multipart().field("purpose", "tax_document_user_upload")
                .file("page.html", "text/html", html));
        assertEquals(400, htmlAsHtml.status(), "HTML is not an accepted format for any purpose");

        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        TestApi.Response signature = api.upload(KEY_A, multipart().field("purpose", "customer_signature")
                .file("sig.svg", "image/svg+xml", svg));
        assertEquals(200, signature.status(), signature.text());
        TestApi.Response svgDownload = api.get(KEY_A, "/v1/files/" + signature.json().path("id").asText()
                + "/contents");
        assertEquals("image/svg+xml", svgDownload.header("Content-Type"));
        assertTrue(svgDownload.header("Content-Disposition").startsWith("attachment;"));
        assertEquals("default-src 'none'; sandbox", svgDownload.header("Content-Security-Policy"));

        String linkUrl = api.postForm(KEY_A, "/v1/file_links", "file=" + signature.json().path("id").asText()).json()
                .path("url").asText();
        TestApi.Response opened = api.call("GET", "/links/" + linkUrl.substring(linkUrl.lastIndexOf('/') + 1),
                null, Map.of(), null);
        assertEquals("no-referrer", opened.header("Referrer-Policy"));
        HttpResponse<byte[]> s3 = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(opened.header("Location"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, s3.statusCode());
        // The headers below are the presigned URL's response overrides, which S3 applies.
        Backend.assume(backend, Backend.Capability.PRESIGNED_RESPONSE_OVERRIDES);
        assertNotEquals("text/html", s3.headers().firstValue("Content-Type").orElse(""));
        assertTrue(s3.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
    }
}
