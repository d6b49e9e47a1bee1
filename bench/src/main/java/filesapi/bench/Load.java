package filesapi.bench;

import com.fasterxml.jackson.databind.JsonNode;
import filesapi.local.LocalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Section 5: the real local server on 127.0.0.1, 16 client threads, bounded in time and in count. */
final class Load {
    static final String KEY = "sk_test_benchloadkey000000000000";
    static final int CLIENTS = 16;

    private Load() {}

    static void measure(Table table, Duration warmup, Duration duration, int maxRequests) throws Exception {
        LocalServer.Options options = new LocalServer.Options(0, null, null, KEY + ":acct_benchload00000000", null,
                null, Clock.systemUTC());
        try (LocalServer server = LocalServer.start(options)) {
            String base = "http://127.0.0.1:" + server.port();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> up = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/files"))
                    .header("Authorization", "Bearer " + KEY).header("Content-Type", Events.multipartType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Events.upload(Events.pdf(10_000)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String fileId = Bench.JSON.readTree(up.body()).path("id").asText();
            HttpResponse<String> link = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/file_links"))
                    .header("Authorization", "Bearer " + KEY)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("file=" + fileId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode l = Bench.JSON.readTree(link.body());
            Matcher m = Pattern.compile("/links/([A-Za-z0-9]+)").matcher(l.path("url").asText());
            if (up.statusCode() != 200 || link.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("load setup failed: " + up.body() + link.body());
            }
            HttpRequest retrieve = HttpRequest.newBuilder(URI.create(base + "/v1/files/" + fileId))
                    .header("Authorization", "Bearer " + KEY).build();
            HttpRequest open = HttpRequest.newBuilder(URI.create(base + "/links/" + m.group(1))).build();
            run(table, "retrieve file", http, retrieve, 200, warmup, duration, maxRequests);
            run(table, "open link", http, open, 302, warmup, duration, maxRequests);
        }
    }

    private static void run(Table table, String name, HttpClient http, HttpRequest request, int status,
                            Duration warmup, Duration duration, int maxRequests) throws Exception {
        blast(http, request, status, warmup, maxRequests);
        long t0 = System.nanoTime();
        List<long[]> samples = blast(http, request, status, duration, maxRequests);
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = samples.stream().mapToInt(s -> s.length).sum();
        long[] all = new long[n];
        int i = 0;
        for (long[] s : samples) {
            System.arraycopy(s, 0, all, i, s.length);
            i += s.length;
        }
        Stats st = Stats.of(all);
        String rps = String.format(Locale.ROOT, "%.0f req/s", n / seconds);
        table.info("load " + name + ", " + CLIENTS + " clients: throughput", "-", rps, "-");
        table.info("load " + name + ", " + CLIENTS + " clients: p50 / p99", "-",
                Table.fmt(st.p50(), "ns") + " / " + Table.fmt(st.p99(), "ns"), "-");
        Bench.progress("  load %s: %s, p50 %s, p99 %s (%d requests in %.1f s)", name, rps, Table.fmt(st.p50(), "ns"),
                Table.fmt(st.p99(), "ns"), n, seconds);
    }

    /** 16 threads each send requests back to back until the time is up or the shared count runs out. */
    private static List<long[]> blast(HttpClient http, HttpRequest request, int status, Duration duration,
                                      int maxRequests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long deadline = System.nanoTime() + duration.toNanos();
        AtomicLong budget = new AtomicLong(maxRequests);
        List<Future<long[]>> futures = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                long[] lat = new long[1024];
                int n = 0;
                while (System.nanoTime() < deadline && budget.decrementAndGet() >= 0) {
                    long t0 = System.nanoTime();
                    HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    long t = System.nanoTime() - t0;
                    if (r.statusCode() != status) {
                        throw new IllegalStateException(request.uri().getPath() + " answered " + r.statusCode());
                    }
                    if (n == lat.length) {
                        lat = java.util.Arrays.copyOf(lat, n * 2);
                    }
                    lat[n++] = t;
                }
                return java.util.Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> out = new ArrayList<>();
        try {
            for (Future<long[]> f : futures) {
                out.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }
}
