package filesapi.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import filesapi.core.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The in-memory DynamoDB behind DynamoDB's own wire protocol on a loopback port, so that a real SDK client — request
 * marshalling, SigV4 signing, HTTP, response unmarshalling — sits between the caller and the table, for the handler
 * and for its floor alike. Requests are read with Jackson's streaming parser into the SDK's public request builders
 * (every field the API and the benchmark send; any other field is refused, so nothing is dropped silently); responses
 * are written in DynamoDB's JSON. Only the operations the API makes are served. For the benchmark only: it does not
 * check signatures.
 */
final class DynamoHttpFront implements AutoCloseable {
    static {
        // Without it, each small response waits for the client's delayed ACK (about 40 ms); read at first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final DynamoDbClient table;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    DynamoHttpFront(DynamoDbClient table) throws IOException {
        this.table = table;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client on the HTTP client AwsClients gives the production one, pointed here. */
    DynamoDbClient client() {
        return DynamoDbClient.builder()
                .httpClient(filesapi.lambda.AwsClients.dynamoHttpClient())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .endpointOverride(endpoint())
                .build();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
            int status = 200;
            byte[] out;
            try {
                out = answer(op, body);
            } catch (DynamoDbException e) {
                status = 400;
                out = error(e);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        }
    }

    private byte[] answer(String op, byte[] body) throws IOException {
        return switch (op) {
            case "GetItem" -> {
                Map<String, AttributeValue> item = table.getItem(getItem(read(body))).item();
                yield object(g -> {
                    if (item != null && !item.isEmpty()) {
                        g.writeFieldName("Item");
                        writeItem(g, item);
                    }
                });
            }
            case "PutItem" -> {
                yield attributes(table.putItem(putItem(read(body))).attributes());
            }
            case "UpdateItem" -> attributes(table.updateItem(updateItem(read(body))).attributes());
            case "DeleteItem" -> attributes(table.deleteItem(deleteItem(read(body))).attributes());
            case "Query" -> {
                QueryResponse r = table.query(query(read(body)));
                yield object(g -> {
                    g.writeFieldName("Items");
                    g.writeStartArray();
                    for (Map<String, AttributeValue> item : r.items()) {
                        writeItem(g, item);
                    }
                    g.writeEndArray();
                    g.writeNumberField("Count", r.count());
                    g.writeNumberField("ScannedCount", r.scannedCount());
                    if (r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty()) {
                        g.writeFieldName("LastEvaluatedKey");
                        writeItem(g, r.lastEvaluatedKey());
                    }
                });
            }
            case "TransactWriteItems" -> {
                table.transactWriteItems(transactWriteItems(read(body)));
                yield object(g -> { });
            }
            case "BatchWriteItem" -> {
                table.batchWriteItem(batchWriteItem(read(body)));
                yield object(g -> {
                    g.writeFieldName("UnprocessedItems");
                    g.writeStartObject();
                    g.writeEndObject();
                });
            }
            default -> throw refused("UnknownOperationException", "operation not served here: " + op);
        };
    }

    private static DynamoDbException refused(String code, String message) {
        return (DynamoDbException) DynamoDbException.builder().message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    // ---- requests: DynamoDB's JSON read with Jackson into the SDK's public builders

    private static Map<String, Object> read(byte[] body) {
        try {
            return map(Json.parse(body));
        } catch (UncheckedIOException e) {
            throw refused("SerializationException", "the request body is not JSON: " + e.getCause().getMessage());
        }
    }

    private static GetItemRequest getItem(Map<String, Object> json) {
        GetItemRequest.Builder b = GetItemRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "TableName" -> b.tableName(string(v));
                case "Key" -> b.key(item(v));
                case "ConsistentRead" -> b.consistentRead(bool(v));
                case "ProjectionExpression" -> b.projectionExpression(string(v));
                case "ExpressionAttributeNames" -> b.expressionAttributeNames(strings(v));
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                default -> throw unknown("GetItem", field);
            }
        });
        return b.build();
    }

    private static PutItemRequest putItem(Map<String, Object> json) {
        PutItemRequest.Builder b = PutItemRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "TableName" -> b.tableName(string(v));
                case "Item" -> b.item(item(v));
                case "ConditionExpression" -> b.conditionExpression(string(v));
                case "ExpressionAttributeNames" -> b.expressionAttributeNames(strings(v));
                case "ExpressionAttributeValues" -> b.expressionAttributeValues(item(v));
                case "ReturnValues" -> b.returnValues(string(v));
                case "ReturnValuesOnConditionCheckFailure" -> b.returnValuesOnConditionCheckFailure(string(v));
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                default -> throw unknown("PutItem", field);
            }
        });
        return b.build();
    }

    private static UpdateItemRequest updateItem(Map<String, Object> json) {
        UpdateItemRequest.Builder b = UpdateItemRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "TableName" -> b.tableName(string(v));
                case "Key" -> b.key(item(v));
                case "UpdateExpression" -> b.updateExpression(string(v));
                case "ConditionExpression" -> b.conditionExpression(string(v));
                case "ExpressionAttributeNames" -> b.expressionAttributeNames(strings(v));
                case "ExpressionAttributeValues" -> b.expressionAttributeValues(item(v));
                case "ReturnValues" -> b.returnValues(string(v));
                case "ReturnValuesOnConditionCheckFailure" -> b.returnValuesOnConditionCheckFailure(string(v));
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                default -> throw unknown("UpdateItem", field);
            }
        });
        return b.build();
    }

    private static DeleteItemRequest deleteItem(Map<String, Object> json) {
        DeleteItemRequest.Builder b = DeleteItemRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "TableName" -> b.tableName(string(v));
                case "Key" -> b.key(item(v));
                case "ConditionExpression" -> b.conditionExpression(string(v));
                case "ExpressionAttributeNames" -> b.expressionAttributeNames(strings(v));
                case "ExpressionAttributeValues" -> b.expressionAttributeValues(item(v));
                case "ReturnValues" -> b.returnValues(string(v));
                case "ReturnValuesOnConditionCheckFailure" -> b.returnValuesOnConditionCheckFailure(string(v));
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                default -> throw unknown("DeleteItem", field);
            }
        });
        return b.build();
    }

    private static QueryRequest query(Map<String, Object> json) {
        QueryRequest.Builder b = QueryRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "TableName" -> b.tableName(string(v));
                case "IndexName" -> b.indexName(string(v));
                case "KeyConditionExpression" -> b.keyConditionExpression(string(v));
                case "FilterExpression" -> b.filterExpression(string(v));
                case "ProjectionExpression" -> b.projectionExpression(string(v));
                case "ExpressionAttributeNames" -> b.expressionAttributeNames(strings(v));
                case "ExpressionAttributeValues" -> b.expressionAttributeValues(item(v));
                case "ConsistentRead" -> b.consistentRead(bool(v));
                case "ScanIndexForward" -> b.scanIndexForward(bool(v));
                case "Limit" -> b.limit(Math.toIntExact((Long) v));
                case "ExclusiveStartKey" -> b.exclusiveStartKey(item(v));
                case "Select" -> b.select(string(v));
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                default -> throw unknown("Query", field);
            }
        });
        return b.build();
    }

    private static TransactWriteItemsRequest transactWriteItems(Map<String, Object> json) {
        TransactWriteItemsRequest.Builder b = TransactWriteItemsRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "TransactItems" -> b.transactItems(list(v, DynamoHttpFront::transactItem));
                case "ClientRequestToken" -> b.clientRequestToken(string(v));
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                case "ReturnItemCollectionMetrics" -> b.returnItemCollectionMetrics(string(v));
                default -> throw unknown("TransactWriteItems", field);
            }
        });
        return b.build();
    }

    private static TransactWriteItem transactItem(Object json) {
        TransactWriteItem.Builder b = TransactWriteItem.builder();
        map(json).forEach((kind, v) -> {
            // The four item kinds share their fields; each builder takes the ones it has.
            Map<String, Object> f = map(v);
            switch (kind) {
                case "Put" -> b.put(Put.builder().tableName(string(f.get("TableName"))).item(item(f.get("Item")))
                        .conditionExpression(optString(f.get("ConditionExpression")))
                        .expressionAttributeNames(optStrings(f.get("ExpressionAttributeNames")))
                        .expressionAttributeValues(optItem(f.get("ExpressionAttributeValues")))
                        .returnValuesOnConditionCheckFailure(optString(f.get("ReturnValuesOnConditionCheckFailure")))
                        .build());
                case "Update" -> b.update(Update.builder().tableName(string(f.get("TableName")))
                        .key(item(f.get("Key"))).updateExpression(string(f.get("UpdateExpression")))
                        .conditionExpression(optString(f.get("ConditionExpression")))
                        .expressionAttributeNames(optStrings(f.get("ExpressionAttributeNames")))
                        .expressionAttributeValues(optItem(f.get("ExpressionAttributeValues")))
                        .returnValuesOnConditionCheckFailure(optString(f.get("ReturnValuesOnConditionCheckFailure")))
                        .build());
                case "Delete" -> b.delete(Delete.builder().tableName(string(f.get("TableName")))
                        .key(item(f.get("Key")))
                        .conditionExpression(optString(f.get("ConditionExpression")))
                        .expressionAttributeNames(optStrings(f.get("ExpressionAttributeNames")))
                        .expressionAttributeValues(optItem(f.get("ExpressionAttributeValues")))
                        .returnValuesOnConditionCheckFailure(optString(f.get("ReturnValuesOnConditionCheckFailure")))
                        .build());
                case "ConditionCheck" -> b.conditionCheck(ConditionCheck.builder()
                        .tableName(string(f.get("TableName"))).key(item(f.get("Key")))
                        .conditionExpression(string(f.get("ConditionExpression")))
                        .expressionAttributeNames(optStrings(f.get("ExpressionAttributeNames")))
                        .expressionAttributeValues(optItem(f.get("ExpressionAttributeValues")))
                        .returnValuesOnConditionCheckFailure(optString(f.get("ReturnValuesOnConditionCheckFailure")))
                        .build());
                default -> throw unknown("TransactWriteItems item", kind);
            }
            List<String> known = switch (kind) {
                case "Put" -> List.of("TableName", "Item");
                case "Update" -> List.of("TableName", "Key", "UpdateExpression");
                default -> List.of("TableName", "Key");
            };
            for (String name : f.keySet()) {
                if (!known.contains(name) && !List.of("ConditionExpression", "ExpressionAttributeNames",
                        "ExpressionAttributeValues", "ReturnValuesOnConditionCheckFailure").contains(name)) {
                    throw unknown("TransactWriteItems " + kind, name);
                }
            }
        });
        return b.build();
    }

    private static BatchWriteItemRequest batchWriteItem(Map<String, Object> json) {
        BatchWriteItemRequest.Builder b = BatchWriteItemRequest.builder();
        json.forEach((field, v) -> {
            switch (field) {
                case "RequestItems" -> {
                    Map<String, List<WriteRequest>> items = new LinkedHashMap<>();
                    map(v).forEach((tableName, writes) -> items.put(tableName,
                            list(writes, DynamoHttpFront::writeRequest)));
                    b.requestItems(items);
                }
                case "ReturnConsumedCapacity" -> b.returnConsumedCapacity(string(v));
                case "ReturnItemCollectionMetrics" -> b.returnItemCollectionMetrics(string(v));
                default -> throw unknown("BatchWriteItem", field);
            }
        });
        return b.build();
    }

    private static WriteRequest writeRequest(Object json) {
        WriteRequest.Builder b = WriteRequest.builder();
        map(json).forEach((kind, v) -> {
            Map<String, Object> f = map(v);
            switch (kind) {
                case "PutRequest" -> b.putRequest(PutRequest.builder().item(item(f.get("Item"))).build());
                case "DeleteRequest" -> b.deleteRequest(DeleteRequest.builder().key(item(f.get("Key"))).build());
                default -> throw unknown("BatchWriteItem request", kind);
            }
            if (f.size() != 1) {
                throw unknown("BatchWriteItem " + kind, String.join(",", f.keySet()));
            }
        });
        return b.build();
    }

    private static Map<String, AttributeValue> item(Object json) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        map(json).forEach((name, v) -> item.put(name, attribute(v)));
        return item;
    }

    private static AttributeValue attribute(Object json) {
        Map<String, Object> typed = map(json);
        if (typed.size() != 1) {
            throw refused("SerializationException", "an attribute value has one type: " + typed.keySet());
        }
        Map.Entry<String, Object> e = typed.entrySet().iterator().next();
        Object v = e.getValue();
        return switch (e.getKey()) {
            case "S" -> AttributeValue.fromS(string(v));
            case "N" -> AttributeValue.fromN(string(v));
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(string(v))));
            case "BOOL" -> AttributeValue.fromBool(bool(v));
            case "NULL" -> AttributeValue.fromNul(bool(v));
            case "M" -> AttributeValue.fromM(item(v));
            case "L" -> AttributeValue.fromL(list(v, DynamoHttpFront::attribute));
            case "SS" -> AttributeValue.fromSs(list(v, DynamoHttpFront::string));
            case "NS" -> AttributeValue.fromNs(list(v, DynamoHttpFront::string));
            case "BS" -> AttributeValue.fromBs(list(v, x -> SdkBytes.fromByteArray(
                    Base64.getDecoder().decode(string(x)))));
            default -> throw refused("SerializationException", "attribute type not served here: " + e.getKey());
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object json) {
        if (!(json instanceof Map)) {
            throw refused("SerializationException", "expected a JSON object, got " + json);
        }
        return (Map<String, Object>) json;
    }

    private static <T> List<T> list(Object json, Function<Object, T> element) {
        if (!(json instanceof List<?> list)) {
            throw refused("SerializationException", "expected a JSON array, got " + json);
        }
        List<T> out = new ArrayList<>(list.size());
        for (Object x : list) {
            out.add(element.apply(x));
        }
        return out;
    }

    private static String string(Object json) {
        if (!(json instanceof String s)) {
            throw refused("SerializationException", "expected a JSON string, got " + json);
        }
        return s;
    }

    private static boolean bool(Object json) {
        if (!(json instanceof Boolean b)) {
            throw refused("SerializationException", "expected a JSON boolean, got " + json);
        }
        return b;
    }

    private static Map<String, String> strings(Object json) {
        Map<String, String> out = new LinkedHashMap<>();
        map(json).forEach((k, v) -> out.put(k, string(v)));
        return out;
    }

    private static String optString(Object json) {
        return json == null ? null : string(json);
    }

    private static Map<String, String> optStrings(Object json) {
        return json == null ? null : strings(json);
    }

    private static Map<String, AttributeValue> optItem(Object json) {
        return json == null ? null : item(json);
    }

    private static DynamoDbException unknown(String where, String field) {
        return refused("SerializationException", where + ": field not served here: " + field);
    }

    // ---- responses

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] object(Fields fields) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static byte[] attributes(Map<String, AttributeValue> attributes) throws IOException {
        return object(g -> {
            if (attributes != null && !attributes.isEmpty()) {
                g.writeFieldName("Attributes");
                writeItem(g, attributes);
            }
        });
    }

    private static byte[] error(DynamoDbException e) throws IOException {
        String code = e.awsErrorDetails() == null ? "InternalServerError" : e.awsErrorDetails().errorCode();
        return object(g -> {
            g.writeStringField("__type", "com.amazonaws.dynamodb.v20120810#" + code);
            g.writeStringField("message", e.awsErrorDetails() == null ? e.getMessage()
                    : e.awsErrorDetails().errorMessage());
            if (e instanceof software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException t
                    && t.hasCancellationReasons()) {
                g.writeFieldName("CancellationReasons");
                g.writeStartArray();
                for (var reason : t.cancellationReasons()) {
                    g.writeStartObject();
                    g.writeStringField("Code", reason.code() == null ? "None" : reason.code());
                    if (reason.message() != null) {
                        g.writeStringField("Message", reason.message());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        });
    }

    private static void writeItem(JsonGenerator g, Map<String, AttributeValue> item) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, AttributeValue v) throws IOException {
        g.writeStartObject();
        switch (v.type()) {
            case S -> g.writeStringField("S", v.s());
            case N -> g.writeStringField("N", v.n());
            case B -> g.writeStringField("B", Base64.getEncoder().encodeToString(v.b().asByteArrayUnsafe()));
            case BOOL -> g.writeBooleanField("BOOL", v.bool());
            case NUL -> g.writeBooleanField("NULL", true);
            case M -> {
                g.writeFieldName("M");
                writeItem(g, v.m());
            }
            case L -> {
                g.writeFieldName("L");
                g.writeStartArray();
                for (AttributeValue x : v.l()) {
                    writeValue(g, x);
                }
                g.writeEndArray();
            }
            case SS -> stringArray(g, "SS", v.ss());
            case NS -> stringArray(g, "NS", v.ns());
            default -> throw new IllegalArgumentException("attribute type not served here: " + v.type());
        }
        g.writeEndObject();
    }

    private static void stringArray(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeFieldName(name);
        g.writeStartArray();
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
