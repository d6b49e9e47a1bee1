package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileStore;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * A file is one item ({@code tenant|file_id}) and an entry in each list it belongs to (all files, files of its
 * purpose) in the lists table, all written in one transaction; files never change, so the entries never go stale.
 */
public final class DynamoFileStore implements FileStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final String listsTable;
    private final DynamoPager pager;

    public DynamoFileStore(DynamoDbClient dynamo, String table, String listsTable) {
        this.dynamo = dynamo;
        this.table = table;
        this.listsTable = listsTable;
        this.pager = new DynamoPager(dynamo, listsTable);
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
        List<TransactWriteItem> writes = writes(f);
        try {
            dynamo.transactWriteItems(t -> t.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (Items.conditionFailed(e)) {
                throw new IllegalStateException("file id already exists: " + f.id(), e);
            }
            throw e;
        }
    }

    /**
     * A new file's writes, for one transaction: its item, on the condition that its id is new, and its list entries.
     */
    List<TransactWriteItem> writes(FileRecord f) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(f))
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK))
                .build()).build());
        for (Map<String, AttributeValue> entry : listEntries(f)) {
            writes.add(TransactWriteItem.builder().put(Put.builder().tableName(listsTable).item(entry).build())
                    .build());
        }
        return writes;
    }

    /** The stored form of a file (also how the benchmark seeds large accounts in bulk). */
    public static Map<String, AttributeValue> item(FileRecord f) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Items.s(pk(f.tenant(), f.id())));
        item.put("id", Items.s(f.id()));
        item.put("account", Items.s(f.tenant().account()));
        item.put("livemode", AttributeValue.fromBool(f.tenant().livemode()));
        item.put("purpose", Items.s(f.purpose().wireName()));
        Items.putIfNotNull(item, "type", f.type() == null ? null : f.type().type());
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

    /** The file's entries in the lists table: all files, and files of its purpose. */
    public static List<Map<String, AttributeValue>> listEntries(FileRecord f) {
        Map<String, AttributeValue> item = item(f);
        return List.of(Items.listEntry(item, allFiles(f.tenant()), f.created(), f.id()),
                Items.listEntry(item, filesOfPurpose(f.tenant(), f.purpose().wireName()), f.created(), f.id()));
    }

    @Override
    public Optional<FileRecord> find(Tenant tenant, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, Items.s(pk(tenant, id))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Page<FileRecord> list(Tenant tenant, String purpose, ListWindow window) {
        DynamoPager.Slice page = pager.page(purpose == null ? allFiles(tenant) : filesOfPurpose(tenant, purpose),
                window);
        List<FileRecord> files = page.items().stream().map(DynamoFileStore::fromItem).toList();
        return new Page<>(files, page.hasMore());
    }

    static FileRecord fromItem(Map<String, AttributeValue> item) {
        return new FileRecord(
                Items.str(item, "id"),
                new Tenant(Items.str(item, "account"), Items.bool(item, "livemode")),
                Purpose.fromWire(Items.str(item, "purpose")),
                FileType.fromType(Items.str(item, "type")),
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
