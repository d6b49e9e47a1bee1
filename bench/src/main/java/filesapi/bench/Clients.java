package filesapi.bench;

import filesapi.lambda.AwsClients;
import filesapi.local.EmbeddedBackends;
import filesapi.local.TemplateModel;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.crt.AwsCrtHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The SDK HTTP client lever: the deployable's clients (exactly what {@code AwsClients.from} builds), the stock
 * URLConnection client ({@code UrlConnectionHttpClient.create()}, what the deployable used before), Apache and AWS
 * CRT, each building the same DynamoDB and S3 clients against the same loopback emulators (the table behind
 * {@link DynamoHttpFront}, S3Proxy). Warm: GetItem and a 100 KB PutObject, the four rotated call by call; the judged
 * rows hold the deployable's GetItem to the best of the other three at each percentile. Cold: a fresh JVM per client
 * that builds both SDK clients and makes one GetItem and one PutObject. Ratios are to the deployable (below 1 is
 * faster).
 */
final class Clients {
    static final String DEPLOYABLE = "deployable";
    static final String[] KINDS = {DEPLOYABLE, "urlconnection", "apache", "crt"};
    /** The judged GetItem ratio: the deployable's client over the best other client, p50 and p99. */
    static final double TARGET = 1.2;
    private static final String KEY = "sk_test_benchclients00000000000";
    private static final String ACCESS_KEY = "local-access-key";
    private static final String SECRET_KEY = "local-secret-key";
    private static final Map<String, Optional<String>> SAVED = new HashMap<>();

    @SuppressWarnings("deprecation") // ApacheHttpClient: measured on purpose, as the SDK still ships it
    static SdkHttpClient httpClient(String kind) {
        return switch (kind) {
            case "urlconnection" -> UrlConnectionHttpClient.create();
            case "apache" -> ApacheHttpClient.create();
            case "crt" -> AwsCrtHttpClient.create();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    /** The two SDK clients, built as {@code AwsClients.from} builds them, on the given HTTP client. */
    record Pair(DynamoDbClient dynamo, S3Client s3) implements AutoCloseable {
        static Pair build(String kind, URI dynamoEndpoint, URI s3Endpoint) {
            if (kind.equals(DEPLOYABLE)) {
                return deployable(dynamoEndpoint, s3Endpoint);
            }
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
            DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(httpClient(kind)).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).endpointOverride(dynamoEndpoint).build();
            S3Client s3 = S3Client.builder().httpClient(httpClient(kind)).region(Region.US_EAST_1)
                    .credentialsProvider(credentials).endpointOverride(s3Endpoint)
                    .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()).build();
            return new Pair(dynamo, s3);
        }

        /**
         * {@code AwsClients.from} itself. It takes endpoints and credentials from the SDK's own settings, so they are
         * given as the system properties the SDK reads before the environment (and kept while the clients are used:
         * the default credentials chain reads them at every call; {@link #restoreSettings} puts them back).
         */
        static Pair deployable(URI dynamoEndpoint, URI s3Endpoint) {
            setting("aws.accessKeyId", ACCESS_KEY);
            setting("aws.secretAccessKey", SECRET_KEY);
            setting("aws.endpointUrlDynamoDb", dynamoEndpoint.toString());
            setting("aws.endpointUrlS3", s3Endpoint.toString());
            AwsClients aws = AwsClients.from(Map.of("AWS_REGION", "us-east-1",
                    "AWS_ENDPOINT_URL_S3", s3Endpoint.toString()));
            return new Pair(aws.dynamo(), aws.s3());
        }

        private static void setting(String name, String value) {
            SAVED.putIfAbsent(name, Optional.ofNullable(System.getProperty(name)));
            System.setProperty(name, value);
        }

        /** The system properties {@link #deployable} set, as they were before. */
        static void restoreSettings() {
            SAVED.forEach((name, old) -> old.ifPresentOrElse(v -> System.setProperty(name, v),
                    () -> System.clearProperty(name)));
            SAVED.clear();
        }

        void getItem() {
            Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(Seed.TABLE)
                    .key(Map.of("pk", AttributeValue.fromS(Seed.keyPk(KEY))))).item();
            if (item == null || item.isEmpty()) {
                throw new IllegalStateException("the seeded key is missing");
            }
        }

        void put(String key, byte[] bytes) {
            s3.putObject(p -> p.bucket(Seed.BUCKET).key(key).contentType("application/pdf"),
                    RequestBody.fromBytes(bytes));
        }

        @Override
        public void close() {
            dynamo.close();
            s3.close();
        }
    }

    /** The cold child: build, one GetItem, one PutObject, print the wall clock in microseconds. */
    public static void main(String[] args) {
        try (Pair pair = Pair.build(args[0], URI.create(args[1]), URI.create(args[2]))) {
            pair.getItem();
            pair.put("cold/" + args[0] + "/" + System.nanoTime(), Events.pdf(100 * 1024));
            Instant now = Instant.now();
            System.out.println("RESULT " + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1000));
        }
    }

    static void measure(Table table, int warmup, int calls, int coldRuns, Path benchJar) throws Exception {
        TemplateModel template;
        try (InputStream in = Clients.class.getResourceAsStream("/template.yaml")) {
            template = TemplateModel.parse(in);
        }
        try (EmbeddedBackends backends = EmbeddedBackends.start(template, Seed.TABLE, Seed.BUCKET, null);
             DynamoHttpFront front = new DynamoHttpFront(backends.clients().dynamo())) {
            backends.clients().dynamo().putItem(p -> p.tableName(Seed.TABLE)
                    .item(Seed.apiKey(KEY, "acct_benchclients000000", System.currentTimeMillis() / 1000)));
            URI s3 = backends.s3Endpoint();
            List<Pair> pairs = new ArrayList<>();
            for (String kind : KINDS) {
                pairs.add(Pair.build(kind, front.endpoint(), s3));
            }
            byte[] pdf = Events.pdf(100 * 1024);
            long[][] get = rotate(pairs.stream().<LongSupplier>map(p -> Warm.timed(p::getItem)).toList(), warmup,
                    calls);
            long[] counter = {0};
            long[][] put = rotate(pairs.stream().<LongSupplier>map(p -> Warm.timed(() -> {
                String key = "clients/" + counter[0]++;
                p.put(key, pdf);
                p.s3().deleteObject(d -> d.bucket(Seed.BUCKET).key(key));
            })).toList(), warmup / 10, calls / 2);
            rows(table, "GetItem", get);
            judged(table, get);
            rows(table, "PutObject 100 KB (+ DeleteObject)", put);
            pairs.forEach(Pair::close);
            Pair.restoreSettings();

            long[][] cold = new long[KINDS.length][coldRuns];
            for (int run = 0; run < coldRuns; run++) {
                for (int k = 0; k < KINDS.length; k++) {
                    int kind = (k + run) % KINDS.length;
                    cold[kind][run] = coldRun(benchJar, KINDS[kind], front.endpoint(), s3);
                }
            }
            double base = Stats.median(cold[0]) / 1000.0;
            for (int k = 0; k < KINDS.length; k++) {
                double ms = Stats.median(cold[k]) / 1000.0;
                Bench.progress("  cold, %s: %.0f ms (median of %d)", KINDS[k], ms, coldRuns);
                table.reported("client " + KINDS[k] + ": cold, build + GetItem + PutObject", base, ms, "ms");
            }
        }
    }

    private static void rows(Table table, String what, long[][] samples) {
        Stats base = Stats.of(samples[0]);
        for (int k = 0; k < KINDS.length; k++) {
            Stats s = Stats.of(samples[k]);
            Bench.progress("  %s, %s: p50 %s p99 %s", what, KINDS[k], Table.fmt(s.p50(), "ns"),
                    Table.fmt(s.p99(), "ns"));
            table.reported("client " + KINDS[k] + ": warm " + what + " p50", base.p50(), s.p50(), "ns");
            table.reported("client " + KINDS[k] + ": warm " + what + " p99", base.p99(), s.p99(), "ns");
        }
    }

    /** Warm GetItem through the deployable's client over the best of the others, at p50 and at p99. */
    private static void judged(Table table, long[][] samples) {
        Stats[] stats = new Stats[KINDS.length];
        for (int k = 0; k < KINDS.length; k++) {
            stats[k] = Stats.of(samples[k]);
        }
        int bestP50 = 1;
        int bestP99 = 1;
        for (int k = 2; k < KINDS.length; k++) {
            bestP50 = stats[k].p50() < stats[bestP50].p50() ? k : bestP50;
            bestP99 = stats[k].p99() < stats[bestP99].p99() ? k : bestP99;
        }
        table.ratio("client " + DEPLOYABLE + " vs best other (" + KINDS[bestP50] + "): warm GetItem p50",
                stats[bestP50].p50(), stats[0].p50(), "ns", TARGET);
        table.ratio("client " + DEPLOYABLE + " vs best other (" + KINDS[bestP99] + "): warm GetItem p99",
                stats[bestP99].p99(), stats[0].p99(), "ns", TARGET);
    }

    /** Each call runs every client once, the order rotating by one each call. */
    private static long[][] rotate(List<LongSupplier> clients, int warmup, int calls) {
        int n = clients.size();
        for (int i = 0; i < warmup; i++) {
            clients.forEach(LongSupplier::getAsLong);
        }
        long[][] samples = new long[n][calls];
        for (int i = 0; i < calls; i++) {
            for (int j = 0; j < n; j++) {
                int k = (i + j) % n;
                samples[k][i] = clients.get(k).getAsLong();
            }
        }
        return samples;
    }

    private static long coldRun(Path benchJar, String kind, URI dynamo, URI s3) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", benchJar.toString(), Clients.class.getName(), kind,
                dynamo.toString(), s3.toString()).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Cold.Child child = Cold.Child.run(pb, "client child " + kind);
        Instant start = child.start();
        long startMicros = start.getEpochSecond() * 1_000_000 + start.getNano() / 1000;
        return Long.parseLong(child.result().substring(7).trim()) - startMicros;
    }

    /** Bytes of the jars each client would add to the deployable. */
    static void size(Table table, Path benchLib) throws Exception {
        Map<String, List<String>> jars = Map.of(
                "apache", List.of("apache-client-", "httpclient-", "httpcore-", "commons-logging-", "commons-codec-"),
                "crt", List.of("aws-crt-client-", "aws-crt-"));
        for (String kind : List.of("apache", "crt")) {
            long bytes = 0;
            try (var files = Files.list(benchLib)) {
                for (Path jar : files.toList()) {
                    String name = jar.getFileName().toString();
                    if (jars.get(kind).stream().anyMatch(name::startsWith)) {
                        bytes += Files.size(jar);
                    }
                }
            }
            table.info("client " + kind + ": jars it adds to the deployable", "-",
                    String.format(Locale.ROOT, "%,d bytes", bytes), "-");
        }
    }
}
