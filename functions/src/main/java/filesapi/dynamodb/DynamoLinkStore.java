package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkStore;
import filesapi.core.links.LinkTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A link lives in four items written together: the link ({@code tenant|link_id}), its entries in the lists table
 * (all links, links of its file), and its token ({@code link_token|token}), which carries what opening the link
 * needs, so an open is one GetItem. Files never change, so the file's fields copied to the token cannot go stale; an
 * update rewrites the link, its entries and the token's expiry in one transaction. A file uploaded with its first
 * link is written in the link's transaction.
 */
public final class DynamoLinkStore implements LinkStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final String listsTable;
    private final DynamoPager pager;
    private final DynamoFileStore files;

    public DynamoLinkStore(DynamoDbClient dynamo, String table, String listsTable) {
        this.dynamo = dynamo;
        this.table = table;
        this.listsTable = listsTable;
        this.pager = new DynamoPager(dynamo, listsTable);
        this.files = new DynamoFileStore(dynamo, table, listsTable);
    }

    static String pk(Tenant tenant, String id) {
        return tenant.key() + "|" + id;
    }

    static String tokenPk(String token) {
        return "link_token|" + token;
    }

    static String allLinks(Tenant tenant) {
        return tenant.key() + "|file_link";
    }

    static String linksOfFile(Tenant tenant, String fileId) {
        return tenant.key() + "|file_link|file|" + fileId;
    }

    /** The stored form of a link (also how the benchmark seeds many links in bulk). */
    public static Map<String, AttributeValue> item(LinkRecord l) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Items.s(pk(l.tenant(), l.id())));
        item.put("id", Items.s(l.id()));
        item.put("account", Items.s(l.tenant().account()));
        item.put("livemode", AttributeValue.fromBool(l.tenant().livemode()));
        item.put("file_id", Items.s(l.fileId()));
        item.put("created", Items.n(l.created()));
        Items.putIfNotNull(item, "expires_at", l.expiresAt());
        Map<String, AttributeValue> metadata = new LinkedHashMap<>();
        l.metadata().forEach((k, v) -> metadata.put(k, Items.s(v)));
        item.put("metadata", AttributeValue.fromM(metadata));
        item.put("token", Items.s(l.token()));
        item.put("version", Items.n(l.version()));
        return item;
    }

    /** The link's entries in the lists table: all links, and links of its file. */
    public static List<Map<String, AttributeValue>> listEntries(LinkRecord l) {
        Map<String, AttributeValue> item = item(l);
        return List.of(Items.listEntry(item, allLinks(l.tenant()), l.created(), l.id()),
                Items.listEntry(item, linksOfFile(l.tenant(), l.fileId()), l.created(), l.id()));
    }

    private List<TransactWriteItem> entryPuts(LinkRecord l) {
        return listEntries(l).stream().map(entry -> TransactWriteItem.builder()
                .put(Put.builder().tableName(listsTable).item(entry).build()).build()).toList();
    }

    /** What opening the link's URL reads in one GetItem: the link's expiry and the file's S3 key, type and name. */
    public static Map<String, AttributeValue> tokenItem(LinkRecord link, FileRecord file) {
        Map<String, AttributeValue> token = new HashMap<>();
        token.put(PK, Items.s(tokenPk(link.token())));
        token.put("link_id", Items.s(link.id()));
        Items.putIfNotNull(token, "expires_at", link.expiresAt());
        Items.putIfNotNull(token, "file_expires_at", file.expiresAt());
        token.put("blob_key", Items.s(file.blobKey()));
        Items.putIfNotNull(token, "content_type", file.contentType());
        Items.putIfNotNull(token, "filename", file.filename());
        return token;
    }

    @Override
    public void insert(LinkRecord link, FileRecord file) {
        write(writes(link, file), link);
    }

    @Override
    public void insertWithFile(LinkRecord link, FileRecord file) {
        List<TransactWriteItem> writes = new ArrayList<>(files.writes(file));
        writes.addAll(writes(link, file));
        write(writes, link);
    }

    private void write(List<TransactWriteItem> writes, LinkRecord link) {
        try {
            dynamo.transactWriteItems(t -> t.transactItems(writes));
        } catch (TransactionCanceledException e) {
            if (Items.conditionFailed(e)) {
                throw new IllegalStateException("an id or token written with link " + link.id() + " already exists", e);
            }
            throw e;
        }
    }

    /**
     * A new link's writes, for one transaction: its item and its token's, each on the condition that it is new, and
     * its list entries.
     */
    List<TransactWriteItem> writes(LinkRecord link, FileRecord file) {
        Map<String, String> pkName = Map.of("#pk", PK);
        List<TransactWriteItem> writes = new ArrayList<>(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(item(link))
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(pkName)
                        .build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName(table).item(tokenItem(link, file))
                        .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(pkName)
                        .build()).build()));
        writes.addAll(entryPuts(link));
        return writes;
    }

    @Override
    public Optional<LinkRecord> find(Tenant tenant, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, Items.s(pk(tenant, id))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Optional<LinkTarget> findByToken(String token) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table)
                .key(Map.of(PK, Items.s(tokenPk(token)))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new LinkTarget(Items.num(item, "expires_at"),
                Items.num(item, "file_expires_at"), Items.str(item, "blob_key"), Items.str(item, "content_type"),
                Items.str(item, "filename")));
    }

    @Override
    public boolean replace(LinkRecord updated) {
        Put put = Put.builder().tableName(table).item(item(updated))
                .conditionExpression("#version = :previous")
                .expressionAttributeNames(Map.of("#version", "version"))
                .expressionAttributeValues(Map.of(":previous", Items.n(updated.version() - 1)))
                .build();
        Update token = updated.expiresAt() == null
                ? Update.builder().tableName(table).key(Map.of(PK, Items.s(tokenPk(updated.token()))))
                        .updateExpression("REMOVE expires_at").build()
                : Update.builder().tableName(table).key(Map.of(PK, Items.s(tokenPk(updated.token()))))
                        .updateExpression("SET expires_at = :e")
                        .expressionAttributeValues(Map.of(":e", Items.n(updated.expiresAt()))).build();
        List<TransactWriteItem> writes = new ArrayList<>(List.of(TransactWriteItem.builder().put(put).build(),
                TransactWriteItem.builder().update(token).build()));
        writes.addAll(entryPuts(updated));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            // Another update won (ConditionalCheckFailed), or was still committing (TransactionConflict, which
            // DynamoDB raises for transactions racing on one item and the SDK does not retry): read again and retry.
            boolean raced = e.cancellationReasons().stream()
                    .anyMatch(r -> "ConditionalCheckFailed".equals(r.code()) || "TransactionConflict".equals(r.code()));
            if (raced) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public Page<LinkRecord> list(Tenant tenant, String fileId, Boolean expired, long nowSeconds, ListWindow window) {
        Predicate<Map<String, AttributeValue>> keep = expired == null ? null : item -> {
            Long expiresAt = Items.num(item, "expires_at");
            return (expiresAt != null && expiresAt <= nowSeconds) == expired;
        };
        DynamoPager.Slice page = pager.page(fileId == null ? allLinks(tenant) : linksOfFile(tenant, fileId), window,
                keep);
        List<LinkRecord> links = page.items().stream().map(DynamoLinkStore::fromItem).toList();
        return new Page<>(links, page.hasMore());
    }

    static LinkRecord fromItem(Map<String, AttributeValue> item) {
        Map<String, String> metadata = new LinkedHashMap<>();
        AttributeValue m = item.get("metadata");
        if (m != null && m.hasM()) {
            m.m().forEach((k, v) -> metadata.put(k, v.s()));
        }
        return new LinkRecord(
                Items.str(item, "id"),
                new Tenant(Items.str(item, "account"), Items.bool(item, "livemode")),
                Items.str(item, "file_id"),
                Items.num(item, "created"),
                Items.num(item, "expires_at"),
                metadata,
                Items.str(item, "token"),
                Items.num(item, "version"));
    }
}
