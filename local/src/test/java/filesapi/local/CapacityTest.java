package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;

import filesapi.core.fakes.SettableClock;
import filesapi.local.dynamodb.InMemoryDynamoDb;
import filesapi.local.dynamodb.InMemoryDynamoDb.Capacity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Read and write capacity units per request, counted by the emulator as DynamoDB's ReturnConsumedCapacity counts
 * them (BENCHMARKS.md quotes the table this prints). The API key is cached after the first request, so the figures
 * leave its lookup out; requests carry no Idempotency-Key. Items here are small (about 350 bytes a file or link), so
 * a page of 11 list entries fits one 4 KB read unit; larger metadata or names take a page to two.
 */
class CapacityTest {
    /** Read units, write units: every read consistent, every write in a transaction with its list entries. */
    private static final Map<String, Capacity> EXPECTED = Map.ofEntries(
            Map.entry("upload a file", new Capacity(0, 6)),
            Map.entry("upload a file with a link", new Capacity(0, 14)),
            Map.entry("retrieve a file (10 links embedded)", new Capacity(2, 0)),
            Map.entry("list 10 files", new Capacity(1, 0)),
            Map.entry("list 10 files of a purpose", new Capacity(1, 0)),
            Map.entry("list 10 files after a cursor", new Capacity(2, 0)),
            Map.entry("create a link", new Capacity(1, 8)),
            Map.entry("update a link's metadata", new Capacity(1, 8)),
            Map.entry("retrieve a link", new Capacity(1, 0)),
            Map.entry("list 10 links", new Capacity(1, 0)),
            Map.entry("list 10 links of a file", new Capacity(1, 0)),
            Map.entry("open a link", new Capacity(1, 0)));

    @Test
    void unitsPerRequest() throws Exception {
        try (Backend backend = Backend.embedded()) {
            InMemoryDynamoDb dynamo = Backend.emulator(backend);
            TestApi api = new TestApi(backend, SettableClock.startingNow(), "_capacity");
            String fileId = null;
            for (int i = 0; i < 12; i++) {
                fileId = api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                        .file("f.pdf", "application/pdf", Samples.pdf(1000))).json().path("id").asText();
            }
            String file = fileId;
            String linkId = null;
            for (int i = 0; i < 12; i++) {
                linkId = api.postForm(KEY_A, "/v1/file_links", "file=" + file).json().path("id").asText();
            }
            String link = linkId;
            String url = api.get(KEY_A, "/v1/file_links/" + link).json().path("url").asText();
            String token = url.substring(url.lastIndexOf('/') + 1);

            Map<String, Supplier<TestApi.Response>> requests = new LinkedHashMap<>();
            requests.put("upload a file", () -> api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                    .file("f.pdf", "application/pdf", Samples.pdf(1000))));
            requests.put("upload a file with a link", () -> api.upload(KEY_A, multipart()
                    .field("purpose", "dispute_evidence").field("file_link_data[create]", "true")
                    .file("f.pdf", "application/pdf", Samples.pdf(1000))));
            requests.put("retrieve a file (10 links embedded)", () -> api.get(KEY_A, "/v1/files/" + file));
            requests.put("list 10 files", () -> api.get(KEY_A, "/v1/files?limit=10"));
            requests.put("list 10 files of a purpose", () -> api.get(KEY_A, "/v1/files?limit=10&purpose=dispute_evidence"));
            requests.put("list 10 files after a cursor", () -> api.get(KEY_A, "/v1/files?limit=10&starting_after=" + file));
            requests.put("create a link", () -> api.postForm(KEY_A, "/v1/file_links", "file=" + file));
            requests.put("update a link's metadata", () -> api.postForm(KEY_A, "/v1/file_links/" + link, "metadata[k]=v"));
            requests.put("retrieve a link", () -> api.get(KEY_A, "/v1/file_links/" + link));
            requests.put("list 10 links", () -> api.get(KEY_A, "/v1/file_links?limit=10"));
            requests.put("list 10 links of a file", () -> api.get(KEY_A, "/v1/file_links?limit=10&file=" + file));
            requests.put("open a link", () -> api.call("GET", "/links/" + token, null, Map.of(), null));
            StringBuilder table = new StringBuilder("| request | RCU | WCU |\n|---|---:|---:|\n");
            Map<String, Capacity> measured = new LinkedHashMap<>();
            for (Map.Entry<String, Supplier<TestApi.Response>> r : requests.entrySet()) {
                Capacity before = dynamo.consumedCapacity();
                int status = r.getValue().get().status();
                Capacity used = dynamo.consumedCapacity().minus(before);
                measured.put(r.getKey(), used);
                assertEquals(r.getKey().equals("open a link") ? 302 : 200, status, r.getKey());
                table.append("| ").append(r.getKey()).append(" | ").append(used.readUnits()).append(" | ")
                        .append(used.writeUnits()).append(" |\n");
            }
            System.out.println(table);
            for (Map.Entry<String, Supplier<TestApi.Response>> r : requests.entrySet()) {
                assertEquals(EXPECTED.get(r.getKey()), measured.get(r.getKey()), r.getKey() + "\n" + table);
            }
        }
    }
}
