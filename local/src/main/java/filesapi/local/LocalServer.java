package filesapi.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import filesapi.Config;
import filesapi.Services;
import filesapi.admin.ApiKeys;
import filesapi.admin.KeysCommand;
import filesapi.admin.SamplesCommand;
import filesapi.api.ApiResponse;
import filesapi.api.Caller;
import filesapi.api.Ids;
import filesapi.api.StripeError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The API on a laptop: a small HTTP server that turns each request into the API Gateway event a deployment would
 * produce and calls the handler class template.yaml names for its route, in-process, against embedded emulators.
 */
public final class LocalServer implements AutoCloseable {
    static {
        // The JDK server writes headers and body separately; with Nagle's algorithm on, a small response then
        // waits for the client's delayed ACK (about 40 ms a request). Read once, when the first server starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** API Gateway refuses larger request bodies. */
    static final long API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;

    /**
     * @param keys {@code FILES_API_KEYS}: {@code sk_test_...:acct_A,sk_live_...:acct_A}
     * @param connections {@code FILES_API_CONNECT}: {@code acct_P:acct_C,...}, platforms and the accounts they may act
     *     on with {@code Stripe-Account}
     */
    public record Options(int port, Path dataDir, Path template, String keys, String connections,
                          String publicBaseUrl, Clock clock) {
        public static Options fromEnvironment(String[] args) {
            Map<String, String> env = System.getenv();
            int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
            Path dataDir = env.containsKey("FILES_API_DATA_DIR") ? Path.of(env.get("FILES_API_DATA_DIR")) : null;
            Path template = Path.of(env.getOrDefault("FILES_API_TEMPLATE", "template.yaml"));
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--data-dir" -> dataDir = Path.of(args[i + 1]);
                    case "--template" -> template = Path.of(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (options: --port N, --data-dir DIR, --template FILE)");
                }
            }
            return new Options(port, dataDir, template, env.get("FILES_API_KEYS"), env.get("FILES_API_CONNECT"),
                    env.get("PUBLIC_BASE_URL"), Clock.systemUTC());
        }
    }

    /** A key the server accepts, as configured or generated. */
    /** {@code files} is a restricted key's permission on files, null for other keys. */
    public record SeededKey(String key, String account, boolean livemode, Caller.Access files) {}

    private final HttpServer http;
    private final ExecutorService executor;
    private final EmbeddedBackends backends;
    private final Router router;
    private final Services services;
    private final List<SeededKey> keys;

    private LocalServer(HttpServer http, ExecutorService executor, EmbeddedBackends backends, Router router,
                        Services services, List<SeededKey> keys) {
        this.http = http;
        this.executor = executor;
        this.backends = backends;
        this.router = router;
        this.services = services;
        this.keys = keys;
    }

    public static void main(String[] args) throws Exception {
        // Provisioning for a deployed stack, shipped in this jar because it is the one a user has built.
        if (args.length > 0 && args[0].equals("keys")) {
            KeysCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("samples")) {
            SamplesCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options options = Options.fromEnvironment(args);
        LocalServer server = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.print(server.banner(options));
    }

    public static LocalServer start(Options options) throws Exception {
        TemplateModel template = loadTemplate(options.template());
        String table = "files-api-local";
        String bucket = "files-api-local";
        EmbeddedBackends backends = EmbeddedBackends.start(template, table, bucket, options.dataDir(), "127.0.0.1");
        Config config = new Config(table, bucket, options.publicBaseUrl() == null ? "" : options.publicBaseUrl(),
                Duration.ofSeconds(300));
        Services services = Services.create(config, backends.clients(), options.clock());
        List<SeededKey> keys = seedKeys(services.provisioning(), options.keys(), options.dataDir());
        seedConnections(services.provisioning(), options.connections());
        Router router = new Router(template.routes(), className -> instantiate(className, services));
        HttpServer http = HttpServer.create(new InetSocketAddress(options.port()), 128);
        ExecutorService executor = Executors.newFixedThreadPool(32);
        http.setExecutor(executor);
        LocalServer server = new LocalServer(http, executor, backends, router, services, keys);
        http.createContext("/", server::serve);
        http.start();
        return server;
    }

    static TemplateModel loadTemplate(Path path) throws IOException {
        if (path != null && Files.isRegularFile(path)) {
            return TemplateModel.load(path);
        }
        try (InputStream in = LocalServer.class.getResourceAsStream("/template.yaml")) {
            if (in == null) {
                throw new IOException("template.yaml not found at " + path + " nor inside the jar");
            }
            return TemplateModel.parse(in);
        }
    }

    @SuppressWarnings("unchecked")
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> instantiate(String className,
                                                                                        Services services) {
        try {
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(className)
                    .getConstructor(Services.class).newInstance(services);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("template.yaml names handler " + className
                    + ", which has no public constructor taking Services", e);
        }
    }

    /**
     * {@code FILES_API_KEYS="sk_test_...:acct_A,sk_live_...:acct_A,rk_test_...:acct_A:read"}; the mode comes from
     * the key's prefix, and a restricted key names its Files permission (none, read or write). Without it one test
     * key is made (and kept in the data folder, if there is one).
     */
    static List<SeededKey> seedKeys(ApiKeys provisioning, String spec, Path dataDir) throws IOException {
        List<SeededKey> keys = new ArrayList<>();
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(",")) {
                String[] parts = entry.trim().split(":");
                boolean restricted = parts.length > 0 && parts[0].startsWith("rk_");
                Caller.Access files = restricted && parts.length == 3 ? Caller.Access.named(parts[2]) : null;
                if (parts.length != (restricted ? 3 : 2) || !Caller.isWellFormedKey(parts[0])
                        || !parts[1].startsWith("acct_") || (restricted && files == null)) {
                    throw new IllegalArgumentException("FILES_API_KEYS entries look like sk_test_xxx:acct_xxx, or"
                            + " rk_test_xxx:acct_xxx:read (none, read or write) for a restricted key; got '"
                            + entry.trim() + "'");
                }
                keys.add(new SeededKey(parts[0], parts[1], Caller.isLiveKey(parts[0]), files));
            }
        } else {
            Path saved = dataDir == null ? null : dataDir.resolve("default-key.txt");
            if (saved != null && Files.isRegularFile(saved)) {
                String[] parts = Files.readString(saved).trim().split(":");
                keys.add(new SeededKey(parts[0], parts[1], false, null));
            } else {
                SeededKey key = new SeededKey("sk_test_" + Ids.token(24), "acct_" + Ids.token(16), false, null);
                if (saved != null) {
                    Files.writeString(saved, key.key() + ":" + key.account() + "\n");
                }
                keys.add(key);
            }
        }
        for (SeededKey k : keys) {
            provisioning.register(k.key(), k.account(), k.files());
        }
        return List.copyOf(keys);
    }

    static void seedConnections(ApiKeys provisioning, String spec) {
        if (spec == null || spec.isBlank()) {
            return;
        }
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split(":");
            if (parts.length != 2 || !parts[0].startsWith("acct_") || !parts[1].startsWith("acct_")) {
                throw new IllegalArgumentException("FILES_API_CONNECT entries look like acct_PLATFORM:acct_CONNECTED;"
                        + " got '" + entry.trim() + "'");
            }
            provisioning.connect(parts[0], parts[1]);
        }
    }

    public int port() {
        return http.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public List<SeededKey> keys() {
        return keys;
    }

    public Services services() {
        return services;
    }

    public Router router() {
        return router;
    }

    public EmbeddedBackends backends() {
        return backends;
    }

    /** What the server prints on start: where it listens, its keys, and curl lines that work as pasted. */
    String banner(Options options) {
        SeededKey key = keys.get(0);
        String storage = options.dataDir() == null ? "in memory (gone when the server stops)"
                : "kept in " + options.dataDir().toAbsolutePath();
        StringBuilder out = new StringBuilder("\nStripe-compatible Files API listening on " + baseUrl() + "\n");
        out.append("  routes from template.yaml; DynamoDB and S3 embedded; data ").append(storage).append('\n');
        for (SeededKey k : keys) {
            out.append("  API key ").append(k.key()).append(" -> ").append(k.account())
                    .append(k.livemode() ? " (live mode)" : " (test mode)").append('\n');
        }
        out.append("Try:\n");
        out.append("  curl ").append(baseUrl()).append("/v1/files -u ").append(key.key()).append(":\n");
        out.append("  printf '%%PDF-1.4\\n%%%%EOF\\n' | curl ").append(baseUrl()).append("/v1/files -u ")
                .append(key.key()).append(": -F purpose=dispute_evidence -F \"file=@-;filename=hello.pdf\"\n\n");
        return out.toString();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod().toUpperCase();
            String rawPath = exchange.getRequestURI().getRawPath();
            String rawQuery = exchange.getRequestURI().getRawQuery();
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                writeTooLarge(exchange);
                return;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
            headers.putIfAbsent("X-Forwarded-Proto", List.of("http"));
            Router.Match match = router.match(method, rawPath);
            APIGatewayV2HTTPEvent event = ApiGatewayEvents.build(method, rawPath, rawQuery, headers, body, match,
                    exchange.getRemoteAddress().getAddress().getHostAddress());
            write(exchange, match.handler().handleRequest(event, null), method.equals("HEAD"));
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            if (out.size() > API_GATEWAY_MAX_BODY) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
        }
        return out.toByteArray();
    }

    private static void writeTooLarge(HttpExchange exchange) throws IOException {
        ApiResponse error = ApiResponse.error(new StripeError(413, StripeError.INVALID_REQUEST, null, null,
                "Request Entity Too Large: API Gateway accepts request bodies of at most 10 MB."));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Request-Id", Ids.requestId());
        exchange.sendResponseHeaders(413, error.body().length);
        exchange.getResponseBody().write(error.body());
    }

    private static void write(HttpExchange exchange, APIGatewayV2HTTPResponse response, boolean head)
            throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, vs) -> vs.forEach(v -> exchange.getResponseHeaders().add(k, v)));
        }
        byte[] body = response.getBody() == null ? new byte[0] : response.getIsBase64Encoded()
                ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        if (head || body.length == 0) {
            exchange.sendResponseHeaders(response.getStatusCode(), -1);
        } else {
            exchange.sendResponseHeaders(response.getStatusCode(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        backends.close();
    }
}
