package filesapi.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The single table's key design (see README, "Table design"). Every partition key starts with the tenant
 * ({@code acct|test} or {@code acct|live}).
 * <ul>
 *   <li>{@code pk}: the table's only key: {@code tenant|object id} for objects, {@code key|sha256} for API keys.</li>
 *   <li>{@code gsi1pk}/{@code gsi1sk}: all objects of one kind in a tenant, by created then id (list files, list
 *       links).</li>
 *   <li>{@code gsi2pk}/{@code gsi2sk}: a filtered list, by created then id (files of one purpose, links of one
 *       file).</li>
 * </ul>
 */
public final class Items {
    public static final String PK = "pk";
    public static final String GSI1 = "gsi1";
    public static final String GSI1_PK = "gsi1pk";
    public static final String GSI1_SK = "gsi1sk";
    public static final String GSI2 = "gsi2";
    public static final String GSI2_PK = "gsi2pk";
    public static final String GSI2_SK = "gsi2sk";
    /** Epoch seconds after which DynamoDB's TTL may delete the item. */
    public static final String TTL = "ttl";

    private Items() {}

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    public static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.nul() != null && v.nul() ? null : v.s();
    }

    public static Long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? null : Long.parseLong(v.n());
    }

    public static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v != null && Boolean.TRUE.equals(v.bool());
    }

    public static void putIfNotNull(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    public static void putIfNotNull(Map<String, AttributeValue> item, String name, Long value) {
        if (value != null) {
            item.put(name, n(value));
        }
    }
}
