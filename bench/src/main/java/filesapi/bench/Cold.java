package filesapi.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Section 2: cold start. Each run is a fresh {@code java} process; the figure is from just before the parent starts it
 * to the child's first handled response (both read the same wall clock, in microseconds). Handler and floor children
 * alternate run by run.
 */
final class Cold {
    static final String[] OPS = {"retrieve_file", "retrieve_link", "list_files", "open_link", "create_link",
        "upload_100k"};

    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final String classpath;
    private final URI s3Endpoint;

    Cold(Path lambdaLib, Path benchLib, Path benchJar, URI s3Endpoint) throws Exception {
        this.classpath = childClasspath(lambdaLib, benchLib, benchJar);
        this.s3Endpoint = s3Endpoint;
    }

    /**
     * A child JVM's classpath: the deployable's jars, then the emulator's classes (InMemoryDynamoDb,
     * ApiGatewayEvents) and the children themselves; no S3Proxy.
     */
    static String childClasspath(Path lambdaLib, Path benchLib, Path benchJar) throws IOException {
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lambdaLib)) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
        }
        try (Stream<Path> jars = Files.list(benchLib)) {
            jars.filter(p -> p.getFileName().toString().startsWith("files-api-local")).forEach(p -> cp.add(p.toString()));
        }
        cp.add(benchJar.toString());
        return String.join(File.pathSeparator, cp);
    }

    /** Milliseconds from spawn to the first response, of the second request, and from seeding to first response. */
    record Run(double coldMs, double secondMs, double afterSeedMs) {}

    /**
     * One child; a child that fails is run once more, and said so. S3Proxy now and then drops a PutObject after the
     * many thousands of uploads the warm section makes (the warm section retries those the same way).
     */
    Run run(String mode, String op, List<String> jvmFlags) throws Exception {
        try {
            return runOnce(mode, op, jvmFlags);
        } catch (IllegalStateException e) {
            Bench.progress("  cold child %s %s failed, running it again; it said:%n%s", mode, op, e.getMessage());
            return runOnce(mode, op, jvmFlags);
        }
    }

    private Run runOnce(String mode, String op, List<String> jvmFlags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath, "filesapi.bench.ColdChild", mode, op));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ENDPOINT_URL_S3", s3Endpoint.toString());
        env.put("AWS_ACCESS_KEY_ID", "local-access-key");
        env.put("AWS_SECRET_ACCESS_KEY", "local-secret-key");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("TABLE_NAME", Seed.TABLE);
        env.put("BUCKET_NAME", Seed.BUCKET);
        env.remove("AWS_PROFILE");
        env.remove("JAVA_TOOL_OPTIONS");
        Child child = Child.run(pb, "cold child " + mode + " " + op);
        String result = child.result();
        Instant start = child.start();
        String[] parts = result.split(" ");
        long startMicros = start.getEpochSecond() * 1_000_000 + start.getNano() / 1000;
        long first = Long.parseLong(parts[1]);
        return new Run((first - startMicros) / 1000.0, Long.parseLong(parts[2]) / 1e6,
                (first - Long.parseLong(parts[3])) / 1000.0);
    }

    /** Per op and JVM setting, the median over {@code runs} of handler and floor children, alternated. */
    void measure(Table table, String[] ops, int runs, boolean c1ForAll) throws Exception {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        settings.put("", List.of());
        settings.put(", C1 only", List.of("-XX:TieredStopAtLevel=1"));
        for (Map.Entry<String, List<String>> setting : settings.entrySet()) {
            String[] theseOps = setting.getValue().isEmpty() || c1ForAll ? ops : new String[] {ops[0]};
            for (String op : theseOps) {
                long[] ours = new long[runs];
                long[] floor = new long[runs];
                long[] oursSecond = new long[runs];
                long[] floorSecond = new long[runs];
                long[] oursAfterSeed = new long[runs];
                long[] floorAfterSeed = new long[runs];
                long[] oursPrimed = new long[runs];
                long[] oursLazy = new long[runs];
                boolean primed = setting.getValue().isEmpty();
                for (int i = 0; i < runs; i++) {
                    boolean handlerFirst = (i & 1) == 0;
                    Run a = run(handlerFirst ? "handler" : "floor", op, setting.getValue());
                    Run b = run(handlerFirst ? "floor" : "handler", op, setting.getValue());
                    Run h = handlerFirst ? a : b;
                    Run f = handlerFirst ? b : a;
                    ours[i] = Math.round(h.coldMs() * 1000);
                    floor[i] = Math.round(f.coldMs() * 1000);
                    oursSecond[i] = Math.round(h.secondMs() * 1000);
                    floorSecond[i] = Math.round(f.secondMs() * 1000);
                    oursAfterSeed[i] = Math.round(h.afterSeedMs() * 1000);
                    floorAfterSeed[i] = Math.round(f.afterSeedMs() * 1000);
                    if (primed) {
                        oursPrimed[i] = Math.round(run("primed", op, setting.getValue()).secondMs() * 1000);
                        oursLazy[i] = Math.round(run("lazy", op, setting.getValue()).coldMs() * 1000);
                    }
                }
                double o = Stats.median(ours) / 1000.0;
                double fl = Stats.median(floor) / 1000.0;
                double os = Stats.median(oursSecond) / 1000.0;
                double fs = Stats.median(floorSecond) / 1000.0;
                Bench.progress("  cold %s%s: ours %.0f ms, floor %.0f ms; after one warm-up request: ours %.2f ms,"
                        + " floor %.2f ms (median of %d)", op, setting.getKey(), o, fl, os, fs, runs);
                table.ratio("cold " + op + setting.getKey(), fl, o, "ms", 1.3);
                double oa = Stats.median(oursAfterSeed) / 1000.0;
                double fa = Stats.median(floorAfterSeed) / 1000.0;
                table.reported("  (same, from seeded table to first response)", fa, oa, "ms");
                // Not cold start (the target is process start to first response): reported, not judged.
                table.reported("cold " + op + setting.getKey() + ", 2nd request vs floor's", fs * 1e6, os * 1e6, "ns");
                if (primed) {
                    double op1 = Stats.median(oursPrimed) / 1000.0;
                    double lazy = Stats.median(oursLazy) / 1000.0;
                    table.reported("cold " + op + ", lazy init (all built in the 1st request) vs eager", o, lazy, "ms");
                    table.reported("cold " + op + ", 1st request after SnapStart priming", fs * 1e6, op1 * 1e6, "ns");
                }
            }
        }
    }

    /** A finished child process: when it was started, and its {@code RESULT ...} line. */
    record Child(Instant start, String result) {
        /** Starts it, reads its output to the end; throws with the whole output if it fails or prints no result. */
        static Child run(ProcessBuilder pb, String what) throws Exception {
            Instant start = Instant.now();
            Process p = pb.start();
            String result = null;
            StringBuilder all = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.append(line).append('\n');
                    if (line.startsWith("RESULT ")) {
                        result = line;
                    }
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || result == null) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " failed:\n" + all);
            }
            return new Child(start, result);
        }
    }
}
