package filesapi.bench;

import filesapi.core.Caller;
import filesapi.core.Tenant;
import filesapi.core.auth.ApiKeyRecord;
import filesapi.core.auth.Authenticator;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.dynamodb.DynamoApiKeyStore;
import filesapi.dynamodb.DynamoFileStore;
import filesapi.dynamodb.DynamoLinkStore;
import filesapi.dynamodb.Items;
import filesapi.lambda.Config;
import java.time.Duration;
import java.util.ArrayList;
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
    static final String LISTS = Config.listsTable(TABLE);
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

    /** The lists table as template.yaml declares it. */
    static CreateTableRequest listsTable(String name) {
        return CreateTableRequest.builder().tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
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

    static String blobKey(String account, String fileId) {
        return FileService.blobKey(new Tenant(account, false), fileId, Duration.ofSeconds(EXPIRY_SECONDS));
    }

    static String keyPk(String apiKey) {
        return "key|" + Authenticator.hash(apiKey);
    }

    static Map<String, AttributeValue> apiKey(String apiKey, String account, long created) {
        return DynamoApiKeyStore.item(Authenticator.hash(apiKey),
                new ApiKeyRecord(account, false, Caller.KeyKind.SECRET, created, Caller.Access.WRITE));
    }

    /** A dispute_evidence PDF of {@code account} (test mode), in the store's own item format. */
    static FileRecord fileRecord(String account, String id, long created, long size) {
        return new FileRecord(id, new Tenant(account, false), Purpose.fromWire(PURPOSE), FileType.PDF, "application/pdf", size,
                "evidence.pdf", null, created, created + EXPIRY_SECONDS, blobKey(account, id), false);
    }

    static Map<String, AttributeValue> file(String account, String id, long created, long size) {
        return DynamoFileStore.item(fileRecord(account, id, created, size));
    }

    static LinkRecord linkRecord(String account, String id, String fileId, long created, String token) {
        return new LinkRecord(id, new Tenant(account, false), fileId, created, null, Map.of(), token, 1);
    }

    static Map<String, AttributeValue> link(String account, String id, String fileId, long created, String token) {
        return DynamoLinkStore.item(linkRecord(account, id, fileId, created, token));
    }

    static Map<String, AttributeValue> token(String token, String linkId, String account, String fileId,
                                             long fileCreated) {
        return DynamoLinkStore.tokenItem(linkRecord(account, linkId, fileId, fileCreated, token),
                fileRecord(account, fileId, fileCreated, 0));
    }

    /** The lists-table entries of a seeded file or link item (none for other items), as the stores write them. */
    static List<Map<String, AttributeValue>> entries(Map<String, AttributeValue> item) {
        String id = item.containsKey("id") ? item.get("id").s() : "";
        if (!id.startsWith("file_") && !id.startsWith("link_")) {
            return List.of();
        }
        String tenant = tenant(item.get("account").s());
        long created = Long.parseLong(item.get("created").n());
        return id.startsWith("file_")
                ? List.of(Items.listEntry(item, tenant + "|file", created, id),
                        Items.listEntry(item, tenant + "|file|purpose|" + item.get("purpose").s(), created, id))
                : List.of(Items.listEntry(item, tenant + "|file_link", created, id),
                        Items.listEntry(item, tenant + "|file_link|file|" + item.get("file_id").s(), created, id));
    }

    /** Writes items, and the list entries of files and links among them, 25 at a time, as BatchWriteItem takes them. */
    static void batchWrite(DynamoDbClient dynamo, List<Map<String, AttributeValue>> items) {
        batchWrite(dynamo, TABLE, items);
        batchWrite(dynamo, LISTS, items.stream().flatMap(item -> entries(item).stream()).toList());
    }

    private static void batchWrite(DynamoDbClient dynamo, String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> item : items.subList(i, Math.min(items.size(), i + 25))) {
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
            }
            dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, batch)));
        }
    }

    /** An id with Stripe's shape (prefix and 24 alphanumerics), from a number. */
    static String id(String prefix, String tag, long n) {
        String digits = Long.toString(n);
        String body = tag + "0".repeat(Math.max(0, 24 - tag.length() - digits.length())) + digits;
        return prefix + body;
    }
}
