package filesapi.dynamodb;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The key design (see README, "Table design"). Every partition key starts with the tenant ({@code acct|test} or
 * {@code acct|live}).
 * <ul>
 *   <li>The table's only key, {@code pk}: {@code tenant|object id} for objects, {@code key|sha256} for API keys.</li>
 *   <li>The lists table's {@code pk}/{@code sk}: one item collection per list (all files, files of a purpose, all
 *       links, links of a file), sorted by created then id, each entry a full copy of its object, written in the
 *       transaction that writes the object, so a consistent Query sees every create and update that returned.</li>
 *   <li>The table's indexes {@code gsi1}/{@code gsi2} are what lists used to read; nothing writes or reads them
 *       now (README, "Table design", says how a deployed stack moves over).</li>
 * </ul>
 */
public final class Items {
    public static final String PK = "pk";
    /** The lists table's sort key: {@code <created, 10 digits>#<id>}. */
    public static final String SK = "sk";
    /** Epoch seconds after which DynamoDB's TTL may delete the item. */
    public static final String TTL = "ttl";

    private Items() {}

    public static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    public static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /**
     * An object's entry in the list {@code list}: the object's attributes (its own key left out) under the list's
     * key and the object's sort key.
     */
    public static Map<String, AttributeValue> listEntry(Map<String, AttributeValue> item, String list, long created,
                                                        String id) {
        Map<String, AttributeValue> entry = new HashMap<>(item);
        entry.put(PK, s(list));
        entry.put(SK, s(DynamoPager.sortKey(created, id)));
        return entry;
    }

    /** Whether a cancelled transaction failed on a condition (rather than a conflict, throttling or validation). */
    static boolean conditionFailed(TransactionCanceledException e) {
        return e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
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
