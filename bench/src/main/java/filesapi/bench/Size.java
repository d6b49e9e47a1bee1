package filesapi.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/** Section 4: the deployable as sam build makes it (functions' thin jar and its runtime dependencies). */
final class Size {
    private Size() {}

    record Jar(String name, long bytes, int classes) {}

    static List<Jar> jars(Path lib) throws Exception {
        List<Jar> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(lib)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                int classes;
                try (ZipFile zip = new ZipFile(p.toFile())) {
                    classes = (int) zip.stream().filter(e -> e.getName().endsWith(".class")).count();
                }
                jars.add(new Jar(p.getFileName().toString(), Files.size(p), classes));
            }
        }
        return jars;
    }

    static boolean forbidden(String jar) {
        String n = jar.toLowerCase(Locale.ROOT);
        return n.contains("netty") || n.startsWith("apache-client") || n.startsWith("apache5-client")
                || n.startsWith("httpclient") || n.startsWith("httpcore") || n.startsWith("aws-crt");
    }

    static void measure(Table table, Path lib) throws Exception {
        List<Jar> jars = jars(lib);
        long bytes = jars.stream().mapToLong(Jar::bytes).sum();
        int classes = jars.stream().mapToInt(Jar::classes).sum();
        List<String> bad = jars.stream().map(Jar::name).filter(Size::forbidden).toList();
        long limit = 15L * 1000 * 1000;
        table.absolute("size: deployable bytes (" + jars.size() + " jars)",
                String.format(Locale.ROOT, "%,d (%.2f MB)", bytes, bytes / 1e6), "<= 15 MB", bytes <= limit);
        table.info("size: deployable classes", "-", String.format(Locale.ROOT, "%,d", classes), "-");
        table.absolute("size: netty / Apache HTTP / CRT jars", bad.isEmpty() ? "none" : String.join(" ", bad),
                "none", bad.isEmpty());
        Bench.progress("size: %,d bytes, %,d classes in %s; largest:", bytes, classes, lib);
        jars.stream().sorted(Comparator.comparingLong(Jar::bytes).reversed()).limit(8)
                .forEach(j -> Bench.progress("  %-45s %,10d bytes %,6d classes", j.name(), j.bytes(), j.classes()));
    }
}
