package filesapi.local;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The local server embedded in a test suite:
 *
 * <pre>
 * try (FilesApiServer server = FilesApiServer.builder().port(0).start()) {
 *     StripeClient stripe = StripeClient.builder().setApiKey(server.secretKey())
 *             .setApiBase(server.url()).setFilesBase(server.url()).build();
 *     ...
 *     server.clock().advance(Duration.ofDays(30));
 *     server.reset();
 * }
 * </pre>
 *
 * The routes are the copy of template.yaml inside this jar unless {@link Builder#template} names another.
 */
public final class FilesApiServer implements AutoCloseable {
    private final LocalServer server;

    private FilesApiServer(LocalServer server) {
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings as the command line takes them; every one is optional. */
    public static final class Builder {
        private String host = LocalServer.Options.DEFAULT_HOST;
        private int port;
        private String keys;
        private String connections;
        private Clock clock = Clock.systemUTC();
        private Path dataDir;
        private Path seed;
        private Path template;
        private String publicBaseUrl;

        private Builder() {}

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** {@code sk_test_...:acct_A,rk_test_...:acct_A:read}, as {@code FILES_API_KEYS}; default: one generated. */
        public Builder keys(String keys) {
            this.keys = keys;
            return this;
        }

        /** {@code acct_PLATFORM:acct_CONNECTED,...}, as {@code FILES_API_CONNECT}. */
        public Builder connections(String connections) {
            this.connections = connections;
            return this;
        }

        /** The clock the server starts from; {@link FilesApiServer#clock()} moves it from there. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Keep data here across starts; default: memory only. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /** A seed file (YAML or JSON) to start from and that {@link FilesApiServer#reset()} returns to. */
        public Builder seed(Path seed) {
            this.seed = seed;
            return this;
        }

        /** Routes and table from this template instead of the copy inside the jar. */
        public Builder template(Path template) {
            this.template = template;
            return this;
        }

        public Builder publicBaseUrl(String publicBaseUrl) {
            this.publicBaseUrl = publicBaseUrl;
            return this;
        }

        public FilesApiServer start() throws Exception {
            return new FilesApiServer(LocalServer.start(new LocalServer.Options(host, port, dataDir, template, keys,
                    connections, publicBaseUrl, null, clock, seed)));
        }
    }

    /** The base URL, for both Stripe's API base and its files base. */
    public String url() {
        return server.baseUrl();
    }

    public int port() {
        return server.port();
    }

    /** The first secret test key: the generated one, unless keys or a seed were given. */
    public String secretKey() {
        return server.keys().stream().filter(k -> k.key().startsWith("sk_test_")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no secret test key is configured"))
                .key();
    }

    public List<LocalServer.SeededKey> keys() {
        return server.keys();
    }

    /** The server's clock; {@code set} and {@code advance} move it, {@link #reset()} puts it back. */
    public LocalClock clock() {
        return server.clock();
    }

    /** Every store emptied, the clock put back, keys, connections and the seed applied again. */
    public void reset() throws Exception {
        server.reset();
    }

    @Override
    public void close() {
        server.close();
    }
}
