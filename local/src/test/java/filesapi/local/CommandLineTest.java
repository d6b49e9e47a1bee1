package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar files-api-local.jar} as a user runs it, in a JVM of its own: help, bad options, a port in use and
 * the keys command's AWS failures each end with one line and the exit code a shell script can test.
 */
class CommandLineTest {
    private record Exit(int code, String out, String err) {}

    /** Runs the jar's main class with only the environment given (no AWS settings of this machine). */
    private static Exit run(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), LocalServer.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("FILES_API_")
                || name.equals("PORT"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        // Bounded: a JVM that never exits fails here instead of hanging the build.
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        assertTrue(exited, "still running after 60 s: " + String.join(" ", args));
        return new Exit(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Exit run(String... args) throws Exception {
        return run(Map.of(), args);
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() throws Exception {
        for (String help : List.of("--help", "-h")) {
            Exit exit = run(help);
            assertEquals(0, exit.code(), exit.err());
            assertTrue(exit.out().startsWith("usage: java -jar files-api-local.jar"), exit.out());
            assertTrue(exit.out().contains("--host ADDRESS"));
            assertEquals("", exit.err());
        }
    }

    @Test
    void anUnknownOptionPrintsTheUsageAndExitsTwo() throws Exception {
        Exit exit = run("--prot", "8080");
        assertEquals(2, exit.code());
        assertTrue(exit.err().startsWith("files-api-local: unknown option '--prot'\nusage:"), exit.err());
        assertEquals("", exit.out());
        assertEquals(2, run("--port", "eighty").code());
        assertEquals(2, run("--port").code());
        assertEquals(2, run(Map.of("PORT", "99999")).code());
    }

    @Test
    void aPortInUseIsOneLineAndExitOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            long start = System.nanoTime();
            Exit exit = run("--port", String.valueOf(taken.getLocalPort()));
            System.out.printf("a port in use: exit %d after %d ms%n", exit.code(),
                    (System.nanoTime() - start) / 1_000_000);
            assertEquals(1, exit.code(), exit.err());
            assertEquals(1, exit.err().lines().count(), exit.err());
            assertTrue(exit.err().startsWith("files-api-local: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
                    exit.err());
            assertEquals("", exit.out());
        }
    }

    @Test
    void keysCommandFailuresOfAwsAreOneLineEach() throws Exception {
        // Nothing of this machine's AWS set-up is seen: no profile files, no instance metadata.
        Map<String, String> noAws = Map.of("AWS_CONFIG_FILE", "/nonexistent/config",
                "AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials", "AWS_EC2_METADATA_DISABLED", "true");
        Exit noRegion = run(noAws, "keys", "revoke", "--table", "files-api-x", "--key", "sk_test_abcdef");
        assertEquals(1, noRegion.code(), noRegion.err());
        assertEquals("no AWS region: pass --region, or set AWS_REGION (or a region in your AWS profile)",
                noRegion.err().strip());

        Exit noCredentials = run(noAws, "keys", "revoke", "--table", "files-api-x", "--key", "sk_test_abcdef",
                "--region", "eu-west-1");
        assertEquals(1, noCredentials.code(), noCredentials.err());
        assertEquals(1, noCredentials.err().lines().count(), noCredentials.err());
        assertTrue(noCredentials.err().startsWith("no AWS credentials:"), noCredentials.err());
    }

    @Test
    void optionsComeFromTheCommandLineOverTheEnvironment() throws Exception {
        LocalServer.Options defaults = LocalServer.Options.parse(new String[0], Map.of());
        assertEquals("127.0.0.1", defaults.host(), "loopback unless asked");
        assertEquals(8080, defaults.port());
        assertNull(defaults.dataDir());
        assertNull(defaults.corsOrigins(), "the template's origins");

        LocalServer.Options set = LocalServer.Options.parse(new String[] {"--port=0", "--host", "0.0.0.0",
            "--cors-origins", "https://a.example,https://b.example"}, Map.of("PORT", "9000",
                "FILES_API_DATA_DIR", "/tmp/files"));
        assertEquals(0, set.port());
        assertEquals("0.0.0.0", set.host());
        assertEquals(Path.of("/tmp/files"), set.dataDir());
        assertEquals(List.of("https://a.example", "https://b.example"), set.corsOrigins());

        assertNull(assertThrows(LocalServer.Options.UsageException.class,
                () -> LocalServer.Options.parse(new String[] {"--port", "1", "--help"}, Map.of())).getMessage());
        assertThrows(LocalServer.Options.UsageException.class,
                () -> LocalServer.Options.parse(new String[] {"8080"}, Map.of()));
        assertThrows(LocalServer.Options.UsageException.class,
                () -> LocalServer.Options.parse(new String[] {"--host", ""}, Map.of()));
    }

    @Test
    void theAwsBackendTakesNamesAndCreatesOnlyWhenAsked() throws Exception {
        assertNull(LocalServer.Options.parse(new String[0], Map.of()).external(), "embedded by default");

        LocalServer.Options named = LocalServer.Options.parse(new String[] {"--backend", "aws", "--table", "t",
            "--bucket=b"}, Map.of());
        assertEquals(new ExternalBackends.Settings("t", "t-lists", "b", false), named.external());

        LocalServer.Options fromEnv = LocalServer.Options.parse(new String[] {"--create"}, Map.of(
                "FILES_API_BACKEND", "aws", "FILES_API_TABLE", "t", "FILES_API_LISTS_TABLE", "stack-FileListsTable-X",
                "FILES_API_BUCKET", "b"));
        assertEquals(new ExternalBackends.Settings("t", "stack-FileListsTable-X", "b", true), fromEnv.external());
        assertTrue(LocalServer.Options.parse(new String[0], Map.of("FILES_API_BACKEND", "aws", "FILES_API_TABLE",
                "t", "FILES_API_BUCKET", "b", "FILES_API_CREATE", "true")).external().create());
        assertEquals("--table, --lists-table, --bucket and --create go with --backend aws",
                assertThrows(LocalServer.Options.UsageException.class, () -> LocalServer.Options.parse(
                        new String[] {"--table", "t"}, Map.of())).getMessage());

        for (String[] bad : List.of(new String[] {"--backend", "aws", "--table", "t"},
                new String[] {"--backend", "aws", "--bucket", "b"})) {
            assertEquals("--backend aws needs --table and --bucket (or FILES_API_TABLE and FILES_API_BUCKET)",
                    assertThrows(LocalServer.Options.UsageException.class,
                            () -> LocalServer.Options.parse(bad, Map.of())).getMessage());
        }
        assertEquals("--backend is embedded or aws; got 'localstack'", assertThrows(
                LocalServer.Options.UsageException.class, () -> LocalServer.Options.parse(
                        new String[] {"--backend", "localstack"}, Map.of())).getMessage());
        assertThrows(LocalServer.Options.UsageException.class, () -> LocalServer.Options.parse(new String[] {
            "--backend", "aws", "--table", "t", "--bucket", "b", "--data-dir", "/tmp/x"}, Map.of()));
    }

    @Test
    void theServerListensOnLoopbackByDefault() throws Exception {
        try (LocalServer server = LocalServer.start(new LocalServer.Options(0, null,
                Path.of(System.getProperty("files.api.template")), TestApi.KEYS, null, null, Clock.systemUTC()))) {
            assertTrue(server.address().getAddress().isLoopbackAddress(), server.address().toString());
            assertTrue(server.baseUrl().startsWith("http://localhost:"));
            assertFalse(canConnectFromOutsideLoopback(server.port()), "no other interface reaches it");
        }
    }

    /** True if some non-loopback address of this machine accepts a connection on {@code port}. */
    private static boolean canConnectFromOutsideLoopback(int port) throws IOException {
        for (var nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address.isLoopbackAddress() || address.isLinkLocalAddress()) {
                    continue;
                }
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(address, port), 1000);
                    return true;
                } catch (IOException refused) {
                    // as expected
                }
            }
        }
        return false;
    }
}
