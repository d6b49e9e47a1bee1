package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stripe-java snippet of README.md's "Pointing Stripe's libraries at it", compiled and run as written against a
 * local server: only its placeholder key and base URL are replaced (and the file's path, see below). The stripe-node
 * snippet next to it is run by .ci/stripe-node.sh.
 */
class ReadmeSnippetsTest {
    private static final String SECTION = "### Pointing Stripe's libraries at it";
    private static final String IMPORTS = "import com.stripe.StripeClient;\nimport com.stripe.model.*;\n"
            + "import com.stripe.param.*;\n";

    /** The body of the first {@code ```lang} block in the README section with the given heading. */
    static String snippet(String heading, String lang) throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("files.api.readme", "../README.md")));
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README.md has no section " + heading);
        Matcher next = Pattern.compile("\n#{1,3} ").matcher(readme);
        int end = next.find(start + heading.length() + 1) ? next.start() : readme.length();
        Matcher block = Pattern.compile("```" + lang + "\n(.*?)```", Pattern.DOTALL)
                .matcher(readme.substring(start, end));
        assertTrue(block.find(), "no ```" + lang + " block under " + heading);
        return block.group(1);
    }

    static String replaceOrFail(String text, String placeholder, String value) {
        assertTrue(text.contains(placeholder), "the snippet no longer contains " + placeholder + ":\n" + text);
        return text.replace(placeholder, value);
    }

    @Test
    void theStripeJavaSnippetUploadsAFile(@TempDir Path dir) throws Exception {
        byte[] pdf = Samples.pdf(4321);
        Path evidence = Files.write(dir.resolve("evidence.pdf"), pdf);
        LocalServer.Options options = new LocalServer.Options(0, null,
                Path.of(System.getProperty("files.api.template")), null, null, null, Clock.systemUTC());
        try (LocalServer server = LocalServer.start(options)) {
            String key = server.keys().get(0).key();
            String code = snippet(SECTION, "java");
            code = replaceOrFail(code, "\"sk_test_...\"", "\"" + key + "\"");
            code = replaceOrFail(code, "http://localhost:8080", server.baseUrl());
            // A JVM cannot change its working directory (user.dir is read once, at startup), so the snippet's
            // relative path is the one literal rewritten: to the evidence.pdf made in the temp folder.
            code = replaceOrFail(code, "new java.io.File(\"evidence.pdf\")",
                    "new java.io.File(\"" + evidence.toAbsolutePath().toString().replace("\\", "\\\\") + "\")");
            // Import lines the snippet may show go above the class; the rest is the body of a method.
            String imports = code.lines().filter(l -> l.startsWith("import ")).map(l -> l + "\n")
                    .collect(java.util.stream.Collectors.joining());
            String body = code.lines().filter(l -> !l.startsWith("import ")).map(l -> l + "\n")
                    .collect(java.util.stream.Collectors.joining());
            String source = IMPORTS + imports
                    + "public class ReadmeSnippet implements java.util.concurrent.Callable<Void> {\n"
                    + "  public Void call() throws Exception {\n" + body + "    return null;\n  }\n}\n";

            Class<?> snippet = compile("ReadmeSnippet", source);
            ((java.util.concurrent.Callable<?>) snippet.getConstructor().newInstance()).call();

            HttpResponse<byte[]> list = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                            .header("Authorization", "Bearer " + key).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, list.statusCode());
            JsonNode files = TestApi.MAPPER.readTree(list.body()).path("data");
            assertEquals(1, files.size(), files.toString());
            assertEquals("evidence.pdf", files.path(0).path("filename").asText());
            assertEquals("dispute_evidence", files.path(0).path("purpose").asText());
            assertEquals("pdf", files.path(0).path("type").asText());
            assertEquals(pdf.length, files.path(0).path("size").asInt());
        }
    }

    /**
     * The README's JUnit test is embedded-check's EvidenceTest, which that module (a user's project in all but
     * location) compiles and runs against this artifact; here only that the two agree, line for line.
     */
    @Test
    void theReadmeJUnitTestIsTheOneEmbeddedCheckRuns() throws Exception {
        Path readme = Path.of(System.getProperty("files.api.readme", "../README.md"));
        Path test = readme.resolveSibling("embedded-check/src/test/java/example/EvidenceTest.java");
        String source = Files.readString(test).replaceFirst("package example;\n\n", "");
        assertEquals(source, snippet("### Embedding it in a JUnit suite", "java"));
    }

    /** Compiles one source file in memory against the test classpath and loads the class. */
    static Class<?> compile(String name, String source) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertTrue(javac != null, "no system Java compiler: tests need a JDK, not a JRE");
        Map<String, ByteArrayOutputStream> classes = new HashMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className + kind.extension), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, c -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, files, null,
                List.of("-classpath", System.getProperty("java.class.path"), "-proc:none"), null, List.of(unit)).call();
        assertTrue(ok, "the README snippet does not compile:\n" + diagnostics + "\n" + source);
        ClassLoader loader = new ClassLoader(ReadmeSnippetsTest.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String className) throws ClassNotFoundException {
                ByteArrayOutputStream bytes = classes.get(className);
                if (bytes == null) {
                    throw new ClassNotFoundException(className);
                }
                return defineClass(className, bytes.toByteArray(), 0, bytes.size());
            }
        };
        return loader.loadClass(name);
    }
}
