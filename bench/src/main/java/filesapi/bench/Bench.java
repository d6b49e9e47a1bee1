package filesapi.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code java -jar bench/target/files-api-bench.jar [--quick] [--only size,warm,scale,cold,load]}: runs the
 * benchmark and prints one table. Every ratio compares ours with its floor measured alternately in the same run.
 * Progress goes to stderr; the table to stdout.
 */
public final class Bench {
    /** Reads responses back; the API writes them with Jackson's streaming generator. */
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static final PrintStream ERR = System.err;

    private Bench() {}

    static void progress(String format, Object... args) {
        ERR.println(String.format(Locale.ROOT, format, args));
        ERR.flush();
    }

    private static final String USAGE = "usage: java -jar bench/target/files-api-bench.jar [--quick]"
            + " [--only size,warm,warm-http,scale,cold,restore,load,clients,startup,uploads]"
            + " [--ops retrieve-file,upload-4-MB,...] [--calls N] [--runs N]";

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        for (int k = 0; k < a.size(); k++) {
            String arg = a.get(k);
            boolean takesValue = Set.of("--only", "--ops", "--calls", "--runs").contains(arg);
            if (!takesValue && !arg.equals("--quick") || takesValue && k + 1 >= a.size()) {
                ERR.println(arg.equals("--help") || arg.equals("-h") ? USAGE : "unknown or incomplete option '" + arg
                        + "'\n" + USAGE);
                System.exit(arg.equals("--help") || arg.equals("-h") ? 0 : 2);
            }
            k += takesValue ? 1 : 0;
        }
        boolean quick = a.contains("--quick");
        Set<String> only = new HashSet<>(List.of("size", "warm", "warm-http", "scale", "cold", "restore", "load",
                "clients", "startup", "uploads"));
        int i = a.indexOf("--only");
        if (i >= 0 && i + 1 < a.size()) {
            only = new HashSet<>(List.of(a.get(i + 1).split(",")));
        }
        int calls = intOption(a, "--calls", quick ? 300 : 2000);
        int runs = intOption(a, "--runs", quick ? 1 : 5);
        int o = a.indexOf("--ops");
        if (o >= 0 && o + 1 < a.size()) {
            Warm.ops = new HashSet<>(List.of(a.get(o + 1).split(",")));
        }
        PrintStream out = System.out;
        // The handlers log one JSON line per request to stdout (CloudWatch on Lambda): still built and written, here to
        // nowhere, so the table stays readable.
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), false));

        Path benchJar = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path target = benchJar.getParent();
        Path lambdaLib = Path.of(System.getProperty("bench.lambda.lib",
                target.resolve("../lambda/target/lib").normalize().toString()));
        Table table = new Table();
        long t0 = System.nanoTime();
        progress("files-api benchmark (%s): %d cores, %s %s", quick ? "quick" : "full",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        if (only.contains("size")) {
            Size.measure(table, lambdaLib);
        }
        if (only.contains("warm") || only.contains("scale") || only.contains("cold")) {
            try (Warm warm = new Warm()) {
                if (only.contains("warm")) {
                    warm.latency(table, quick ? 500 : 10_000, calls, quick ? 5 : 50, quick ? 20 : calls);
                }
                if (only.contains("scale")) {
                    warm.scale(table, quick ? 300 : calls,
                            quick ? new int[] {100, 10_000} : new int[] {100, 10_000, 100_000},
                            quick ? new int[] {100, 1_000} : new int[] {100, 10_000});
                }
                if (only.contains("cold")) {
                    progress("cold start (%d run(s) per child, handler and floor alternated)", runs);
                    Cold cold = new Cold(lambdaLib, target.resolve("lib"), benchJar, warm.s3Endpoint());
                    cold.measure(table, quick ? new String[] {"retrieve_file", "upload_100k"} : Cold.OPS, runs,
                            !quick);
                }
            }
        }
        if (only.contains("restore")) {
            progress("first request after a SnapStart restore (%d run(s) per child, ours and floor alternated)", runs);
            Restore.measure(table, lambdaLib, target.resolve("lib"), benchJar,
                    System.getProperty("bench.restore.ops", quick ? "retrieve_file,upload_100k" : String.join(",",
                            Restore.OPS)).split(","), runs);
        }
        if (only.contains("warm-http")) {
            progress("warm latency with DynamoDB behind its wire protocol on loopback (a real SDK client both ways)");
            try (Warm warm = new Warm(true)) {
                warm.latency(table, quick ? 500 : 10_000, calls, quick ? 5 : 50, quick ? 20 : calls);
            }
        }
        if (only.contains("clients")) {
            progress("SDK HTTP clients: the deployable's, stock URLConnection, Apache, CRT against the same loopback"
                    + " emulators");
            Clients.measure(table, quick ? 200 : 10_000, quick ? 200 : 5000, quick ? 1 : 5, benchJar);
            Clients.size(table, target.resolve("lib"));
        }
        if (only.contains("load")) {
            progress("local server under load (%d clients)", Load.CLIENTS);
            Load.measure(table, quick ? Duration.ofSeconds(1) : Duration.ofSeconds(3),
                    quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10), quick ? 20_000 : 1_000_000);
        }
        if (only.contains("startup")) {
            progress("startup: launch to first answer and resident memory, against a bare JDK HttpServer");
            Path serverJar = Path.of(System.getProperty("bench.server.jar",
                    target.resolve("../../local/target/files-api-local.jar").normalize().toString()));
            new Startup(serverJar, benchJar).measure(table, quick ? 1 : 5);
        }
        if (only.contains("uploads")) {
            progress("direct uploads: complete of a 20 MB and a 200 MB object, against S3's CopyObject alone");
            Uploads.measure(table, quick ? 3 : 10);
        }
        if (!Warm.RETRIES.isEmpty()) {
            table.note("Calls retried after a transient S3Proxy failure (the retry alone is timed): " + Warm.RETRIES);
        }
        table.note(String.format(Locale.ROOT, "(%s run, %.0f s; floors: the same SDK calls made directly, alternated"
                + " call by call; DynamoDB is the in-memory emulator, called directly or, in the 'over HTTP' rows,"
                + " through a real"
                + " SDK client and its wire protocol on loopback; S3 is S3Proxy on loopback)",
                quick ? "quick" : "full", (System.nanoTime() - t0) / 1e9));
        out.println();
        table.print(out);
        out.flush();
        System.exit(0);
    }

    private static int intOption(List<String> a, String name, int fallback) {
        int i = a.indexOf(name);
        return i >= 0 && i + 1 < a.size() ? Integer.parseInt(a.get(i + 1)) : fallback;
    }

}
