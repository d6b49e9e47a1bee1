package filesapi.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.local.dynamodb.InMemoryDynamoDb;
import java.io.PrintStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * One cold start, in a fresh JVM: {@code handler OP} runs the production wiring ({@code AwsClients.fromEnvironment},
 * {@code Services.create}, the handler class) and handles one request; {@code lazy OP} builds all of that inside its
 * first request; {@code primed OP} does the same after the
 * SnapStart priming hook has run, and reports its first request; {@code floor OP} builds the same SDK clients
 * the same way and makes the same SDK calls. DynamoDB is a fresh {@link InMemoryDynamoDb} seeded here, identically in
 * both (the emulator has no network mode); S3 is the parent's S3Proxy. Prints
 * {@code RESULT <epoch micros at the first response> <nanos of a second request> <epoch micros when the
 * table was seeded> <JVM start epoch millis>}.
 */
public final class ColdChild {
    static final String FILE = Seed.id("file_", "cold", 1);
    static final String LINK = Seed.id("link_", "cold", 1);
    static final String TOKEN = Seed.id("", "coldtoken", 1) + "00000000";
    static final String KEY = "sk_test_benchcoldkey000000000000";
    static final String ACCOUNT = "acct_benchcold00000000";

    private ColdChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        // Handlers log a line per request to stdout.
        // They go to stderr, a pipe as stdout is on Lambda; the parent shows them only when the child fails.
        System.setOut(System.err);
        String mode = args[0];
        String op = args[1];
        InMemoryDynamoDb dynamo = seeded();
        Instant seededAt = Instant.now();
        Runnable request = switch (mode) {
            case "floor" -> floor(op, dynamo);
            case "lazy" -> lazy(op, dynamo);
            default -> handler(op, dynamo, mode.equals("primed"));
        };
        long t0 = System.nanoTime();
        request.run();
        long firstNanos = System.nanoTime() - t0;
        Instant first = Instant.now();
        t0 = System.nanoTime();
        request.run();
        // "primed" reports its first request: what a function restored from a SnapStart snapshot answers first.
        long second = mode.equals("primed") ? firstNanos : System.nanoTime() - t0;
        long micros = first.getEpochSecond() * 1_000_000 + first.getNano() / 1000;
        long seeded = seededAt.getEpochSecond() * 1_000_000 + seededAt.getNano() / 1000;
        out.println("RESULT " + micros + " " + second + " " + seeded + " "
                + java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
        out.flush();
        System.exit(0);
    }

    /** The same items in both modes: a key, a file with one link, ten more files. */
    static InMemoryDynamoDb seeded() {
        InMemoryDynamoDb dynamo = new InMemoryDynamoDb();
        dynamo.createTable(Seed.table(Seed.TABLE));
        dynamo.createTable(Seed.listsTable(Seed.LISTS));
        long now = System.currentTimeMillis() / 1000;
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        items.add(Seed.apiKey(KEY, ACCOUNT, now));
        items.add(Seed.file(ACCOUNT, FILE, now - 100, 100 * 1024));
        items.add(Seed.link(ACCOUNT, LINK, FILE, now - 50, TOKEN));
        items.add(Seed.token(TOKEN, LINK, ACCOUNT, FILE, now - 100));
        for (int i = 0; i < 10; i++) {
            items.add(Seed.file(ACCOUNT, Seed.id("file_", "coldlist", i), now - 200 + i, 1000));
        }
        Seed.batchWrite(dynamo, items);
        return dynamo;
    }

    static APIGatewayV2HTTPEvent event(String op) {
        return switch (op) {
            case "retrieve_file" -> Events.get("GET /v1/files/{file}", "/v1/files/" + FILE, null,
                    Map.of("file", FILE), KEY);
            case "retrieve_link" -> Events.get("GET /v1/file_links/{link}", "/v1/file_links/" + LINK, null,
                    Map.of("link", LINK), KEY);
            case "list_files" -> Events.get("GET /v1/files", "/v1/files", "limit=10", Map.of(), KEY);
            case "open_link" -> Events.get("GET /links/{token}", "/links/" + TOKEN, null, Map.of("token", TOKEN),
                    null);
            case "create_link" -> Events.post("POST /v1/file_links", "/v1/file_links", Map.of(), KEY,
                    "application/x-www-form-urlencoded", ("file=" + FILE).getBytes());
            case "upload_100k" -> Events.post("POST /v1/files", "/v1/files", Map.of(), KEY, Events.multipartType(),
                    Events.upload(Events.pdf(100 * 1024)));
            default -> throw new IllegalArgumentException(op);
        };
    }

    static String handlerClass(String op) {
        return switch (op) {
            case "retrieve_file" -> "filesapi.lambda.files.RetrieveFileHandler";
            case "retrieve_link" -> "filesapi.lambda.links.RetrieveFileLinkHandler";
            case "list_files" -> "filesapi.lambda.files.ListFilesHandler";
            case "open_link" -> "filesapi.lambda.links.OpenFileLinkHandler";
            case "create_link" -> "filesapi.lambda.links.CreateFileLinkHandler";
            case "upload_100k" -> "filesapi.lambda.files.CreateFileHandler";
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** Production wiring, with the in-memory table in place of the DynamoDB client it also builds. */
    private static Runnable handler(String op, InMemoryDynamoDb dynamo, boolean primed) throws Exception {
        filesapi.lambda.AwsClients prod = filesapi.lambda.AwsClients.fromEnvironment();
        filesapi.lambda.AwsClients aws = new filesapi.lambda.AwsClients(dynamo, prod.s3());
        filesapi.lambda.Services services = filesapi.lambda.Services.create(filesapi.lambda.Config.fromEnvironment(), aws,
                java.time.Clock.systemUTC());
        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler = build(handlerClass(op), services);
        if (primed) {
            // What Lambda runs before it takes the snapshot (the org.crac hook the no-argument constructor registers).
            filesapi.lambda.Priming.of((filesapi.lambda.ApiHandler) handler, services, event(op).getRouteKey(),
                    twin -> (filesapi.lambda.ApiHandler) build(handlerClass(op), twin)).prime();
        }
        int expected = op.equals("open_link") ? 302 : 200;
        return () -> {
            APIGatewayV2HTTPResponse r = handler.handleRequest(event(op), null);
            if (r.getStatusCode() != expected) {
                throw new IllegalStateException(op + " answered " + r.getStatusCode() + ": " + r.getBody());
            }
        };
    }

    /** The handler class wired from {@code services} by its {@code Services} constructor. */
    @SuppressWarnings("unchecked")
    static RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> build(String className,
                                                                              filesapi.lambda.Services services) {
        try {
            return (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) Class.forName(className)
                    .getConstructor(filesapi.lambda.Services.class).newInstance(services);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lazy initialisation: nothing is built until the first request, which builds the clients, services, handler. */
    private static Runnable lazy(String op, InMemoryDynamoDb dynamo) {
        Runnable[] built = {null};
        return () -> {
            if (built[0] == null) {
                try {
                    built[0] = handler(op, dynamo, false);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            built[0].run();
        };
    }

    /** The same clients, built as AwsClients builds them, and the same SDK calls; the table is the in-memory one. */
    private static Runnable floor(String op, InMemoryDynamoDb dynamo) {
        Region region = Region.of(System.getenv("AWS_REGION"));
        String endpoint = System.getenv("AWS_ENDPOINT_URL_S3");
        DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
        DynamoDbClient unused = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .credentialsProvider(credentials).build();
        S3Client s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(region)
                .credentialsProvider(credentials)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .endpointOverride(URI.create(endpoint)).build();
        Floors floors = new Floors(dynamo, s3);
        byte[] pdf = op.equals("upload_100k") ? Events.pdf(100 * 1024) : null;
        boolean[] keyCached = {false};
        return () -> {
            if (!op.equals("open_link") && !keyCached[0]) {
                floors.apiKey(KEY); // the first request looks its key up; later ones find it cached
                keyCached[0] = true;
            }
            switch (op) {
                case "retrieve_file" -> floors.retrieveFile(ACCOUNT, FILE);
                case "retrieve_link" -> floors.retrieveLink(ACCOUNT, LINK);
                case "list_files" -> floors.listFiles(ACCOUNT);
                case "open_link" -> floors.openLink(TOKEN);
                case "create_link" -> floors.createLink(ACCOUNT, FILE);
                case "upload_100k" -> floors.upload(ACCOUNT, pdf);
                default -> throw new IllegalArgumentException(op);
            }
            if (unused == null) {
                throw new IllegalStateException();
            }
        };
    }
}
