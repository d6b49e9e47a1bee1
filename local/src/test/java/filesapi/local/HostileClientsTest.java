package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that trickle their headers, stall their bodies or send what is not HTTP, all on loopback. A normal request
 * must still be answered while they hang on; the bound below only detects starvation (the JDK server this replaced
 * answered nothing for as long as they stayed), it is not a latency target.
 */
class HostileClientsTest {
    private static final Duration STARVED = Duration.ofSeconds(5);
    private static LocalServer server;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(0, null, Path.of(System.getProperty("files.api.template")),
                TestApi.KEYS, null, null, Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** A normal request's time to answer, failing if it is not answered within {@link #STARVED}. */
    private static Duration normalRequest() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(STARVED).build();
        long start = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/files"))
                .header("Authorization", "Bearer " + TestApi.KEY_A).timeout(STARVED).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void slowHeadersDoNotStarveOthers() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            for (int i = 0; i < 64; i++) {
                Socket socket = connect();
                slow.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write("GET /v1/files HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            // A byte every 250 ms on every connection, for as long as the test runs.
            trickle.scheduleAtFixedRate(() -> slow.forEach(s -> {
                try {
                    s.getOutputStream().write('a');
                    s.getOutputStream().flush();
                } catch (IOException closedByTheServer) {
                    // what a server with a header timeout may do
                }
            }), 0, 250, TimeUnit.MILLISECONDS);
            Thread.sleep(1000);
            for (int i = 0; i < 3; i++) {
                System.out.printf("normal request beside 64 slow-header connections: %d ms%n",
                        normalRequest().toMillis());
            }
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void stalledBodiesDoNotStarveOthers() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 48; i++) {
                Socket socket = connect();
                stalled.add(socket);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/files HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestApi.KEY_A
                        + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 102400\r\n\r\n"
                        + "--x\r\nContent").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            Thread.sleep(500);
            for (int i = 0; i < 3; i++) {
                System.out.printf("normal request beside 48 stalled bodies: %d ms%n", normalRequest().toMillis());
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    private record RawResponse(int status, Map<String, String> headers, byte[] body) {
        JsonNode json() throws IOException {
            return TestApi.MAPPER.readTree(body);
        }
    }

    /** Sends bytes as they are and reads one HTTP/1.1 response with a Content-Length. */
    private static RawResponse raw(byte[] request) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new RawResponse(Integer.parseInt(statusLine.split(" ")[1]), headers, body);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed mid-response: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertStripeError(RawResponse response, int status) throws IOException {
        assertEquals(status, response.status(), new String(response.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", response.headers().get("content-type"));
        assertTrue(response.headers().getOrDefault("request-id", "").startsWith("req_"), response.headers().toString());
        assertTrue(response.headers().containsKey("stripe-version"), response.headers().toString());
        JsonNode error = response.json().path("error");
        assertEquals("invalid_request_error", error.path("type").asText(), error.toString());
        assertTrue(!error.path("message").asText().isEmpty(), error.toString());
    }

    @Test
    void oversizedHeadersGetAStripeError() throws Exception {
        String big = "a".repeat(LocalServer.MAX_REQUEST_HEADER_BYTES + 1);
        assertStripeError(raw(("GET /v1/files HTTP/1.1\r\nHost: localhost\r\nX-Big: " + big + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)), 431);
        assertStripeError(raw(("GET /v1/files?" + big + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)), 414);
    }

    @Test
    void malformedRequestLinesGetAStripeError() throws Exception {
        for (String request : List.of("GARBAGE\r\n\r\n", "GET /v1/files HTTP/9.9\r\nHost: localhost\r\n\r\n",
                "GET /v1/files HTTP/1.1\r\nNo colon here\r\n\r\n", "GET /v1/files HTTP/1.1\r\n\r\n")) {
            RawResponse response = raw(request.getBytes(StandardCharsets.US_ASCII));
            // 400, or 505 for an HTTP version that does not exist.
            assertTrue(response.status() == 400 || response.status() == 505, request + " -> " + response.status());
            assertStripeError(response, response.status());
        }
    }

    @Test
    void theServerStillAnswersAfterwards() throws Exception {
        normalRequest();
    }
}
