package filesapi.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.SdkHttpFullResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.json.internal.unmarshall.JsonProtocolUnmarshaller;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The in-memory DynamoDB behind DynamoDB's own wire protocol on a loopback port, so that a real SDK client — request
 * marshalling, SigV4 signing, HTTP, response unmarshalling — sits between the caller and the table, for the handler
 * and for its floor alike. Requests are read with the SDK's own JSON unmarshaller (its request classes are the same
 * kind of model objects as its responses); responses are written in DynamoDB's JSON. Only the operations the API
 * makes are served. For the benchmark only: it does not check signatures.
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
    @SuppressWarnings("deprecation") // defaultTimestampFormats
    private final JsonProtocolUnmarshaller reader = JsonProtocolUnmarshaller.builder()
            .parser(JsonNodeParser.create())
            .defaultTimestampFormats(Map.of())
            .protocolUnmarshallDependencies(JsonProtocolUnmarshaller.defaultProtocolUnmarshallDependencies())
            .build();

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

    /** A client built as AwsClients builds the production one, pointed here. */
    DynamoDbClient client() {
        return DynamoDbClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
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
                Map<String, AttributeValue> item = table.getItem(this.<GetItemRequest>read(GetItemRequest.builder(),
                        body)).item();
                yield object(g -> {
                    if (item != null && !item.isEmpty()) {
                        g.writeFieldName("Item");
                        writeItem(g, item);
                    }
                });
            }
            case "PutItem" -> {
                Map<String, AttributeValue> old = table.putItem(this.<PutItemRequest>read(PutItemRequest.builder(),
                        body)).attributes();
                yield attributes(old);
            }
            case "UpdateItem" -> attributes(table.updateItem(this.<UpdateItemRequest>read(UpdateItemRequest.builder(),
                    body)).attributes());
            case "DeleteItem" -> attributes(table.deleteItem(this.<DeleteItemRequest>read(DeleteItemRequest.builder(),
                    body)).attributes());
            case "Query" -> {
                QueryResponse r = table.query(this.<QueryRequest>read(QueryRequest.builder(), body));
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
                table.transactWriteItems(this.<TransactWriteItemsRequest>read(TransactWriteItemsRequest.builder(),
                        body));
                yield object(g -> { });
            }
            case "BatchWriteItem" -> {
                table.batchWriteItem(this.<BatchWriteItemRequest>read(BatchWriteItemRequest.builder(), body));
                yield object(g -> {
                    g.writeFieldName("UnprocessedItems");
                    g.writeStartObject();
                    g.writeEndObject();
                });
            }
            default -> throw DynamoDbException.builder().message("operation not served here: " + op)
                    .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                            .errorCode("UnknownOperationException").build()).build();
        };
    }

    @SuppressWarnings("unchecked")
    private <T> T read(SdkPojo builder, byte[] body) throws IOException {
        SdkHttpFullResponse asResponse = SdkHttpFullResponse.builder().statusCode(200)
                .content(AbortableInputStream.create(new ByteArrayInputStream(body))).build();
        return (T) reader.unmarshall(builder, asResponse);
    }

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
