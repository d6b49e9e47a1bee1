package filesapi.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import filesapi.admin.KeysCommand;
import filesapi.admin.ListsBackfillCommand;
import filesapi.admin.SamplesCommand;
import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.auth.ApiKeys;
import filesapi.dynamodb.ListsBackfill;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsClients;
import filesapi.lambda.Config;
import filesapi.lambda.Services;
import filesapi.lambda.wire.ApiVersions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
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
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The API on a laptop: a small HTTP server that turns each request into the API Gateway event a deployment would
 * produce and calls the handler class template.yaml names for its route, in-process, against embedded emulators.
 */
public final class LocalServer implements AutoCloseable {
    static final String TABLE = "files-api-local";
    static final String BUCKET = "files-api-local";
    /** API Gateway refuses larger request bodies. */
    static final long API_GATEWAY_MAX_BODY = 10 * 1024 * 1024;
    /** Request line and headers together; API Gateway's own limit is 10 KB per header value. */
    static final int MAX_REQUEST_HEADER_BYTES = 16 * 1024;
    /** A connection with nothing moving for this long is closed, whatever it was doing. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Below this a request body is abandoned (408), so a client trickling bytes cannot keep a thread for the whole
     * idle timeout each time it sends one.
     */
    static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
    /**
     * Blocking body reads hold a thread each; headers are parsed without one, so only clients that have sent a whole
     * request line and headers count against this.
     */
    static final int MAX_THREADS = 200;

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
              --seed FILE         keys, connections, files and links to start from (YAML or JSON); reset
                                  returns to it                                     [FILES_API_SEED, default: none]
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
                          String publicBaseUrl, List<String> corsOrigins, Clock clock, Path seed,
                          ExternalBackends.Settings external) {
        public static final String DEFAULT_HOST = "127.0.0.1";

        /** On the embedded backends. */
        public Options(String host, int port, Path dataDir, Path template, String keys, String connections,
                       String publicBaseUrl, List<String> corsOrigins, Clock clock, Path seed) {
            this(host, port, dataDir, template, keys, connections, publicBaseUrl, corsOrigins, clock, seed, null);
        }

        /** On loopback, with the template's CORS settings. */
        public Options(int port, Path dataDir, Path template, String keys, String connections, String publicBaseUrl,
                       Clock clock) {
            this(DEFAULT_HOST, port, dataDir, template, keys, connections, publicBaseUrl, null, clock, null, null);
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
            values.put("seed", env.get("FILES_API_SEED"));
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
            String seed = values.get("seed");
            ExternalBackends.Settings external = external(values, dataDir);
            return new Options(host, port, dataDir == null || dataDir.isBlank() ? null : Path.of(dataDir),
                    Path.of(values.get("template")), env.get("FILES_API_KEYS"), env.get("FILES_API_CONNECT"),
                    env.get("PUBLIC_BASE_URL"), cors == null ? null : CorsPolicy.origins(cors), Clock.systemUTC(),
                    seed == null || seed.isBlank() ? null : Path.of(seed), external);
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
            if (values.get("seed") != null) {
                throw new UsageException("--seed is for the embedded backend, which reset empties");
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

    private final Server http;
    private final ServerConnector connector;
    /** One of the two is null: the embedded emulators, or tables and a bucket from the AWS environment. */
    private final EmbeddedBackends backends;
    private final ExternalBackends external;
    private final Router router;
    private final Services services;
    private final List<SeededKey> keys;
    private final CorsPolicy cors;
    private final LocalClock clock;
    private final Reset reset;
    private final ControlEndpoints control;
    private volatile List<Seed.SeededLink> seededLinks = List.of();

    /** What {@code reset()} puts back: an empty table and bucket, then the settings' keys and connections. */
    private record Reset(TemplateModel template, List<SeededKey> keys, String connections, Seed seed) {}

    private LocalServer(Server http, ServerConnector connector, EmbeddedBackends backends, ExternalBackends external,
                        Router router, Services services, CorsPolicy cors, LocalClock clock, Reset reset) {
        this.http = http;
        this.connector = connector;
        this.backends = backends;
        this.external = external;
        this.router = router;
        this.services = services;
        this.keys = reset.keys();
        this.cors = cors;
        this.clock = clock;
        this.reset = reset;
        this.control = new ControlEndpoints(keys, clock, this::reset);
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
        if (e instanceof BindException || e.getCause() instanceof BindException) {
            String reason = (e.getCause() instanceof BindException ? e.getCause() : e).getMessage();
            return "cannot listen on " + options.host() + ":" + options.port() + " (" + reason
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
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("files-api");
        Server http = new Server(threads);
        ServerConnector connector = connector(http, address, options.port());
        // Bound before anything else starts, so a port in use fails at once and leaves no thread behind.
        connector.open();
        EmbeddedBackends backends = null;
        ExternalBackends external = null;
        try {
            String publicBaseUrl = options.publicBaseUrl() == null ? "" : options.publicBaseUrl();
            Config config;
            AwsClients clients;
            boolean fresh;
            if (options.external() != null) {
                ExternalBackends.Settings names = options.external();
                external = ExternalBackends.open(template, AwsClients.fromEnvironment(), names);
                clients = external.clients();
                config = new Config(names.table(), names.listsTable(), names.bucket(), publicBaseUrl,
                        Duration.ofSeconds(300));
                fresh = false;
            } else {
                backends = EmbeddedBackends.start(template, TABLE, BUCKET, options.dataDir(), address,
                        s3Host(address));
                clients = backends.clients();
                config = new Config(TABLE, BUCKET, publicBaseUrl, Duration.ofSeconds(300));
                fresh = backends.fresh();
                if (options.dataDir() != null) {
                    // A data folder written before the lists table existed lists nothing until its entries are there.
                    ListsBackfill.run(clients.dynamo(), config.tableName(), config.listsTableName());
                }
            }
            LocalClock clock = new LocalClock(options.clock());
            Services services = Services.create(config, clients, clock);
            Seed seed = options.seed() == null ? null : Seed.read(options.seed());
            List<SeededKey> seedFileKeys = seed == null ? List.of() : seed.resolveKeys();
            List<SeededKey> keys = new ArrayList<>(seedFileKeys.isEmpty() || hasKeys(options.keys())
                    ? seedKeys(services.provisioning(), options.keys(), options.dataDir()) : List.of());
            keys.addAll(seedFileKeys);
            String connections = join(options.connections(), seed == null ? null : seed.connections());
            Reset reset = new Reset(template, List.copyOf(keys), connections, seed);
            // With a data folder the seed's files are loaded once, into a new one, not again at every start.
            List<Seed.SeededLink> links = applySeed(services, reset, fresh);
            Router router = new Router(template.routes(), className -> instantiate(className, services));
            LocalServer server = new LocalServer(http, connector, backends, external, router, services, cors, clock,
                    reset);
            server.seededLinks = links;
            // A blocking handler: Jetty calls it on a pool thread, where reading the body may wait.
            http.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    server.serve(request, response, callback);
                    return true;
                }
            });
            http.setErrorHandler(new StripeErrorHandler());
            http.start();
            return server;
        } catch (Exception | Error e) {
            http.stop();
            connector.close();
            if (backends != null) {
                backends.close();
            }
            if (external != null) {
                external.close();
            }
            throw e;
        }
    }

    @SuppressWarnings("removal") // setMinRequestDataRate, deprecated in Jetty 12.1: HostileClientsTest holds us to it
    private static ServerConnector connector(Server http, InetAddress address, int port) {
        HttpConfiguration config = new HttpConfiguration();
        config.setRequestHeaderSize(MAX_REQUEST_HEADER_BYTES);
        config.setMinRequestDataRate(MIN_REQUEST_BYTES_PER_SECOND);
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(http, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(address.getHostAddress());
        connector.setPort(port);
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        connector.setAcceptQueueSize(128);
        http.addConnector(connector);
        return connector;
    }

    /**
     * Jetty's own refusals (a malformed request line, headers over the limit, a body too slow) as Stripe errors
     * with Stripe's headers, where Jetty would write an HTML page.
     */
    private static final class StripeErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            String text = message == null || message.isBlank() ? "The request could not be read." : message;
            // What reaches here is the client's doing (505 included: an HTTP version we do not speak), except a
            // server that is stopping or out of threads.
            boolean ours = code == 500 || code == 503;
            StripeError error = new StripeError(code, ours ? StripeError.API_ERROR : StripeError.INVALID_REQUEST,
                    null, null, "Bad request (" + code + "): " + text);
            APIGatewayV2HTTPResponse answer = own(ApiResponse.error(error),
                    request.getHeaders().get("Stripe-Version"));
            LocalServer.write(response, answer, false, callback);
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
        return new InetSocketAddress(connector.getHost(), port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Where clients reach it: {@code localhost} when it listens on loopback or on every interface. */
    public String baseUrl() {
        InetAddress address = address().getAddress();
        String host = address.isLoopbackAddress() || address.isAnyLocalAddress() ? "localhost" : uriHost(address);
        return "http://" + host + ":" + port();
    }

    public List<SeededKey> keys() {
        return keys;
    }

    /** The clock every service reads; {@code POST /_local/clock} moves it. */
    public LocalClock clock() {
        return clock;
    }

    /**
     * Empties every store, puts the clock back and applies the settings again, as a fresh start would. Requests
     * running meanwhile may see either side of it.
     */
    public synchronized void reset() throws Exception {
        if (backends == null) {
            throw StripeError.invalid("Reset empties the embedded stores only, never the tables and bucket of the"
                    + " AWS environment this server runs on (--backend aws).", null);
        }
        backends.empty(reset.template(), TABLE, BUCKET);
        clock.reset();
        seededLinks = applySeed(services, reset, true);
    }

    /** Keys, connections, then the seed file's files and links (a new token for each link every time). */
    private static List<Seed.SeededLink> applySeed(Services services, Reset reset, boolean files)
            throws IOException {
        for (SeededKey k : reset.keys()) {
            services.provisioning().register(k.key(), k.account(), k.files());
        }
        seedConnections(services.provisioning(), reset.connections());
        return reset.seed() == null || !files ? List.of() : reset.seed().loadFiles(services);
    }

    /** The links the seed made at the last start or reset. */
    public List<Seed.SeededLink> seededLinks() {
        return seededLinks;
    }

    private static boolean hasKeys(String spec) {
        return spec != null && !spec.isBlank();
    }

    private static String join(String a, String b) {
        return !hasKeys(a) ? b : !hasKeys(b) ? a : a + "," + b;
    }

    public Services services() {
        return services;
    }

    public EmbeddedBackends backends() {
        return backends;
    }

    /**
     * What the server prints on start: where it listens, where its routes came from, its keys and connections, and
     * curl lines that work as pasted. The {@code FILES_API_URL=} line is for scripts.
     */
    String banner(Options options) {
        SeededKey key = keys.stream().filter(k -> k.key().startsWith("sk_test_")).findFirst().orElse(keys.get(0));
        String storage = options.dataDir() == null ? "in memory (gone when the server stops)"
                : "kept in " + options.dataDir().toAbsolutePath();
        StringBuilder out = new StringBuilder("\nStripe-compatible Files API listening on " + baseUrl() + "\n");
        out.append("  routes from ").append(templateSource(options.template()));
        if (options.external() != null) {
            out.append("; tables ").append(options.external().table()).append(" and ")
                    .append(options.external().listsTable()).append(", bucket ").append(options.external().bucket())
                    .append(", from the AWS environment\n");
        } else {
            out.append("; DynamoDB and S3 embedded; data ").append(storage).append('\n');
        }
        if (options.seed() != null) {
            out.append("  seeded from ").append(options.seed().toAbsolutePath()).append('\n');
        }
        for (SeededKey k : keys) {
            out.append("  API key ").append(k.key()).append(" -> ").append(k.account())
                    .append(k.livemode() ? " (live mode, " : " (test mode, ").append(permission(k)).append(")\n");
        }
        String connections = reset.connections();
        if (hasKeys(connections)) {
            for (String entry : connections.split(",")) {
                String[] pair = entry.trim().split(":");
                out.append("  Connect: ").append(pair[0]).append(" may act on ").append(pair[1])
                        .append(" with Stripe-Account: ").append(pair[1]).append('\n');
            }
        }
        for (Seed.SeededLink link : seededLinks) {
            out.append("  seeded link ").append(link.linkId()).append(" to ").append(link.fileId()).append(": ")
                    .append(baseUrl()).append("/links/").append(link.token()).append('\n');
        }
        out.append("  control: ").append(baseUrl()).append("/_local/health, /_local/reset, /_local/clock")
                .append(" (any secret test key)\n");
        out.append("Try:\n");
        out.append("  curl ").append(baseUrl()).append("/v1/files -u ").append(key.key()).append(":\n");
        out.append("  printf '%%PDF-1.4\\n%%%%EOF\\n' | curl ").append(baseUrl()).append("/v1/files -u ")
                .append(key.key()).append(": -F purpose=dispute_evidence -F \"file=@-;filename=hello.pdf\"\n");
        out.append("FILES_API_URL=").append(baseUrl()).append("\n\n");
        return out.toString();
    }

    /** The file the routes were read from, or that they are the jar's own copy (the file was not there). */
    static String templateSource(Path template) {
        return template != null && Files.isRegularFile(template) ? template.toAbsolutePath().normalize().toString()
                : "the template.yaml copy inside the jar";
    }

    private static String permission(SeededKey key) {
        return switch (Caller.kindOf(key.key())) {
            case SECRET -> "secret key: everything";
            case RESTRICTED -> "restricted key: Files " + key.files().name().toLowerCase(Locale.ROOT);
            case PUBLISHABLE -> "publishable key";
        };
    }

    private void serve(Request request, Response exchange, Callback callback) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        HttpFields requestHeaders = request.getHeaders();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : requestHeaders) {
            headers.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
        }
        String origin = requestHeaders.get("Origin");
        String version = requestHeaders.get("Stripe-Version");
        if (cors != null && cors.isPreflight(method, origin, requestHeaders.get("Access-Control-Request-Method"))) {
            // API Gateway answers preflights itself, before any route or function.
            write(exchange, own(new ApiResponse(204, cors.preflightHeaders(origin), new byte[0], false), version),
                    false, callback);
            return;
        }
        APIGatewayV2HTTPResponse response;
        try {
            byte[] body = readBody(Request.asInputStream(request));
            if (body == null) {
                response = own(ApiResponse.error(new StripeError(413, StripeError.INVALID_REQUEST, null, null,
                        "Request Entity Too Large: API Gateway accepts request bodies of at most 10 MB.")),
                        version);
            } else {
                String rawPath = request.getHttpURI().getPath();
                String query = request.getHttpURI().getQuery();
                if (ControlEndpoints.isControl(rawPath)) {
                    String form = body.length > 0 ? new String(body, StandardCharsets.UTF_8) : query;
                    response = own(control.handle(method, rawPath, requestHeaders.get("Authorization"), form),
                            version);
                } else {
                    headers.putIfAbsent("X-Forwarded-Proto", List.of("http"));
                    Router.Match match = router.match(method, rawPath);
                    APIGatewayV2HTTPEvent event = ApiGatewayEvents.build(method, rawPath, query, headers, body, match,
                            Request.getRemoteAddr(request));
                    response = realTimeUploadUrl(realTimeRedirect(match.handler().handleRequest(event, null)));
                }
            }
        } catch (IOException e) {
            // A body that ends early, arrives too slowly or has a broken chunked encoding.
            response = own(ApiResponse.error(StripeError.invalid("The request body could not be read: "
                    + e.getMessage(), null)), version);
        } catch (Exception e) {
            String requestId = Ids.requestId();
            Log.error(requestId, "local server failure", e);
            response = own(ApiResponse.error(StripeError.internal(requestId)), version, requestId);
        }
        if (cors != null) {
            response = cors.onResponse(response, origin);
        }
        write(exchange, response, method.equals("HEAD"), callback);
    }

    /**
     * A redirect to our S3 signed anew from real time when the clock has been moved: the API decided, by its own
     * clock, that the link may be opened and for how long; S3Proxy only checks the signature's date against real
     * time, so the same lifetime is signed from now. Within a second of real time the API's own signature stands.
     */
    private APIGatewayV2HTTPResponse realTimeRedirect(APIGatewayV2HTTPResponse response) {
        if (backends == null || response.getStatusCode() / 100 != 3 || response.getHeaders() == null
                || clock.skew().abs().compareTo(Duration.ofSeconds(1)) < 0) {
            return response;
        }
        String location = response.getHeaders().get("Location");
        String signed = location == null ? null : backends.presignAgainFromRealTime(location);
        if (signed != null) {
            Map<String, String> headers = new LinkedHashMap<>(response.getHeaders());
            headers.put("Location", signed);
            response.setHeaders(headers);
        }
        return response;
    }

    /**
     * A file_upload's upload URL signed anew from real time when the clock has been moved, as {@link
     * #realTimeRedirect} does for redirects: the session's life is the API's, by its clock; S3Proxy checks the PUT's
     * signing date against real time.
     */
    private APIGatewayV2HTTPResponse realTimeUploadUrl(APIGatewayV2HTTPResponse response) {
        if (backends == null || response.getStatusCode() != 200 || response.getBody() == null
                || response.getIsBase64Encoded() || !response.getBody().contains("\"file_upload\"")
                || clock.skew().abs().compareTo(Duration.ofSeconds(1)) < 0) {
            return response;
        }
        try {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode upload = (ObjectNode) mapper.readTree(response.getBody());
            if (!upload.path("object").asText().equals("file_upload") || !upload.path("upload_url").isTextual()) {
                return response;
            }
            String signed = backends.presignPutAgainFromRealTime(upload.path("upload_url").asText(),
                    upload.path("size").asLong());
            if (signed != null) {
                upload.put("upload_url", signed);
                response.setBody(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(upload));
            }
        } catch (IOException | RuntimeException e) {
            Log.error(null, "could not sign an upload URL again from real time", e);
        }
        return response;
    }

    /** An answer of the server's own, with the headers every function's answer has. */
    private static APIGatewayV2HTTPResponse own(ApiResponse response, String requestedVersion) {
        return own(response, requestedVersion, Ids.requestId());
    }

    /** The same, under the request id a logged failure already names. */
    private static APIGatewayV2HTTPResponse own(ApiResponse response, String requestedVersion, String requestId) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(response.status())
                .withHeaders(response.withStripeHeaders(requestId, ApiVersions.orDefault(requestedVersion)))
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

    private static void write(Response exchange, APIGatewayV2HTTPResponse response, boolean head,
                              Callback callback) {
        exchange.setStatus(response.getStatusCode());
        HttpFields.Mutable headers = exchange.getHeaders();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(headers::add);
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((k, vs) -> vs.forEach(v -> headers.add(k, v)));
        }
        byte[] body = response.getBody() == null ? new byte[0] : response.getIsBase64Encoded()
                ? Base64.getDecoder().decode(response.getBody())
                : response.getBody().getBytes(StandardCharsets.UTF_8);
        if (response.getStatusCode() != 204 && response.getStatusCode() != 304) {
            headers.put("Content-Length", body.length);
        }
        exchange.write(true, head ? null : ByteBuffer.wrap(body), callback);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            // Stopping is best effort; the process is usually exiting.
        }
        if (backends != null) {
            backends.close();
        }
        if (external != null) {
            external.close();
        }
    }
}
