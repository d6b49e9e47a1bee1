package filesapi.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import filesapi.AwsClients;
import filesapi.Config;
import filesapi.Services;
import filesapi.admin.ApiKeys;
import filesapi.admin.KeysCommand;
import filesapi.admin.ListsBackfillCommand;
import filesapi.admin.SamplesCommand;
import filesapi.api.ApiResponse;
import filesapi.api.ApiVersions;
import filesapi.api.Caller;
import filesapi.api.Ids;
import filesapi.api.Log;
import filesapi.api.StripeError;
import filesapi.store.ListsBackfill;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
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
import java.util.Locale;
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

    static final String USAGE = """
            usage: java -jar files-api-local.jar [options]     the API on this machine, embedded DynamoDB and S3
                   java -jar files-api-local.jar keys ...      provision keys in a deployed table (keys --help)
                   java -jar files-api-local.jar samples ...   seed the sample events' data into a deployed table
                   java -jar files-api-local.jar lists-backfill ...   list entries for objects stored before the lists table
            options (each also read from the environment variable in brackets):
              --port N            where to listen; 0 picks a free port                     [PORT, default 8080]
              --host ADDRESS      the address to listen on; 0.0.0.0 exposes it to the network
                                                                             [FILES_API_HOST, default 127.0.0.1]
              --data-dir DIR      keep files and metadata across restarts        [FILES_API_DATA_DIR, default: memory]
              --template FILE     routes, table and CORS settings        [FILES_API_TEMPLATE, default ./template.yaml,
                                                                                   else the copy inside the jar]
              --cors-origins LIST origins browsers may call from, comma-separated, or *
                                                [FILES_API_CORS_ORIGINS, default: the template's CorsAllowOrigins]
              --backend KIND      embedded, or aws: DynamoDB and S3 from the default AWS chain, AWS_REGION and
                                  AWS_ENDPOINT_URL* (a LocalStack, moto_server or a real account)
                                                                         [FILES_API_BACKEND, default embedded]
              --table NAME        with aws: the table                                         [FILES_API_TABLE]
              --lists-table NAME  with aws: the lists table       [FILES_API_LISTS_TABLE, default: <table>-lists]
              --bucket NAME       with aws: the bucket                                       [FILES_API_BUCKET]
              --create            with aws: create the tables and bucket if missing   [FILES_API_CREATE=true]
              -h, --help          this text
            environment only:
              FILES_API_KEYS      sk_test_...:acct_A,rk_test_...:acct_A:read,...  (default: one generated test key)
              FILES_API_CONNECT   acct_PLATFORM:acct_CONNECTED,...  (Stripe-Account connections)
              PUBLIC_BASE_URL     base of the url fields handed out (default: the request's host)
            """;

    /**
     * @param host the address to listen on; the embedded S3 listens there too
     * @param keys {@code FILES_API_KEYS}: {@code sk_test_...:acct_A,sk_live_...:acct_A}
     * @param connections {@code FILES_API_CONNECT}: {@code acct_P:acct_C,...}, platforms and the accounts they may act
     *     on with {@code Stripe-Account}
     * @param corsOrigins origins allowed from browsers, overriding the template's {@code CorsAllowOrigins} default;
     *     null keeps it
     */
    public record Options(String host, int port, Path dataDir, Path template, String keys, String connections,
                          String publicBaseUrl, List<String> corsOrigins, Clock clock,
                          ExternalBackends.Settings external) {
        public static final String DEFAULT_HOST = "127.0.0.1";

        /** On the embedded backends. */
        public Options(String host, int port, Path dataDir, Path template, String keys, String connections,
                       String publicBaseUrl, List<String> corsOrigins, Clock clock) {
            this(host, port, dataDir, template, keys, connections, publicBaseUrl, corsOrigins, clock, null);
        }

        /** On loopback, with the template's CORS settings. */
        public Options(int port, Path dataDir, Path template, String keys, String connections, String publicBaseUrl,
                       Clock clock) {
            this(DEFAULT_HOST, port, dataDir, template, keys, connections, publicBaseUrl, null, clock);
        }

        /** Bad usage: the message, or null when help was asked for. */
        static final class UsageException extends Exception {
            UsageException(String message) {
                super(message);
            }
        }

        /** Command-line options over their environment variables. */
        static Options parse(String[] args, Map<String, String> env) throws UsageException {
            Map<String, String> values = new LinkedHashMap<>();
            values.put("port", env.getOrDefault("PORT", "8080"));
            values.put("host", env.getOrDefault("FILES_API_HOST", DEFAULT_HOST));
            values.put("data-dir", env.get("FILES_API_DATA_DIR"));
            values.put("template", env.getOrDefault("FILES_API_TEMPLATE", "template.yaml"));
            values.put("cors-origins", env.get("FILES_API_CORS_ORIGINS"));
            values.put("backend", env.getOrDefault("FILES_API_BACKEND", "embedded"));
            values.put("table", env.get("FILES_API_TABLE"));
            values.put("lists-table", env.get("FILES_API_LISTS_TABLE"));
            values.put("bucket", env.get("FILES_API_BUCKET"));
            values.put("create", env.getOrDefault("FILES_API_CREATE", "false"));
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals("-h") || arg.equals("--help")) {
                    throw new UsageException(null);
                }
                if (arg.equals("--create")) {
                    values.put("create", "true");
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = arg.startsWith("--") ? arg.substring(2, equals < 0 ? arg.length() : equals) : null;
                if (name == null || !values.containsKey(name)) {
                    throw new UsageException("unknown option '" + arg + "'");
                }
                if (equals < 0 && i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                values.put(name, equals < 0 ? args[++i] : arg.substring(equals + 1));
            }
            int port;
            try {
                port = Integer.parseInt(values.get("port"));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new UsageException("the port is a number from 0 to 65535; got '" + values.get("port") + "'");
            }
            String host = values.get("host");
            if (host.isBlank()) {
                throw new UsageException("--host needs an address, e.g. 127.0.0.1 or 0.0.0.0");
            }
            String dataDir = values.get("data-dir");
            String cors = values.get("cors-origins");
            ExternalBackends.Settings external = external(values, dataDir);
            return new Options(host, port, dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir),
                    Path.of(values.get("template")), env.get("FILES_API_KEYS"), env.get("FILES_API_CONNECT"),
                    env.get("PUBLIC_BASE_URL"), cors == null ? null : CorsPolicy.origins(cors), Clock.systemUTC(),
                    external);
        }

        /** The aws backend's settings, or null for the embedded one; names only make sense with aws. */
        private static ExternalBackends.Settings external(Map<String, String> values, String dataDir)
                throws UsageException {
            String backend = values.get("backend");
            boolean named = values.get("table") != null || values.get("lists-table") != null
                    || values.get("bucket") != null || Boolean.parseBoolean(values.get("create"));
            if (backend.equals("embedded")) {
                if (named) {
                    throw new UsageException("--table, --lists-table, --bucket and --create go with --backend aws");
                }
                return null;
            }
            if (!backend.equals("aws")) {
                throw new UsageException("--backend is embedded or aws; got '" + backend + "'");
            }
            if (dataDir != null && !dataDir.isBlank()) {
                throw new UsageException("--data-dir is for the embedded backend; with aws the data is in the tables");
            }
            ExternalBackends.Settings settings = ExternalBackends.Settings.from(values);
            if (settings == null) {
                throw new UsageException("--backend aws needs --table and --bucket (or FILES_API_TABLE and"
                        + " FILES_API_BUCKET)");
            }
            return settings;
        }
    }

    /** A key the server accepts, as configured or generated; {@code files} is a restricted key's permission. */
    public record SeededKey(String key, String account, boolean livemode, Caller.Access files) {}

    private final HttpServer http;
    private final ExecutorService executor;
    private final EmbeddedBackends backends;
    private final ExternalBackends external;
    private final Router router;
    private final Services services;
    private final List<SeededKey> keys;
    private final CorsPolicy cors;

    private LocalServer(HttpServer http, ExecutorService executor, EmbeddedBackends backends,
                        ExternalBackends external, Router router, Services services, List<SeededKey> keys,
                        CorsPolicy cors) {
        this.http = http;
        this.executor = executor;
        this.backends = backends;
        this.external = external;
        this.router = router;
        this.services = services;
        this.keys = keys;
        this.cors = cors;
    }

    public static void main(String[] args) {
        // Provisioning for a deployed stack, shipped in this jar because it is the one a user has built.
        if (args.length > 0 && args[0].equals("keys")) {
            KeysCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("samples")) {
            SamplesCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("lists-backfill")) {
            ListsBackfillCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options options;
        try {
            options = Options.parse(args, System.getenv());
        } catch (Options.UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(USAGE);
                System.exit(0);
            }
            System.err.println("files-api-local: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        LocalServer server;
        try {
            server = start(options);
        } catch (Exception e) {
            System.err.println("files-api-local: " + startFailure(options, e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.print(server.banner(options));
    }

    /** One line a user can act on: the port taken, the template unreadable, a bad setting. */
    static String startFailure(Options options, Exception e) {
        if (e instanceof BindException) {
            return "cannot listen on " + options.host() + ":" + options.port() + " (" + e.getMessage()
                    + "): is another server using it? Choose another with --port, or --port 0 for any free one.";
        }
        if (e instanceof UnknownHostException) {
            return "--host " + options.host() + " is not an address of this machine";
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    public static LocalServer start(Options options) throws Exception {
        TemplateModel template = loadTemplate(options.template());
        CorsPolicy cors = template.cors() == null ? null : template.cors().withOrigins(options.corsOrigins());
        InetAddress address = InetAddress.getByName(options.host());
        // Bound before anything else starts, so a port in use fails at once and leaves no thread behind.
        HttpServer http = HttpServer.create(new InetSocketAddress(address, options.port()), 128);
        EmbeddedBackends backends = null;
        ExternalBackends external = null;
        ExecutorService executor = null;
        try {
            String publicBaseUrl = options.publicBaseUrl() == null ? "" : options.publicBaseUrl();
            Config config;
            AwsClients clients;
            if (options.external() != null) {
                ExternalBackends.Settings names = options.external();
                external = ExternalBackends.open(template, AwsClients.fromEnvironment(), names);
                clients = external.clients();
                config = new Config(names.table(), names.listsTable(), names.bucket(), publicBaseUrl,
                        Duration.ofSeconds(300));
            } else {
                String table = "files-api-local";
                String bucket = "files-api-local";
                backends = EmbeddedBackends.start(template, table, bucket, options.dataDir(), address,
                        s3Host(address));
                clients = backends.clients();
                config = new Config(table, bucket, publicBaseUrl, Duration.ofSeconds(300));
                if (options.dataDir() != null) {
                    // A data folder written before the lists table existed lists nothing until its entries are there.
                    ListsBackfill.run(clients.dynamo(), config.tableName(), config.listsTableName());
                }
            }
            Services services = Services.create(config, clients, options.clock());
            List<SeededKey> keys = seedKeys(services.provisioning(), options.keys(), options.dataDir());
            seedConnections(services.provisioning(), options.connections());
            Router router = new Router(template.routes(), className -> instantiate(className, services));
            executor = Executors.newFixedThreadPool(32);
            http.setExecutor(executor);
            LocalServer server = new LocalServer(http, executor, backends, external, router, services, keys, cors);
            http.createContext("/", server::serve);
            http.start();
            return server;
        } catch (Exception | Error e) {
            http.stop(0);
            if (executor != null) {
                executor.shutdownNow();
            }
            if (backends != null) {
                backends.close();
            }
            if (external != null) {
                external.close();
            }
            throw e;
        }
    }

    /** The host presigned S3 URLs name, which a browser must reach: loopback when listening on every interface. */
    private static String s3Host(InetAddress address) {
        return address.isAnyLocalAddress() ? "127.0.0.1" : uriHost(address);
    }

    private static String uriHost(InetAddress address) {
        return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
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

    public InetSocketAddress address() {
        return http.getAddress();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Where clients reach it: {@code localhost} when it listens on loopback or on every interface. */
    public String baseUrl() {
        InetAddress address = http.getAddress().getAddress();
        String host = address.isLoopbackAddress() || address.isAnyLocalAddress() ? "localhost" : uriHost(address);
        return "http://" + host + ":" + port();
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
        if (options.external() != null) {
            out.append("  routes from template.yaml; tables ").append(options.external().table()).append(" and ")
                    .append(options.external().listsTable()).append(", bucket ").append(options.external().bucket())
                    .append(", from the AWS environment\n");
        } else {
            out.append("  routes from template.yaml; DynamoDB and S3 embedded; data ").append(storage).append('\n');
        }
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
            String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
            Map<String, List<String>> headers = new LinkedHashMap<>(exchange.getRequestHeaders());
            String origin = exchange.getRequestHeaders().getFirst("Origin");
            String version = exchange.getRequestHeaders().getFirst("Stripe-Version");
            if (cors != null && cors.isPreflight(method, origin,
                    exchange.getRequestHeaders().getFirst("Access-Control-Request-Method"))) {
                // API Gateway answers preflights itself, before any route or function.
                write(exchange, own(new ApiResponse(204, cors.preflightHeaders(origin), new byte[0], false), version),
                        false);
                return;
            }
            APIGatewayV2HTTPResponse response;
            try {
                byte[] body = readBody(exchange.getRequestBody());
                if (body == null) {
                    response = own(ApiResponse.error(new StripeError(413, StripeError.INVALID_REQUEST, null, null,
                            "Request Entity Too Large: API Gateway accepts request bodies of at most 10 MB.")),
                            version);
                } else {
                    headers.putIfAbsent("X-Forwarded-Proto", List.of("http"));
                    String rawPath = exchange.getRequestURI().getRawPath();
                    Router.Match match = router.match(method, rawPath);
                    APIGatewayV2HTTPEvent event = ApiGatewayEvents.build(method, rawPath,
                            exchange.getRequestURI().getRawQuery(), headers, body, match,
                            exchange.getRemoteAddress().getAddress().getHostAddress());
                    response = match.handler().handleRequest(event, null);
                }
            } catch (IOException e) {
                // A body that ends early or a broken chunked encoding; the client may still read an answer.
                response = own(ApiResponse.error(StripeError.invalid("The request body could not be read: "
                        + e.getMessage(), null)), version);
            } catch (RuntimeException e) {
                String requestId = Ids.requestId();
                Log.error(requestId, "local server failure", e);
                response = own(ApiResponse.error(StripeError.internal(requestId)), version);
            }
            if (cors != null) {
                response = cors.onResponse(response, origin);
            }
            write(exchange, response, method.equals("HEAD"));
        }
    }

    /** An answer of the server's own, with the headers every function's answer has. */
    private static APIGatewayV2HTTPResponse own(ApiResponse response, String requestedVersion) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.status())
                .withHeaders(response.withStripeHeaders(Ids.requestId(), ApiVersions.orDefault(requestedVersion)))
                .withBody(new String(response.body(), StandardCharsets.UTF_8)).withIsBase64Encoded(false).build();
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
        if (backends != null) {
            backends.close();
        }
        if (external != null) {
            external.close();
        }
    }
}
