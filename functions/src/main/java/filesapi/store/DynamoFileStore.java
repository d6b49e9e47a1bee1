package filesapi.store;

import static filesapi.store.Items.GSI1;
import static filesapi.store.Items.GSI1_PK;
import static filesapi.store.Items.GSI1_SK;
import static filesapi.store.Items.GSI2;
import static filesapi.store.Items.GSI2_PK;
import static filesapi.store.Items.GSI2_SK;
import static filesapi.store.Items.PK;

import filesapi.api.Tenant;
import filesapi.files.FileRecord;
import filesapi.files.FileStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

public final class DynamoFileStore implements FileStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoPager pager;

    public DynamoFileStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.pager = new DynamoPager(dynamo, table);
    }

    static String pk(Tenant tenant, String id) {
        return tenant.key() + "|" + id;
    }

    static String allFiles(Tenant tenant) {
        return tenant.key() + "|file";
    }

    static String filesOfPurpose(Tenant tenant, String purpose) {
        return tenant.key() + "|file|purpose|" + purpose;
    }

    @Override
    public void insert(FileRecord f) {
        Map<String, AttributeValue> item = item(f);
        try {
            dynamo.putItem(p -> p.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("file id already exists: " + f.id(), e);
        }
    }

    /** The stored form of a file (also how the benchmark seeds large accounts in bulk). */
    public static Map<String, AttributeValue> item(FileRecord f) {
        String sk = DynamoPager.sortKey(f.created(), f.id());
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Items.s(pk(f.tenant(), f.id())));
        item.put(GSI1_PK, Items.s(allFiles(f.tenant())));
        item.put(GSI1_SK, Items.s(sk));
        item.put(GSI2_PK, Items.s(filesOfPurpose(f.tenant(), f.purpose())));
        item.put(GSI2_SK, Items.s(sk));
        item.put("id", Items.s(f.id()));
        item.put("account", Items.s(f.tenant().account()));
        item.put("livemode", AttributeValue.fromBool(f.tenant().livemode()));
        item.put("purpose", Items.s(f.purpose()));
        Items.putIfNotNull(item, "type", f.type());
        Items.putIfNotNull(item, "content_type", f.contentType());
        item.put("size", Items.n(f.size()));
        Items.putIfNotNull(item, "filename", f.filename());
        Items.putIfNotNull(item, "title", f.title());
        item.put("created", Items.n(f.created()));
        Items.putIfNotNull(item, "expires_at", f.expiresAt());
        item.put("blob_key", Items.s(f.blobKey()));
        if (f.uploadedByPlatform()) {
            item.put("platform_upload", AttributeValue.fromBool(true));
        }
        return item;
    }

    @Override
    public Optional<FileRecord> find(Tenant tenant, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table)
                .key(Map.of(PK, Items.s(pk(tenant, id))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Page<FileRecord> list(Tenant tenant, String purpose, ListWindow window) {
        DynamoPager.Items page = purpose == null
                ? pager.page(GSI1, GSI1_PK, allFiles(tenant), GSI1_SK, window)
                : pager.page(GSI2, GSI2_PK, filesOfPurpose(tenant, purpose), GSI2_SK, window);
        List<FileRecord> files = page.items().stream().map(DynamoFileStore::fromItem).toList();
        return new Page<>(files, page.hasMore());
    }

    static FileRecord fromItem(Map<String, AttributeValue> item) {
        return new FileRecord(
                Items.str(item, "id"),
                new Tenant(Items.str(item, "account"), Items.bool(item, "livemode")),
                Items.str(item, "purpose"),
                Items.str(item, "type"),
                Items.str(item, "content_type"),
                Items.num(item, "size"),
                Items.str(item, "filename"),
                Items.str(item, "title"),
                Items.num(item, "created"),
                Items.num(item, "expires_at"),
                Items.str(item, "blob_key"),
                Items.bool(item, "platform_upload"));
    }
}
