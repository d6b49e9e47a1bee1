package filesapi.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import filesapi.lambda.AwsClients;
import filesapi.lambda.Config;
import filesapi.lambda.Services;
import filesapi.local.EmbeddedBackends;
import filesapi.local.Router;
import filesapi.local.TemplateModel;
import filesapi.s3.S3BlobStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Direct uploads: {@code POST /v1/file_uploads/{id}/complete} of a 20 MB and a 200 MB APK already PUT to its upload
 * URL, alternated run by run (each run starting with another) with two copies of the same object made directly: one
 * CopyObject (the floor) and S3BlobStore's copy in parts (what the completion makes above 16 MB). The completion's
 * copy is timed where the handler makes it (from its first S3 copy call to its last), so its time besides the copy is
 * known exactly; that
 * rest (a HEAD, two ranged GETs of 128 KB, DynamoDB) must not grow with the size.
 */
final class Uploads {
    private static final String[] SIZES = {"20 MB", "200 MB"};
    private static final int[] BYTES = {20_000_000, 200_000_000};
    private static final Set<String> COPY_CALLS = Set.of("copyObject", "createMultipartUpload", "uploadPartCopy",
            "completeMultipartUpload");

    private Uploads() {}

    static void measure(Table table, int runs) throws Exception {
        TemplateModel template;
        try (InputStream in = Uploads.class.getResourceAsStream("/template.yaml")) {
            template = TemplateModel.parse(in);
        }
        try (EmbeddedBackends backends = EmbeddedBackends.start(template, Seed.TABLE, Seed.BUCKET, null)) {
            CopyWindow window = new CopyWindow();
            S3Client timedS3 = timingCopies(backends.clients().s3(), window);
            Services services = Services.create(new Config(Seed.TABLE, Seed.BUCKET, "", Duration.ofSeconds(300)),
                    new AwsClients(backends.clients().dynamo(), timedS3), Clock.systemUTC());
            Router router = new Router(template.routes(), name -> Warm.handler(name, services));
            backends.clients().dynamo().putItem(p -> p.tableName(Seed.TABLE)
                    .item(Seed.apiKey(Warm.KEY, Warm.ACCOUNT, System.currentTimeMillis() / 1000)));
            S3Client s3 = backends.clients().s3();
            S3BlobStore blobs = new S3BlobStore(s3, Seed.BUCKET, Clock.systemUTC());
            HttpClient http = HttpClient.newHttpClient();
            double[] besides = new double[SIZES.length];
            for (int s = 0; s < SIZES.length; s++) {
                byte[] apk = apk(BYTES[s]);
                long[] ours = new long[runs];
                long[] floor = new long[runs];
                long[] parts = new long[runs];
                long[] besidesCopy = new long[runs];
                // One unmeasured round first, so class loading and JIT are not in the first figure.
                for (int run = -1; run < runs; run++) {
                    JsonNode session = json(call(router, Events.post("POST /v1/file_uploads", "/v1/file_uploads",
                            Map.of(), Warm.KEY, "application/x-www-form-urlencoded",
                            ("purpose=terminal_android_apk&filename=reader.apk&size=" + apk.length)
                                    .getBytes(StandardCharsets.UTF_8)), 200));
                    int put = http.send(HttpRequest.newBuilder(URI.create(session.path("upload_url").asText()))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(apk)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (put != 200) {
                        throw new IllegalStateException("the upload URL answered " + put);
                    }
                    String id = session.path("id").asText();
                    APIGatewayV2HTTPEvent complete = Events.post("POST /v1/file_uploads/{file_upload}/complete",
                            "/v1/file_uploads/" + id + "/complete", Map.of("file_upload", id), Warm.KEY, null, null);
                    String source = "bench-floor/" + id;
                    s3.putObject(p -> p.bucket(Seed.BUCKET).key(source), RequestBody.fromBytes(apk));
                    long[] took = new long[3];
                    Runnable[] steps = {
                        () -> s3.copyObject(c -> c.sourceBucket(Seed.BUCKET).sourceKey(source)
                                .destinationBucket(Seed.BUCKET).destinationKey(source + "-copy")
                                .contentType("application/vnd.android.package-archive")),
                        () -> blobs.copy(source, source + "-parts", apk.length,
                                "application/vnd.android.package-archive"),
                        () -> {
                            window.reset();
                            call(router, complete, 200);
                        }};
                    // Each run starts with another of the three, so none always pays for the others' garbage.
                    for (int k = 0; k < steps.length; k++) {
                        int step = (k + Math.max(run, 0)) % steps.length;
                        long t0 = System.nanoTime();
                        steps[step].run();
                        took[step] = System.nanoTime() - t0;
                    }
                    for (String key : new String[] {source, source + "-copy", source + "-parts"}) {
                        s3.deleteObject(d -> d.bucket(Seed.BUCKET).key(key));
                    }
                    if (run >= 0) {
                        floor[run] = took[0];
                        parts[run] = took[1];
                        ours[run] = took[2];
                        besidesCopy[run] = took[2] - window.nanos();
                    }
                }
                besides[s] = Stats.median(besidesCopy) / 1e6;
                table.reported("complete upload " + SIZES[s] + " p50 (floor: one CopyObject alone)",
                        Stats.median(floor) / 1e6, Stats.median(ours) / 1e6, "ms");
                table.reported("copy in parts alone, " + SIZES[s] + " p50 (floor: one CopyObject alone)",
                        Stats.median(floor) / 1e6, Stats.median(parts) / 1e6, "ms");
                table.info("complete upload " + SIZES[s] + " besides its copy, p50", "-",
                        Table.fmt(besides[s], "ms"), "-");
            }
            table.absolute("complete upload: work besides the copy, 200 MB vs 20 MB",
                    Table.fmt(besides[1], "ms") + " vs " + Table.fmt(besides[0], "ms"),
                    "does not grow (<= 20 MB's + 10 ms)", besides[1] <= besides[0] + 10);
        }
    }

    /** The wall time from the first S3 copy call a completion makes to the end of its last (parts run at once). */
    private static final class CopyWindow {
        private final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

        void reset() {
            first.set(Long.MAX_VALUE);
            last.set(Long.MIN_VALUE);
        }

        void add(long start, long end) {
            first.accumulateAndGet(start, Math::min);
            last.accumulateAndGet(end, Math::max);
        }

        long nanos() {
            return last.get() < first.get() ? 0 : last.get() - first.get();
        }
    }

    /** The S3 client, with each copy call's time added to {@code window}. */
    private static S3Client timingCopies(S3Client real, CopyWindow window) {
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                (proxy, method, args) -> {
                    long t0 = System.nanoTime();
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if (COPY_CALLS.contains(method.getName())) {
                            window.add(t0, System.nanoTime());
                        }
                    }
                });
    }

    /** An APK-shaped ZIP of {@code size} bytes or a little more: a manifest, a dex and one stored asset. */
    static byte[] apk(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4096);
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("AndroidManifest.xml"));
            zip.write("<manifest/>".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("classes.dex"));
            zip.write("dex\n035\0".getBytes(StandardCharsets.US_ASCII));
            byte[] asset = new byte[size - 512];
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

    private static APIGatewayV2HTTPResponse call(Router router, APIGatewayV2HTTPEvent event, int status) {
        APIGatewayV2HTTPResponse r = router.match(event.getRequestContext().getHttp().getMethod(), event.getRawPath())
                .handler().handleRequest(event, null);
        if (r.getStatusCode() != status) {
            throw new IllegalStateException(event.getRouteKey() + " answered " + r.getStatusCode() + ": "
                    + r.getBody());
        }
        return r;
    }

    private static JsonNode json(APIGatewayV2HTTPResponse r) throws Exception {
        return Bench.JSON.readTree(r.getBody());
    }
}
