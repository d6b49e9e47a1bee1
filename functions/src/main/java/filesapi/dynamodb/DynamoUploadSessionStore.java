package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;

import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkRequest;
import filesapi.core.uploads.UploadSession;
import filesapi.core.uploads.UploadSessionStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * An upload session is one item ({@code tenant|fupl_id}) with a {@code ttl} a day after its expiry, so sessions
 * never completed are deleted by DynamoDB's TTL. It is in no list. Completing it updates it in the transaction that
 * writes its file and the file's list entries (and the file's link, if one was asked for), on the condition that it
 * is still open.
 */
public final class DynamoUploadSessionStore implements UploadSessionStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final DynamoFileStore files;
    private final DynamoLinkStore links;

    public DynamoUploadSessionStore(DynamoDbClient dynamo, String table, String listsTable) {
        this.dynamo = dynamo;
        this.table = table;
        this.files = new DynamoFileStore(dynamo, table, listsTable);
        this.links = new DynamoLinkStore(dynamo, table, listsTable);
    }

    private static Map<String, AttributeValue> key(Tenant tenant, String id) {
        return Map.of(PK, Items.s(tenant.key() + "|" + id));
    }

    @Override
    public void insert(UploadSession s) {
        try {
            dynamo.putItem(p -> p.tableName(table).item(item(s)).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("file upload id already exists: " + s.id(), e);
        }
    }

    @Override
    public Optional<UploadSession> find(Tenant tenant, String id) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(tenant, id))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public boolean complete(UploadSession completed, FileRecord file, LinkRecord link) {
        List<TransactWriteItem> writes = new ArrayList<>();
        writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(key(completed.tenant(), completed.id()))
                .updateExpression("SET #status = :complete, file_id = :file")
                .conditionExpression("#status = :open")
                .expressionAttributeNames(Map.of("#status", "status"))
                .expressionAttributeValues(Map.of(":complete", Items.s(completed.status().wireName()),
                        ":file", Items.s(file.id()), ":open", Items.s(UploadSession.Status.OPEN.wireName())))
                .build()).build());
        writes.addAll(files.writes(file));
        if (link != null) {
            writes.addAll(links.writes(link, file));
        }
        try {
            dynamo.transactWriteItems(t -> t.transactItems(writes));
            return true;
        } catch (TransactionCanceledException e) {
            if (Items.conditionFailed(e)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean fail(UploadSession failed) {
        UploadSession.Failure f = failed.failure();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":failed", Items.s(failed.status().wireName()));
        values.put(":open", Items.s(UploadSession.Status.OPEN.wireName()));
        values.put(":error", AttributeValue.fromM(failure(f)));
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(failed.tenant(), failed.id()))
                    .updateExpression("SET #status = :failed, failure = :error")
                    .conditionExpression("#status = :open")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> item(UploadSession s) {
        Map<String, AttributeValue> item = new HashMap<>(key(s.tenant(), s.id()));
        item.put("id", Items.s(s.id()));
        item.put("account", Items.s(s.tenant().account()));
        item.put("livemode", AttributeValue.fromBool(s.tenant().livemode()));
        item.put("purpose", Items.s(s.purpose().wireName()));
        Items.putIfNotNull(item, "filename", s.filename());
        item.put("size", Items.n(s.size()));
        item.put("created", Items.n(s.created()));
        item.put("expires_at", Items.n(s.expiresAt()));
        item.put("upload_key", Items.s(s.uploadKey()));
        item.put("status", Items.s(s.status().wireName()));
        Items.putIfNotNull(item, "file_id", s.fileId());
        if (s.failure() != null) {
            item.put("failure", AttributeValue.fromM(failure(s.failure())));
        }
        if (s.link() != null) {
            Map<String, AttributeValue> link = new HashMap<>();
            Items.putIfNotNull(link, "expires_at", s.link().expiresAt());
            link.put("metadata", strings(s.link().metadata()));
            item.put("link", AttributeValue.fromM(link));
        }
        item.put("metadata", strings(s.metadata()));
        if (s.uploadedByPlatform()) {
            item.put("platform_upload", AttributeValue.fromBool(true));
        }
        item.put(Items.TTL, Items.n(s.ttl()));
        return item;
    }

    private static Map<String, AttributeValue> failure(UploadSession.Failure f) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("status", Items.n(f.status()));
        m.put("type", Items.s(f.type()));
        Items.putIfNotNull(m, "code", f.code());
        Items.putIfNotNull(m, "param", f.param());
        m.put("message", Items.s(f.message()));
        return m;
    }

    private static AttributeValue strings(Map<String, String> map) {
        Map<String, AttributeValue> m = new HashMap<>();
        map.forEach((k, v) -> m.put(k, Items.s(v)));
        return AttributeValue.fromM(m);
    }

    private static Map<String, String> strings(AttributeValue value) {
        Map<String, String> m = new HashMap<>();
        if (value != null && value.hasM()) {
            value.m().forEach((k, v) -> m.put(k, v.s()));
        }
        return m;
    }

    private static UploadSession fromItem(Map<String, AttributeValue> item) {
        UploadSession.Failure failure = null;
        AttributeValue f = item.get("failure");
        if (f != null && f.hasM()) {
            Map<String, AttributeValue> m = f.m();
            failure = new UploadSession.Failure(Items.num(m, "status").intValue(), Items.str(m, "type"),
                    Items.str(m, "code"), Items.str(m, "param"), Items.str(m, "message"));
        }
        LinkRequest link = null;
        AttributeValue l = item.get("link");
        if (l != null && l.hasM()) {
            link = new LinkRequest(Items.num(l.m(), "expires_at"), strings(l.m().get("metadata")));
        }
        return new UploadSession(
                Items.str(item, "id"),
                new Tenant(Items.str(item, "account"), Items.bool(item, "livemode")),
                Purpose.fromWire(Items.str(item, "purpose")),
                Items.str(item, "filename"),
                Items.num(item, "size"),
                Items.num(item, "created"),
                Items.num(item, "expires_at"),
                Items.str(item, "upload_key"),
                UploadSession.Status.fromWire(Items.str(item, "status")),
                Items.str(item, "file_id"),
                failure,
                link,
                strings(item.get("metadata")),
                Items.bool(item, "platform_upload"));
    }
}
