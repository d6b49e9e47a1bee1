package filesapi.local;

import filesapi.dynamodb.DynamoApiKeyStore;
import filesapi.dynamodb.DynamoConnectionStore;
import filesapi.dynamodb.Items;
import filesapi.lambda.AwsClients;
import filesapi.lambda.Config;
import filesapi.lambda.wire.Params;
import filesapi.local.dynamodb.InMemoryDynamoDb;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;
import software.amazon.awssdk.services.s3.presigner.model.PutObjectPresignRequest;

/**
 * DynamoDB and S3 emulated inside this JVM: an in-memory DynamoDB (our own, for the operations the API uses) and
 * S3Proxy on a loopback port, which checks SigV4 signatures and presigned-URL expiry like S3 does. With a data
 * folder both keep their contents across restarts.
 */
public final class EmbeddedBackends implements AutoCloseable {
    static final String ACCESS_KEY = "local-access-key";
    static final String SECRET_KEY = "local-secret-key";

    private final InMemoryDynamoDb dynamo;
    private final S3Proxy s3proxy;
    private final AwsClients clients;
    private final URI s3Endpoint;
    private final S3Presigner realTimePresigner;
    private final boolean fresh;

    private EmbeddedBackends(InMemoryDynamoDb dynamo, S3Proxy s3proxy, AwsClients clients, URI s3Endpoint,
                             S3Presigner realTimePresigner, boolean fresh) {
        this.fresh = fresh;
        this.dynamo = dynamo;
        this.s3proxy = s3proxy;
        this.clients = clients;
        this.s3Endpoint = s3Endpoint;
        this.realTimePresigner = realTimePresigner;
    }

    /** On loopback, where presigned URLs name 127.0.0.1. */
    public static EmbeddedBackends start(TemplateModel template, String tableName, String bucket, Path dataDir)
            throws Exception {
        return start(template, tableName, bucket, dataDir, InetAddress.getLoopbackAddress(), "127.0.0.1");
    }

    /**
     * Starts both emulators and creates the table (as template.yaml declares it) and the bucket.
     *
     * @param dataDir where to keep data across restarts, or null for memory only
     * @param address where S3 listens
     * @param s3Host the host name presigned URLs should carry (a browser must reach it), e.g. 127.0.0.1
     */
    public static EmbeddedBackends start(TemplateModel template, String tableName, String bucket, Path dataDir,
                                         InetAddress address, String s3Host) throws Exception {
        InMemoryDynamoDb dynamo;
        BlobStore blobs;
        if (dataDir == null) {
            dynamo = new InMemoryDynamoDb();
            blobs = new TransientNio2BlobStore();
        } else {
            Path s3Dir = Files.createDirectories(dataDir.resolve("s3"));
            dynamo = new InMemoryDynamoDb(Files.createDirectories(dataDir.resolve("dynamodb")),
                    EmbeddedBackends::isConfiguration);
            blobs = new FilesystemNio2BlobStore(s3Dir.toString());
        }
        String bind = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobs)
                .endpoint(URI.create("http://" + bind + ":0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .stopTimeout(0)
                .build();
        proxy.start();
        URI endpoint = URI.create("http://" + s3Host + ":" + proxy.getPort());
        StaticCredentialsProvider credentials =
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        S3Client s3 = S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint)
                .serviceConfiguration(pathStyle)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        boolean fresh = ensureTable(dynamo, template, tableName);
        if (!s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(bucket))) {
            s3.createBucket(b -> b.bucket(bucket));
        }
        // The SDK's presigner signs with the system clock, which is the one S3Proxy checks against.
        S3Presigner presigner = S3Presigner.builder().endpointOverride(endpoint).serviceConfiguration(pathStyle)
                .region(Region.US_EAST_1).credentialsProvider(credentials).build();
        return new EmbeddedBackends(dynamo, proxy, new AwsClients(dynamo, s3), endpoint, presigner, fresh);
    }

    /**
     * API keys and Connect connections come from the server's settings at every start, so they are kept in memory
     * only: a key removed from the settings must stop working, though the data folder keeps everything else.
     */
    private static boolean isConfiguration(Map<String, AttributeValue> key) {
        AttributeValue pk = key.get(Items.PK);
        return pk != null && pk.s() != null && (pk.s().startsWith(DynamoApiKeyStore.PK_PREFIX)
                || pk.s().startsWith(DynamoConnectionStore.PK_PREFIX));
    }

    /**
     * Creates the table and its lists table (named as {@link Config#listsTable} names it) where missing.
     *
     * @return whether the table was made, so holds nothing yet
     */
    static boolean ensureTable(DynamoDbClient dynamo, TemplateModel template, String tableName) {
        String listsTable = Config.listsTable(tableName);
        if (!dynamo.listTables().tableNames().contains(listsTable)) {
            dynamo.createTable(template.createListsTable(listsTable));
        }
        if (dynamo.listTables().tableNames().contains(tableName)) {
            return false;
        }
        dynamo.createTable(template.createTable(tableName));
        String ttl = template.ttlAttribute();
        if (ttl != null) {
            dynamo.updateTimeToLive(u -> u.tableName(tableName)
                    .timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
        }
        return true;
    }

    /** Empties both stores: the table is dropped and made again as the template declares it, every object deleted. */
    void empty(TemplateModel template, String tableName, String bucket) {
        dynamo.deleteTable(d -> d.tableName(tableName));
        dynamo.deleteTable(d -> d.tableName(Config.listsTable(tableName)));
        ensureTable(dynamo, template, tableName);
        S3Client s3 = clients.s3();
        for (S3Object object : s3.listObjectsV2Paginator(l -> l.bucket(bucket)).contents()) {
            s3.deleteObject(d -> d.bucket(bucket).key(object.key()));
        }
    }

    /**
     * A presigned GET of our bucket signed again, for the same object, overrides and lifetime, from real time.
     * The API signs with its own clock, which a test may have moved; S3Proxy checks a signature's date against
     * the system clock, and would refuse a URL dated a month ahead.
     *
     * @return null if {@code url} is not a presigned GET of this S3
     */
    String presignAgainFromRealTime(String url) {
        Presigned presigned = Presigned.parse(url, s3Endpoint);
        if (presigned == null) {
            return null;
        }
        GetObjectRequest get = GetObjectRequest.builder().bucket(presigned.bucket()).key(presigned.key())
                .responseContentType(presigned.query().get("response-content-type"))
                .responseContentDisposition(presigned.query().get("response-content-disposition"))
                .build();
        return realTimePresigner.presignGetObject(GetObjectPresignRequest.builder()
                .signatureDuration(presigned.lifetime()).getObjectRequest(get).build())
                .url().toString();
    }

    /**
     * A presigned upload PUT of our bucket signed again from real time, for the same key, length and lifetime (see
     * {@link #presignAgainFromRealTime}); null if {@code url} is not one.
     */
    String presignPutAgainFromRealTime(String url, long contentLength) {
        Presigned presigned = Presigned.parse(url, s3Endpoint);
        if (presigned == null) {
            return null;
        }
        return realTimePresigner.presignPutObject(PutObjectPresignRequest.builder()
                .signatureDuration(presigned.lifetime())
                .putObjectRequest(p -> p.bucket(presigned.bucket()).key(presigned.key()).contentLength(contentLength))
                .build())
                .url().toString();
    }

    /** A presigned URL of this S3 taken apart: its object, and its query with the lifetime it was signed for. */
    private record Presigned(String bucket, String key, Map<String, String> query, Duration lifetime) {
        static Presigned parse(String url, URI s3Endpoint) {
            URI uri = URI.create(url);
            if (!url.startsWith(s3Endpoint.toString() + "/") || uri.getRawQuery() == null) {
                return null;
            }
            String path = uri.getPath().substring(1);
            int slash = path.indexOf('/');
            Map<String, String> query = new HashMap<>();
            for (Map.Entry<String, String> p : Params.decodeUrlEncodedLenient(uri.getRawQuery())) {
                query.put(p.getKey(), p.getValue());
            }
            String expires = query.get("X-Amz-Expires");
            if (slash < 0 || expires == null) {
                return null;
            }
            return new Presigned(path.substring(0, slash), path.substring(slash + 1), query,
                    Duration.ofSeconds(Long.parseLong(expires)));
        }
    }

    /** Whether the data folder was new (always, in memory). */
    boolean fresh() {
        return fresh;
    }

    public AwsClients clients() {
        return clients;
    }

    public URI s3Endpoint() {
        return s3Endpoint;
    }

    @Override
    public void close() {
        try {
            s3proxy.stop();
        } catch (Exception e) {
            // Stopping is best effort; the process is usually exiting.
        }
        clients.s3().close();
        realTimePresigner.close();
        dynamo.close();
    }
}
