package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Writes the list entries of files and links stored before the lists table existed (README, "Table design"). Safe
 * while the API serves traffic: an entry is written only where none exists, and every write since the lists table
 * came writes its object's entries itself, so an entry that exists is never older than its object.
 */
public final class ListsBackfill {
    private ListsBackfill() {}

    /** What a run did: objects read, and entries written (the rest existed already). */
    public record Result(int objects, int written) {}

    public static Result run(DynamoDbClient dynamo, String table, String listsTable) {
        int objects = 0;
        int written = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(s -> s.tableName(table).consistentRead(true).exclusiveStartKey(from));
            for (Map<String, AttributeValue> item : page.items()) {
                List<Map<String, AttributeValue>> entries = entries(item);
                objects += entries.isEmpty() ? 0 : 1;
                for (Map<String, AttributeValue> entry : entries) {
                    written += putIfMissing(dynamo, listsTable, entry) ? 1 : 0;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return new Result(objects, written);
    }

    /** A file's or a link's entries; none for the other items (tokens, keys, idempotency records, connections). */
    private static List<Map<String, AttributeValue>> entries(Map<String, AttributeValue> item) {
        String id = Items.str(item, "id");
        if (id == null || !item.containsKey("account")) {
            return List.of();
        }
        if (id.startsWith("file_")) {
            return DynamoFileStore.listEntries(DynamoFileStore.fromItem(item));
        }
        if (id.startsWith("link_")) {
            return DynamoLinkStore.listEntries(DynamoLinkStore.fromItem(item));
        }
        return List.of();
    }

    private static boolean putIfMissing(DynamoDbClient dynamo, String listsTable, Map<String, AttributeValue> entry) {
        try {
            dynamo.putItem(p -> p.tableName(listsTable).item(entry).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
