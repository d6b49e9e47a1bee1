package filesapi.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import filesapi.local.EmbeddedBackends;
import filesapi.local.TemplateModel;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Section 2b: the first request after a SnapStart restore ({@code --only restore}). For each endpoint, a fresh JVM
 * (the cold section's classpath) that builds the handler as the Lambda runtime does, runs the real priming hook,
 * resets every pooled connection as a restore leaves them, runs {@code afterRestore}, and times its first request;
 * against a floor child that builds the SDK clients as {@code AwsClients} does, makes the endpoint's SDK calls once,
 * has its connections reset the same way, and times the same calls (see {@link RestoreChild}). DynamoDB is the
 * in-memory table behind its wire protocol ({@link DynamoHttpFront}) and S3 is S3Proxy, both in this process, so
 * both children pay real SDK round trips and real reconnects. Ours and floor alternate
 * child by child; judged on the median, target at most 1.5x. With {@code -Dbench.restore.trace=DIR}, the
 * first run of each child also writes its class-loading log there ({@code -Xlog:class+load}); the classes
 * between the {@code RestoreChild$FirstRequest} markers are those the first request loaded.
 */
final class Restore {
    static final String[] OPS = {"retrieve_file", "retrieve_link", "list_files", "create_link", "upload_100k",
        "open_link", "contents"};
    static final double TARGET = 1.5;

    private Restore() {}

    static APIGatewayV2HTTPEvent event(String op) {
        if (op.equals("contents")) {
            return Events.get("GET /v1/files/{file}/contents", "/v1/files/" + ColdChild.FILE + "/contents", null,
                    Map.of("file", ColdChild.FILE), ColdChild.KEY);
        }
        return ColdChild.event(op);
    }

    static int expectedStatus(String op) {
        return op.equals("open_link") ? 302 : 200;
    }

    static String handlerClass(String op) {
        return op.equals("contents") ? "filesapi.lambda.files.FileContentsHandler" : ColdChild.handlerClass(op);
    }

    /** Nanoseconds of the first request, of afterRestore, classes the first request loaded, second request. */
    record Run(long first, long restore, long classes, long second) {}

    static void measure(Table table, Path lambdaLib, Path benchLib, Path benchJar, String[] ops, int runs)
            throws Exception {
        String classpath = Cold.childClasspath(lambdaLib, benchLib, benchJar);
        String trace = System.getProperty("bench.restore.trace");
        TemplateModel template;
        try (InputStream in = Restore.class.getResourceAsStream("/template.yaml")) {
            template = TemplateModel.parse(in);
        }
        try (EmbeddedBackends backends = EmbeddedBackends.start(template, Seed.TABLE, Seed.BUCKET, null);
             DynamoHttpFront front = new DynamoHttpFront(backends.clients().dynamo())) {
            seed(backends);
            int dynamoPort = front.endpoint().getPort();
            int s3Port = backends.s3Endpoint().getPort();
            for (String op : ops) {
                long[][] ours = new long[4][runs];
                long[][] floor = new long[4][runs];
                List<String> modes = List.of("ours", "floor");
                for (int i = 0; i < runs; i++) {
                    for (int m = 0; m < modes.size(); m++) {
                        String mode = modes.get((m + i) % modes.size());
                        List<String> flags = new ArrayList<>();
                        if (trace != null && i == 0) {
                            flags.add("-Xlog:class+load:file=" + Path.of(trace, mode + "-" + op + ".log"));
                        }
                        Run r = run(classpath, flags, mode, op, dynamoPort, s3Port);
                        long[][] into = mode.equals("ours") ? ours : floor;
                        into[0][i] = r.first();
                        into[1][i] = r.restore();
                        into[2][i] = r.classes();
                        into[3][i] = r.second();
                    }
                }
                double o = Stats.median(ours[0]);
                double f = Stats.median(floor[0]);
                Bench.progress("  restore %s: 1st request ours %s (runs %s), floor %s (runs %s); afterRestore %s;"
                        + " classes loaded ours %d, floor %d; 2nd request ours %s, floor %s", op, Table.fmt(o, "ns"),
                        spread(ours[0]), Table.fmt(f, "ns"), spread(floor[0]),
                        Table.fmt(Stats.median(ours[1]), "ns"),
                        Math.round(Stats.median(ours[2])), Math.round(Stats.median(floor[2])),
                        Table.fmt(Stats.median(ours[3]), "ns"), Table.fmt(Stats.median(floor[3]), "ns"));
                table.ratio("restore " + op + ", 1st request after priming, connections reset", f, o, "ns", TARGET);
                table.info("  (afterRestore hook, not in the figure above)", "-", Table.fmt(Stats.median(ours[1]), "ns"),
                        "-");
                table.info("  (classes the 1st request loads)", Long.toString(Math.round(Stats.median(floor[2]))),
                        Long.toString(Math.round(Stats.median(ours[2]))), "-");
            }
        }
    }

    private static String spread(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return Table.fmt(sorted[0], "ns") + " - " + Table.fmt(sorted[sorted.length - 1], "ns");
    }

    /** The cold children's items (a key, a file with one link, ten more files) and the file's 100 KB contents. */
    private static void seed(EmbeddedBackends backends) {
        long now = System.currentTimeMillis() / 1000;
        String account = ColdChild.ACCOUNT;
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(Seed.apiKey(ColdChild.KEY, account, now));
        items.add(Seed.file(account, ColdChild.FILE, now - 100, 100 * 1024));
        items.add(Seed.link(account, ColdChild.LINK, ColdChild.FILE, now - 50, ColdChild.TOKEN));
        items.add(Seed.token(ColdChild.TOKEN, ColdChild.LINK, account, ColdChild.FILE, now - 100));
        for (int i = 0; i < 10; i++) {
            items.add(Seed.file(account, Seed.id("file_", "coldlist", i), now - 200 + i, 1000));
        }
        Seed.batchWrite(backends.clients().dynamo(), items);
        byte[] pdf = Events.pdf(100 * 1024);
        backends.clients().s3().putObject(p -> p.bucket(Seed.BUCKET).key(Seed.blobKey(account, ColdChild.FILE))
                .contentType("application/pdf"), RequestBody.fromBytes(pdf));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Run run(String classpath, List<String> flags, String mode, String op, int dynamoPort, int s3Port)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        int dynamoRelay = freePort();
        int s3Relay = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(flags);
        command.addAll(List.of("-cp", classpath, "filesapi.bench.RestoreChild", mode, op,
                Integer.toString(dynamoRelay), Integer.toString(dynamoPort), Integer.toString(s3Relay),
                Integer.toString(s3Port)));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + dynamoRelay);
        env.put("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3Relay);
        env.put("AWS_ACCESS_KEY_ID", "local-access-key");
        env.put("AWS_SECRET_ACCESS_KEY", "local-secret-key");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("TABLE_NAME", Seed.TABLE);
        env.put("BUCKET_NAME", Seed.BUCKET);
        env.remove("AWS_ENDPOINT_URL");
        env.remove("AWS_PROFILE");
        env.remove("JAVA_TOOL_OPTIONS");
        String[] parts = Cold.Child.run(pb, "restore child " + mode + " " + op).result().split(" ");
        return new Run(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]),
                Long.parseLong(parts[4]));
    }
}
