package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;

import filesapi.core.auth.ConnectionStore;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/** One item per connection: {@code connect|<platform>|<connected account>}. */
public final class DynamoConnectionStore implements ConnectionStore {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoConnectionStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static final String PK_PREFIX = "connect|";

    static String pk(String platform, String account) {
        return PK_PREFIX + platform + "|" + account;
    }

    @Override
    public boolean isConnected(String platform, String account) {
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of(PK, Items.s(pk(platform, account))))).item();
        return item != null && !item.isEmpty();
    }

    @Override
    public void connect(String platform, String account, long createdSeconds) {
        dynamo.putItem(p -> p.tableName(table).item(Map.of(PK, Items.s(pk(platform, account)),
                "platform", Items.s(platform), "account", Items.s(account), "created", Items.n(createdSeconds))));
    }

    @Override
    public boolean disconnect(String platform, String account) {
        Map<String, AttributeValue> old = dynamo.deleteItem(d -> d.tableName(table)
                .key(Map.of(PK, Items.s(pk(platform, account)))).returnValues(ReturnValue.ALL_OLD)).attributes();
        return old != null && !old.isEmpty();
    }
}
