package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.KEY_B;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.core.fakes.SettableClock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Many requests at once, across accounts: unique ids, nothing lost, lists complete and ordered, and no 5xx while the
 * emulator cancels racing transactions with TransactionConflict as DynamoDB does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest {
    private Backend backend;
    private ExecutorService pool;

    /** The embedded emulators, adversarial; External* subclasses choose another backend. */
    protected Backend startBackend() throws Exception {
        return Backend.adversarial();
    }

    @BeforeAll
    void start() throws Exception {
        backend = startBackend();
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterAll
    void stop() {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private <T> List<T> all(List<Callable<T>> calls) throws Exception {
        List<T> results = new ArrayList<>();
        for (Future<T> f : pool.invokeAll(calls)) {
            results.add(f.get());
        }
        return results;
    }

    private static List<String> listAll(TestApi api, String key, String path) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get(key, path + (path.contains("?") ? "&" : "?") + "limit=100"
                    + (cursor == null ? "" : "&starting_after=" + cursor)).json();
            page.path("data").forEach(o -> ids.add(o.path("id").asText()));
            cursor = page.path("has_more").asBoolean() ? ids.get(ids.size() - 1) : null;
        } while (cursor != null);
        return ids;
    }

    @Test
    void fiftyParallelUploadsAndTwoHundredParallelLinksAcrossAccounts() throws Exception {
        SettableClock clock = SettableClock.startingNow();
        TestApi api = new TestApi(backend, clock, "_concurrency");
        List<String> keys = List.of(KEY_A, KEY_B);
        List<Callable<String[]>> uploads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String key = keys.get(i % 2);
            byte[] pdf = Samples.pdf(2000 + i);
            uploads.add(() -> {
                TestApi.Response r = api.upload(key, multipart().field("purpose", "dispute_evidence")
                        .file("f.pdf", "application/pdf", pdf));
                assertEquals(200, r.status(), r.text());
                return new String[] {key, r.json().path("id").asText(), Integer.toString(pdf.length)};
            });
        }
        List<String[]> files = all(uploads);
        assertEquals(50, new HashSet<>(files.stream().map(f -> f[1]).toList()).size(), "ids are unique");
        for (String[] f : files) {
            TestApi.Response contents = api.get(f[0], "/v1/files/" + f[1] + "/contents");
            assertEquals(Integer.parseInt(f[2]), contents.body().length);
        }
        for (String key : keys) {
            List<String> listed = listAll(api, key, "/v1/files");
            Set<String> mine = new HashSet<>(files.stream().filter(f -> f[0].equals(key)).map(f -> f[1]).toList());
            assertEquals(mine, new HashSet<>(listed), "the list is complete and only the account's own");
            assertEquals(listed.size(), new HashSet<>(listed).size(), "no duplicates across pages");
            List<String> sorted = new ArrayList<>(listed);
            sorted.sort(Collections.reverseOrder());
            assertEquals(sorted, listed, "newest first (ids begin with their creation time)");
        }

        List<Callable<String[]>> links = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String[] file = files.get(i % files.size());
            links.add(() -> {
                TestApi.Response r = api.postForm(file[0], "/v1/file_links", "file=" + file[1]);
                assertEquals(200, r.status(), r.text());
                return new String[] {file[0], r.json().path("id").asText(), file[1]};
            });
        }
        List<String[]> created = all(links);
        assertEquals(200, new HashSet<>(created.stream().map(l -> l[1]).toList()).size());
        for (String key : keys) {
            List<String> listed = listAll(api, key, "/v1/file_links");
            assertEquals(created.stream().filter(l -> l[0].equals(key)).count(), listed.size());
            List<String> sorted = new ArrayList<>(listed);
            sorted.sort(Collections.reverseOrder());
            assertEquals(sorted, listed);
        }
        String[] someFile = files.get(0);
        assertEquals(created.stream().filter(l -> l[2].equals(someFile[1])).count(),
                listAll(api, someFile[0], "/v1/file_links?file=" + someFile[1]).size());
    }

    @Test
    void parallelMetadataUpdatesOfOneLinkLoseNothing() throws Exception {
        Backend.assume(backend, Backend.Capability.ATOMIC_WRITES_UNDER_THREADS);
        TestApi api = new TestApi(backend, SettableClock.startingNow(), "_concurrent_updates");
        String fileId = api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                .file("f.pdf", "application/pdf", Samples.pdf(1000))).json().path("id").asText();
        String linkId = api.postForm(KEY_A, "/v1/file_links", "file=" + fileId).json().path("id").asText();
        List<Callable<Integer>> updates = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int n = i;
            updates.add(() -> api.postForm(KEY_A, "/v1/file_links/" + linkId, "metadata[k" + n + "]=v" + n).status());
        }
        boolean counted = backend.lacks(Backend.Capability.CONFLICT_COUNTER) == null;
        long conflictsBefore = counted ? Backend.emulator(backend).conflicts() : 0;
        for (int status : all(updates)) {
            assertEquals(200, status);
        }
        JsonNode metadata = api.get(KEY_A, "/v1/file_links/" + linkId).json().path("metadata");
        assertEquals(40, metadata.size(), "every update landed: " + metadata);
        for (int i = 0; i < 40; i++) {
            assertEquals("v" + i, metadata.path("k" + i).asText());
        }
        // Last, so that a backend without the counter still checks that nothing was lost.
        Backend.assume(backend, Backend.Capability.CONFLICT_COUNTER);
        assertTrue(Backend.emulator(backend).conflicts() > conflictsBefore, "the updates raced into TransactionConflict");
    }

    @Test
    void parallelIdempotentLinkCreationsWithOneKeyCreateOneLink() throws Exception {
        Backend.assume(backend, Backend.Capability.ATOMIC_WRITES_UNDER_THREADS);
        TestApi api = new TestApi(backend, SettableClock.startingNow(), "_concurrent_idempotency");
        String fileId = api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                .file("f.pdf", "application/pdf", Samples.pdf(1000))).json().path("id").asText();
        List<Callable<TestApi.Response>> posts = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            posts.add(() -> api.call("POST", "/v1/file_links", KEY_A, Map.of("Content-Type",
                    "application/x-www-form-urlencoded", "Idempotency-Key", "one-link"), ("file=" + fileId).getBytes()));
        }
        Set<String> ids = new HashSet<>();
        for (TestApi.Response r : all(posts)) {
            if (r.status() == 409) {
                assertEquals("idempotency_key_in_use", r.error().path("code").asText());
            } else {
                assertEquals(200, r.status(), r.text());
                ids.add(r.json().path("id").asText());
            }
        }
        assertEquals(1, ids.size(), "every success is the same link");
        assertEquals(1, listAll(api, KEY_A, "/v1/file_links?file=" + fileId).size(), "exactly one link was created");
    }
}
