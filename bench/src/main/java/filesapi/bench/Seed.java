package filesapi.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Items written straight into the table in the format the stores use ({@code DynamoFileStore}, {@code DynamoLinkStore},
 * {@code DynamoApiKeyStore}, {@code Items}), without loading any handler code. The benchmark checks every response
 * status, so a drift from the store format shows up as a failed run, not as a wrong figure.
 */
final class Seed {
    static final String TABLE = "files-api-bench";
    static final String BUCKET = "files-api-bench";
    static final String PURPOSE = "dispute_evidence";
    /** dispute_evidence files expire after 270 days; their contents live under this S3 prefix. */
    static final long EXPIRY_SECONDS = 270L * 86_400;

    private Seed() {}

    /** The table as template.yaml declares it (the parent reads the template; children use this copy). */
    static CreateTableRequest table(String name) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (String a : new String[] {"pk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk"}) {
            attributes.add(AttributeDefinition.builder().attributeName(a).attributeType(ScalarAttributeType.S).build());
        }
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .globalSecondaryIndexes(index("gsi1"), index("gsi2"))
                .build();
    }

    private static GlobalSecondaryIndex index(String name) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(KeySchemaElement.builder().attributeName(name + "pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(name + "sk").keyType(KeyType.RANGE).build())
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build();
    }

    static String tenant(String account) {
        return account + "|test";
    }

    static String sortKey(long created, String id) {
        return String.format("%010d#%s", created, id);
    }

    static String blobKey(String account, String fileId) {
        return "expire-270d/" + account + "/test/" + fileId;
    }

    static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String keyPk(String apiKey) {
        return "key|" + sha256(apiKey);
    }

    static Map<String, AttributeValue> apiKey(String apiKey, String account, long created) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(keyPk(apiKey)));
        item.put("account", s(account));
        item.put("livemode", AttributeValue.fromBool(false));
        item.put("kind", s("secret"));
        item.put("created", n(created));
        return item;
    }

    static Map<String, AttributeValue> file(String account, String id, long created, long size) {
        String t = tenant(account);
        String sk = sortKey(created, id);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(t + "|" + id));
        item.put("gsi1pk", s(t + "|file"));
        item.put("gsi1sk", s(sk));
        item.put("gsi2pk", s(t + "|file|purpose|" + PURPOSE));
        item.put("gsi2sk", s(sk));
        item.put("id", s(id));
        item.put("account", s(account));
        item.put("livemode", AttributeValue.fromBool(false));
        item.put("purpose", s(PURPOSE));
        item.put("type", s("pdf"));
        item.put("content_type", s("application/pdf"));
        item.put("size", n(size));
        item.put("filename", s("evidence.pdf"));
        item.put("created", n(created));
        item.put("expires_at", n(created + EXPIRY_SECONDS));
        item.put("blob_key", s(blobKey(account, id)));
        return item;
    }

    static Map<String, AttributeValue> link(String account, String id, String fileId, long created, String token) {
        String t = tenant(account);
        String sk = sortKey(created, id);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s(t + "|" + id));
        item.put("gsi1pk", s(t + "|file_link"));
        item.put("gsi1sk", s(sk));
        item.put("gsi2pk", s(t + "|file_link|file|" + fileId));
        item.put("gsi2sk", s(sk));
        item.put("id", s(id));
        item.put("account", s(account));
        item.put("livemode", AttributeValue.fromBool(false));
        item.put("file_id", s(fileId));
        item.put("created", n(created));
        item.put("metadata", AttributeValue.fromM(Map.of()));
        item.put("token", s(token));
        item.put("version", n(1));
        return item;
    }

    static Map<String, AttributeValue> token(String token, String linkId, String account, String fileId,
                                             long fileCreated) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", s("link_token|" + token));
        item.put("link_id", s(linkId));
        item.put("file_expires_at", n(fileCreated + EXPIRY_SECONDS));
        item.put("blob_key", s(blobKey(account, fileId)));
        item.put("content_type", s("application/pdf"));
        item.put("filename", s("evidence.pdf"));
        return item;
    }

    /** Writes items 25 at a time, as BatchWriteItem takes them. */
    static void batchWrite(DynamoDbClient dynamo, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> item : items.subList(i, Math.min(items.size(), i + 25))) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            dynamo.batchWriteItem(b -> b.requestItems(Map.of(TABLE, batch)));
        }
    }

    /** An id with Stripe's shape (prefix and 24 alphanumerics), from a number. */
    static String id(String prefix, String tag, long n) {
        String digits = Long.toString(n);
        String body = tag + "0".repeat(Math.max(0, 24 - tag.length() - digits.length())) + digits;
        return prefix + body;
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
