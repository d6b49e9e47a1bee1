package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;

import filesapi.core.Caller;
import filesapi.core.auth.ApiKeyRecord;
import filesapi.core.auth.ApiKeyStore;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

public final class DynamoApiKeyStore implements ApiKeyStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoApiKeyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static final String PK_PREFIX = "key|";

    static String pk(String keyHash) {
        return PK_PREFIX + keyHash;
    }

    @Override
    public Optional<ApiKeyRecord> find(String keyHash) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, Items.s(pk(keyHash))))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        String files = Items.str(item, "files");
        return Optional.of(new ApiKeyRecord(Items.str(item, "account"), Items.bool(item, "livemode"),
                Caller.KeyKind.valueOf(Items.str(item, "kind").toUpperCase(Locale.ROOT)), Items.num(item, "created"),
                files == null ? Caller.Access.WRITE : Caller.Access.valueOf(files)));
    }

    @Override
    public void save(String keyHash, ApiKeyRecord key) {
        dynamo.putItem(p -> p.tableName(table).item(item(keyHash, key)));
    }

    /** The stored form of a key: its hash and what it unlocks, never the key itself. */
    public static Map<String, AttributeValue> item(String keyHash, ApiKeyRecord key) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Items.s(pk(keyHash)));
        item.put("account", Items.s(key.account()));
        item.put("livemode", AttributeValue.fromBool(key.livemode()));
        item.put("kind", Items.s(key.kind().name().toLowerCase(Locale.ROOT)));
        item.put("created", Items.n(key.created()));
        item.put("files", Items.s(key.files().name()));
        return item;
    }

    @Override
    public boolean delete(String keyHash) {
        Map<String, AttributeValue> old = dynamo.deleteItem(d -> d.tableName(table)
                .key(Map.of(PK, Items.s(pk(keyHash)))).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }
}
