package filesapi.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Priming's in-process backend, through real SDK clients: what S3 and DynamoDB would answer to the calls the
 * handlers make, with virtual-host buckets as deployed and path-style ones as under an endpoint override (the SDK
 * reads the override itself from the process environment; the map given here only switches path-style on).
 */
class InProcessAwsTest {
    private static AwsClients clients(String endpoint) {
        InProcessAws backend = new InProcessAws("bucket", Clock.systemUTC());
        Map<String, String> env = endpoint.isEmpty() ? Map.of() : Map.of("AWS_ENDPOINT_URL_S3", endpoint);
        return AwsClients.from(env, StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "test")),
                backend, backend);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://127.0.0.1:1"})
    void objectsAreStoredReadByRangeCopiedAndDeleted(String endpoint) {
        AwsClients aws = clients(endpoint);
        byte[] bytes = "%PDF-1.4 some bytes %%EOF".getBytes(StandardCharsets.US_ASCII);
        aws.s3().putObject(p -> p.bucket("bucket").key("a/b.pdf").contentType("application/pdf"),
                RequestBody.fromBytes(bytes));
        var object = aws.s3().getObjectAsBytes(g -> g.bucket("bucket").key("a/b.pdf"));
        assertArrayEquals(bytes, object.asByteArray());
        assertEquals("application/pdf", object.response().contentType());
        assertEquals(bytes.length, object.response().contentLength());
        assertArrayEquals("PDF".getBytes(StandardCharsets.US_ASCII),
                aws.s3().getObjectAsBytes(g -> g.bucket("bucket").key("a/b.pdf").range("bytes=1-3")).asByteArray());
        assertEquals(bytes.length, aws.s3().headObject(h -> h.bucket("bucket").key("a/b.pdf")).contentLength());
        aws.s3().copyObject(c -> c.sourceBucket("bucket").sourceKey("a/b.pdf").destinationBucket("bucket")
                .destinationKey("c.pdf").contentType("application/pdf"));
        aws.s3().deleteObject(d -> d.bucket("bucket").key("a/b.pdf"));
        assertArrayEquals(bytes, aws.s3().getObjectAsBytes(g -> g.bucket("bucket").key("c.pdf")).asByteArray());
        assertThrows(NoSuchKeyException.class, () -> aws.s3().getObjectAsBytes(g -> g.bucket("bucket").key("a/b.pdf")));
        assertEquals(404, assertThrows(S3Exception.class,
                () -> aws.s3().headObject(h -> h.bucket("bucket").key("a/b.pdf"))).statusCode());
    }

    @Test
    void itemsAreKeptAndQueriedInSortKeyOrder() {
        AwsClients aws = clients("");
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("k"), "n", AttributeValue.fromN("1"),
                "m", AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(AttributeValue.fromBool(true))))));
        aws.dynamo().putItem(p -> p.tableName("t").item(item).conditionExpression("attribute_not_exists(pk)"));
        assertEquals(item, aws.dynamo().getItem(g -> g.tableName("t").key(Map.of("pk", item.get("pk")))).item());
        assertFalse(aws.dynamo().getItem(g -> g.tableName("t").key(Map.of("pk", AttributeValue.fromS("x"))))
                .hasItem());
        aws.dynamo().transactWriteItems(t -> t.transactItems(
                entry("list", "2"), entry("list", "1"), entry("list", "3"), entry("other", "0")));
        QueryResponse newest = query(aws, false, 2, null);
        assertEquals(List.of("3", "2"), newest.items().stream().map(i -> i.get("sk").s()).toList());
        assertEquals(List.of("1"), query(aws, false, 2, newest.lastEvaluatedKey()).items().stream()
                .map(i -> i.get("sk").s()).toList());
        QueryResponse all = query(aws, true, 10, null);
        assertEquals(List.of("1", "2", "3"), all.items().stream().map(i -> i.get("sk").s()).toList());
        assertFalse(all.hasLastEvaluatedKey());
        assertEquals(List.of("1"), aws.dynamo().query(q -> q.tableName("lists").keyConditionExpression(
                "#pk = :pk AND #sk < :start").expressionAttributeNames(Map.of("#pk", "pk", "#sk", "sk"))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("list"), ":start",
                        AttributeValue.fromS("2")))).items().stream().map(i -> i.get("sk").s()).toList());
    }

    /** Over plain HTTP (a local endpoint) the SDK signs each chunk, and the trailer too. */
    @Test
    void signedAwsChunkedBodiesAreDecoded() throws Exception {
        String body = "13;chunk-signature=0a1b\r\n%PDF-1.4 some bytes\r\n6;chunk-signature=2c3d\r\n %%EOF\r\n"
                + "0;chunk-signature=4e5f\r\nx-amz-checksum-crc32:moZtPA==\r\nx-amz-trailer-signature:6a7b\r\n\r\n";
        assertArrayEquals("%PDF-1.4 some bytes %%EOF".getBytes(StandardCharsets.US_ASCII),
                InProcessAws.unchunk(body.getBytes(StandardCharsets.US_ASCII)));
    }

    private static TransactWriteItem entry(String list, String sk) {
        return TransactWriteItem.builder().put(Put.builder().tableName("lists").item(Map.of("pk",
                AttributeValue.fromS(list), "sk", AttributeValue.fromS(sk))).build()).build();
    }

    private static QueryResponse query(AwsClients aws, boolean forward, int limit,
                                       Map<String, AttributeValue> startKey) {
        return aws.dynamo().query(q -> q.tableName("lists").keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", "pk"))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("list")))
                .scanIndexForward(forward).limit(limit).exclusiveStartKey(startKey));
    }
}
