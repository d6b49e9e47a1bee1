package filesapi.bench;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.S3Utilities;

/**
 * The floor of each request: the SDK calls it cannot do without, made directly on the same clients, with no request
 * decoding, validation, rendering or logging. Used by the warm benchmark and the cold-start floor child alike.
 */
final class Floors {
    private static final String TABLE = Seed.TABLE;
    /** What the floor's idempotency claim stores as the request's digest: as long as a SHA-256 in hex. */
    private static final String DIGEST = "0".repeat(64);
    /** As long as the token the real claim draws. */
    private static final String CLAIM_TOKEN = "0".repeat(16);
    private final DynamoDbClient dynamo;
    private final S3Client s3;
    private final S3Utilities urls;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong counter;

    Floors(DynamoDbClient dynamo, S3Client s3) {
        this(dynamo, s3, 0);
    }

    /** With the ids of written links and files counted from {@code firstId}. */
    Floors(DynamoDbClient dynamo, S3Client s3, long firstId) {
        this.dynamo = dynamo;
        this.s3 = s3;
        this.urls = s3.utilities();
        this.counter = new AtomicLong(firstId);
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", AttributeValue.fromS(pk));
    }

    /** The API key lookup a cold request makes (warm requests find the key in the container's cache). */
    Map<String, AttributeValue> apiKey(String apiKey) {
        return dynamo.getItem(g -> g.tableName(TABLE).key(key(Seed.keyPk(apiKey))).consistentRead(true)).item();
    }

    /** GET /v1/files/{file}: the file, and the first page of its links (a file object embeds them). */
    int retrieveFile(String account, String fileId) {
        String t = Seed.tenant(account);
        Map<String, AttributeValue> file = dynamo.getItem(g -> g.tableName(TABLE).key(key(t + "|" + fileId))
                .consistentRead(true)).item();
        return file.size() + list(t + "|file_link|file|" + fileId);
    }

    /** GET /v1/file_links/{link}: one consistent GetItem. */
    int retrieveLink(String account, String linkId) {
        return dynamo.getItem(g -> g.tableName(TABLE).key(key(Seed.tenant(account) + "|" + linkId))
                .consistentRead(true)).item().size();
    }

    /** GET /v1/files?limit=10: one consistent Query for limit + 1 items (the extra one answers has_more). */
    int listFiles(String account) {
        return list(Seed.tenant(account) + "|file");
    }

    /** GET /v1/file_links?file=...&limit=10: one consistent Query on the file's links. */
    int listLinks(String account, String fileId) {
        return list(Seed.tenant(account) + "|file_link|file|" + fileId);
    }

    private int list(String list) {
        return dynamo.query(q -> q.tableName(Seed.LISTS).consistentRead(true).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", "pk"))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(list)))
                .scanIndexForward(false).limit(11)).count();
    }

    private static List<TransactWriteItem> entryPuts(Map<String, AttributeValue> item) {
        return Seed.entries(item).stream().map(entry -> TransactWriteItem.builder()
                .put(Put.builder().tableName(Seed.LISTS).item(entry).build()).build()).toList();
    }

    /** GET /links/{token}: one consistent GetItem on the token, and a presigned GET (signed locally, no call). */
    String openLink(String token) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(TABLE)
                .key(key("link_token|" + token)).consistentRead(true)).item();
        S3ServiceClientConfiguration client = s3.serviceClientConfiguration();
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create(urls.getUrl(u -> u.bucket(Seed.BUCKET).key(item.get("blob_key").s())).toString()))
                .putRawQueryParameter("response-content-type", item.get("content_type").s())
                .putRawQueryParameter("response-content-disposition",
                        "attachment; filename=\"" + item.get("filename").s() + "\"")
                .build();
        return signer.sign(r -> r.identity(client.credentialsProvider().resolveIdentity().join())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, client.region().id())
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofSeconds(300))
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request().getUri().toString();
    }

    /** POST /v1/file_links: read the file, then write the link, its token and list entries in one transaction. */
    String createLink(String account, String fileId) {
        String t = Seed.tenant(account);
        Map<String, AttributeValue> file = dynamo.getItem(g -> g.tableName(TABLE).key(key(t + "|" + fileId))
                .consistentRead(true)).item();
        long n = counter.incrementAndGet();
        long now = clock.millis() / 1000;
        String linkId = Seed.id("link_", "floor", n);
        String token = Seed.id("", "floortoken", n) + "00000000";
        Map<String, AttributeValue> tokenItem = Seed.token(token, linkId, account, fileId,
                Long.parseLong(file.get("created").n()));
        Map<String, String> pkName = Map.of("#pk", "pk");
        Map<String, AttributeValue> link = Seed.link(account, linkId, fileId, now, token);
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(link)
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(pkName)
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(tokenItem)
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(pkName)
                        .build()).build()));
        writes.addAll(entryPuts(link));
        dynamo.transactWriteItems(w -> w.transactItems(writes));
        return linkId;
    }

    /**
     * POST /v1/files: the contents with one PutObject, then the metadata and its list entries in one transaction.
     * Returns the S3 key.
     */
    String upload(String account, byte[] contents) {
        long n = counter.incrementAndGet();
        String fileId = Seed.id("file_", "floor", n);
        String blobKey = Seed.blobKey(account, fileId);
        s3.putObject(p -> p.bucket(Seed.BUCKET).key(blobKey).contentType("application/pdf"),
                RequestBody.fromBytes(contents));
        Map<String, AttributeValue> item = new HashMap<>(Seed.file(account, fileId, clock.millis() / 1000,
                contents.length));
        List<TransactWriteItem> writes = new ArrayList<>(List.of(TransactWriteItem.builder().put(Put.builder()
                .tableName(TABLE).item(item).conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", "pk")).build()).build()));
        writes.addAll(entryPuts(item));
        dynamo.transactWriteItems(w -> w.transactItems(writes));
        return blobKey;
    }

    /**
     * POST /v1/file_links/{link}: read the link, then rewrite it (version condition), its token's expiry and its two
     * list entries in one transaction.
     */
    void updateLink(String account, String linkId) {
        Map<String, AttributeValue> link = new HashMap<>(dynamo.getItem(g -> g.tableName(TABLE)
                .key(key(Seed.tenant(account) + "|" + linkId)).consistentRead(true)).item());
        long version = Long.parseLong(link.get("version").n());
        link.put("version", AttributeValue.fromN(Long.toString(version + 1)));
        link.put("metadata", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"))));
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(TABLE).item(link)
                        .conditionExpression("#version = :previous")
                        .expressionAttributeNames(Map.of("#version", "version"))
                        .expressionAttributeValues(Map.of(":previous", AttributeValue.fromN(Long.toString(version))))
                        .build()).build(),
                TransactWriteItem.builder().update(Update.builder().tableName(TABLE)
                        .key(key("link_token|" + link.get("token").s())).updateExpression("REMOVE expires_at")
                        .build()).build()));
        writes.addAll(entryPuts(link));
        dynamo.transactWriteItems(w -> w.transactItems(writes));
    }

    /**
     * What an {@code Idempotency-Key} adds to a POST's floor, the cheapest correct way: the claim, one conditional
     * PutItem (key, endpoint, a 64-character digest, state, lease, ttl, the claim's token) that fails if the key is
     * held, before the request's own calls; then {@code request}; then one UpdateItem, conditioned on the token,
     * keeping the response (status, body, headers, request id) for replay. No digest is computed: a digest of the
     * same length is stored.
     */
    <T> T keyed(String account, String idempotencyKey, String endpoint, String responseBody, Supplier<T> request) {
        long now = clock.millis() / 1000;
        Map<String, AttributeValue> pk = key(Seed.tenant(account) + "|idem|" + idempotencyKey);
        Map<String, AttributeValue> claim = new HashMap<>(pk);
        claim.put("endpoint", AttributeValue.fromS(endpoint));
        claim.put("digest", AttributeValue.fromS(DIGEST));
        claim.put("state", AttributeValue.fromS("in_flight"));
        claim.put("lease_until", AttributeValue.fromN(Long.toString(now + 60)));
        claim.put("ttl", AttributeValue.fromN(Long.toString(now + 86_400)));
        claim.put("claim_token", AttributeValue.fromS(CLAIM_TOKEN));
        dynamo.putItem(p -> p.tableName(TABLE).item(claim).conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", "pk")));
        T result = request.get();
        dynamo.updateItem(u -> u.tableName(TABLE).key(pk)
                .updateExpression("SET #state = :done, #status = :status, #body = :body, #headers = :headers,"
                        + " #rid = :rid REMOVE #lease")
                .conditionExpression("#token = :token")
                .expressionAttributeNames(Map.of("#state", "state", "#status", "status", "#body", "body",
                        "#headers", "headers", "#rid", "request_id", "#lease", "lease_until", "#token", "claim_token"))
                .expressionAttributeValues(Map.of(":done", AttributeValue.fromS("done"), ":token",
                        AttributeValue.fromS(CLAIM_TOKEN),
                        ":status", AttributeValue.fromN("200"), ":body", AttributeValue.fromS(responseBody),
                        ":headers", AttributeValue.fromM(Map.of("Content-Type", AttributeValue.fromS("application/json"))),
                        ":rid", AttributeValue.fromS("req_floor0000000000000"))));
        return result;
    }

    void deleteBlob(String blobKey) {
        s3.deleteObject(d -> d.bucket(Seed.BUCKET).key(blobKey));
    }
}
