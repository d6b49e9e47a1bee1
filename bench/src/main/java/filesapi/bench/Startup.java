package filesapi.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Section: startup. From spawning {@code java} to the first HTTP answer, and resident memory once started, for the
 * local server jar under several JVM flag sets and for a bare JDK HttpServer started the same way; the runs
 * alternate, so both see the same machine. Then, in this process, {@code FilesApiServer} start and reset.
 */
final class Startup {
    private final String java = ProcessHandle.current().info().command().orElse("java");
    private final Path serverJar;
    private final Path benchJar;

    Startup(Path serverJar, Path benchJar) {
        this.serverJar = serverJar;
        this.benchJar = benchJar;
    }

    /** A way to start a server: its JVM flags and what follows them. */
    record Launch(String name, List<String> flags, List<String> command) {}

    record Sample(double millis, double rssMb) {}

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Spawns, polls until any HTTP answer comes, then reads VmRSS after a second of settling. */
    Sample once(Launch launch) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(launch.flags());
        command.addAll(launch.command());
        command.add(String.valueOf(port));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().remove("FILES_API_KEYS");
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + port + "/v1/files");
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(launch.name() + " exited with " + process.exitValue());
                }
                if (System.nanoTime() - start > 60_000_000_000L) {
                    throw new IllegalStateException(launch.name() + " gave no answer within 60 s");
                }
                try {
                    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
                    c.setConnectTimeout(1000);
                    c.setReadTimeout(5000);
                    c.getResponseCode();
                    c.disconnect();
                    break;
                } catch (IOException notYet) {
                    Thread.sleep(2);
                }
            }
            double millis = (System.nanoTime() - start) / 1e6;
            Thread.sleep(1000);
            return new Sample(millis, rssMb(process.pid()));
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    void measure(Table table, int runs) throws Exception {
        List<String> jar = List.of("-jar", serverJar.toString(), "--port");
        // The archive the build makes from the shaded jar (a training run with -XX:ArchiveClassesAtExit; JDK 17
        // has no -XX:+AutoCreateSharedArchive, which does the same from JDK 19).
        Path archive = serverJar.resolveSibling("files-api-local.jsa");
        String cds = "-XX:SharedArchiveFile=" + archive;
        String c1 = "-XX:TieredStopAtLevel=1";
        String serial = "-XX:+UseSerialGC";
        List<Launch> ours = new ArrayList<>(List.of(
                new Launch("java -jar (no flags)", List.of(), jar),
                new Launch(c1, List.of(c1), jar),
                new Launch(serial, List.of(serial), jar)));
        if (Files.isRegularFile(archive)) {
            ours.add(new Launch("AppCDS", List.of(cds), jar));
            ours.add(new Launch("AppCDS " + c1 + " " + serial + " (README's fast start)", List.of(cds, c1, serial),
                    jar));
        } else {
            table.note("No " + archive + ": the AppCDS rows are missing (mvn package makes it).");
        }
        Launch bare = new Launch("bare JDK HttpServer", List.of(),
                List.of("-cp", benchJar.toString(), BareServer.class.getName()));
        List<List<Sample>> samples = new ArrayList<>();
        ours.forEach(o -> samples.add(new ArrayList<>()));
        List<Sample> floor = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < ours.size(); i++) {
                floor.add(once(bare));
                samples.get(i).add(once(ours.get(i)));
                Bench.progress("  startup run %d: %s %.0f ms %.0f MB (bare %.0f ms)", r + 1, ours.get(i).name(),
                        last(samples.get(i)).millis(), last(samples.get(i)).rssMb(), last(floor).millis());
            }
        }
        double floorMs = median(floor, true);
        double floorMb = median(floor, false);
        for (int i = 0; i < ours.size(); i++) {
            table.ratio("startup: launch to first answer, " + ours.get(i).name(), floorMs,
                    median(samples.get(i), true), "ms", 4.0);
            table.absolute("startup: resident memory after start, " + ours.get(i).name(),
                    String.format(Locale.ROOT, "%.0f MB (bare %.0f MB)", median(samples.get(i), false), floorMb),
                    "<= 150 MB", median(samples.get(i), false) <= 150);
        }
        inProcess(table, runs);
    }

    private static Sample last(List<Sample> list) {
        return list.get(list.size() - 1);
    }

    private static double median(List<Sample> list, boolean millis) {
        double[] values = list.stream().mapToDouble(s -> millis ? s.millis() : s.rssMb()).sorted().toArray();
        return values[values.length / 2];
    }

    /** FilesApiServer in this JVM: the first start pays for class loading, later ones do not; resets of an empty one. */
    private static void inProcess(Table table, int runs) throws Exception {
        long first = 0;
        List<Long> later = new ArrayList<>();
        List<Long> resets = new ArrayList<>();
        for (int r = 0; r <= runs; r++) {
            long t = System.nanoTime();
            try (filesapi.local.FilesApiServer server = filesapi.local.FilesApiServer.builder().port(0).start()) {
                long started = System.nanoTime() - t;
                if (r == 0) {
                    first = started;
                } else {
                    later.add(started);
                }
                for (int i = 0; i < 5; i++) {
                    long s = System.nanoTime();
                    server.reset();
                    resets.add(System.nanoTime() - s);
                }
            }
        }
        table.info("startup: in-process FilesApiServer start(), first / later", "-",
                String.format(Locale.ROOT, "%.0f ms / %.0f ms", first / 1e6,
                        later.stream().sorted().toList().get(later.size() / 2) / 1e6), "-");
        table.info("startup: in-process reset()", "-", String.format(Locale.ROOT, "%.1f ms",
                resets.stream().sorted().toList().get(resets.size() / 2) / 1e6), "-");
    }
}
