package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;
import static filesapi.dynamodb.Items.SK;

import filesapi.core.ListWindow;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads one newest-first page of a list: an item collection in the lists table, sorted by
 * {@code <created, 10 digits>#<id>}, read with ConsistentRead so it holds every write that has returned. The bound on
 * the side the read starts from goes into the key condition; the far bound is checked as items arrive, and the read
 * stops there, so a page costs O(limit) items however many the list holds.
 */
public final class DynamoPager {
    /** When a filter skips items, read in batches at least this big rather than a few at a time. */
    private static final int FILTERED_BATCH = 25;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoPager(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    public static String sortKey(long created, String id) {
        return String.format("%010d#%s", created, id);
    }

    private static String createdBound(long created) {
        return String.format("%010d", Math.min(created, 9_999_999_999L));
    }

    public record Slice(List<Map<String, AttributeValue>> items, boolean hasMore) {}

    public Slice page(String list, ListWindow w) {
        return page(list, w, null);
    }

    /**
     * Like {@link #page(String, ListWindow)}, keeping only items {@code keep} accepts (all, when null). Entries it
     * refuses are read and skipped, so a selective filter costs more than O(limit) reads.
     */
    public Slice page(String list, ListWindow w, Predicate<Map<String, AttributeValue>> keep) {
        // Bounds as strings on the sort key: lower is inclusive unless it comes from a cursor; upper is exclusive.
        String lower = w.createdFrom() > 0 ? createdBound(w.createdFrom()) : null;
        boolean lowerExclusive = false;
        String upper = w.createdTo() < Long.MAX_VALUE ? createdBound(w.createdTo()) : null;
        if (w.after() != null) {
            String s = sortKey(w.after().created(), w.after().id());
            upper = upper == null || s.compareTo(upper) < 0 ? s : upper;
        }
        if (w.before() != null) {
            String s = sortKey(w.before().created(), w.before().id());
            if (lower == null || s.compareTo(lower) >= 0) {
                lower = s;
                lowerExclusive = true;
            }
        }
        boolean ascending = w.before() != null;
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#pk", PK);
        values.put(":pk", AttributeValue.fromS(list));
        String condition = "#pk = :pk";
        String startBound = ascending ? lower : upper;
        if (startBound != null) {
            names.put("#sk", SK);
            values.put(":start", AttributeValue.fromS(startBound));
            condition += ascending ? (lowerExclusive ? " AND #sk > :start" : " AND #sk >= :start") : " AND #sk < :start";
        }
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        Map<String, AttributeValue> startKey = null;
        boolean reachedEnd = false;
        while (found.size() <= w.limit() && !reachedEnd) {
            QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(values).scanIndexForward(ascending)
                    .limit(keep == null ? w.limit() + 1 - found.size()
                            : Math.max(w.limit() + 1 - found.size(), FILTERED_BATCH));
            if (startKey != null) {
                query.exclusiveStartKey(startKey);
            }
            QueryResponse response = dynamo.query(query.build());
            for (Map<String, AttributeValue> item : response.items()) {
                String sk = item.get(SK).s();
                boolean beyond = ascending
                        ? upper != null && sk.compareTo(upper) >= 0
                        : lower != null && (lowerExclusive ? sk.compareTo(lower) <= 0 : sk.compareTo(lower) < 0);
                if (beyond) {
                    reachedEnd = true;
                    break;
                }
                if (keep == null || keep.test(item)) {
                    found.add(item);
                }
            }
            startKey = response.lastEvaluatedKey();
            if (startKey == null || startKey.isEmpty() || !response.hasLastEvaluatedKey()) {
                reachedEnd = true;
            }
        }
        boolean hasMore = found.size() > w.limit();
        List<Map<String, AttributeValue>> page = hasMore ? new ArrayList<>(found.subList(0, w.limit())) : found;
        if (ascending) {
            Collections.reverse(page);
        }
        return new Slice(page, hasMore);
    }
}
