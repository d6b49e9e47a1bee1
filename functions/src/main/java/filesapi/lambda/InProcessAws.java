package filesapi.lambda;

import filesapi.core.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.utils.DateUtils;

/**
 * An HTTP client that answers the SDK itself, in memory, with just enough of DynamoDB's JSON protocol and S3's REST
 * protocol for priming to run every handler's success path over real SDK clients (their marshalling, signing and
 * the unmarshalling of non-empty answers) without touching the function's table or bucket. DynamoDB: items put by
 * PutItem and by the Puts of TransactWriteItems are kept; GetItem by key; Query by partition ({@code :pk}), in sort
 * key order, with {@code :start} bounds, Limit, ScanIndexForward and ExclusiveStartKey; UpdateItem and a
 * transaction's Update change nothing; conditions always hold. S3: PUT (aws-chunked bodies decoded), GET with a
 * Range, HEAD, DELETE, CopyObject. Anything else is refused with a 400, so a new call shows up as a failed twin.
 */
final class InProcessAws implements SdkHttpClient {
    private static final String JSON_TYPE = "application/x-amz-json-1.0";

    private final String bucket;
    private final Clock clock;
    /** Per table, items by their key ({@code pk} and {@code sk} as JSON). */
    private final Map<String, Map<String, Map<String, Object>>> tables = new ConcurrentHashMap<>();
    /** Objects by their URL-encoded key, as the SDK writes it into the path and into {@code x-amz-copy-source}. */
    private final Map<String, StoredObject> objects = new ConcurrentHashMap<>();

    private record StoredObject(byte[] bytes, String contentType, String etag, String crc32) {}

    private record Answer(int status, Map<String, String> headers, byte[] body) {}

    InProcessAws(String bucket, Clock clock) {
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                Answer answer = answer(request.httpRequest(), body(request));
                SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(answer.status());
                answer.headers().forEach(response::putHeader);
                if (!answer.headers().containsKey("Content-Length")) {
                    response.putHeader("Content-Length", Integer.toString(answer.body().length));
                }
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(answer.body()))).build();
            }

            @Override
            public void abort() {
                // answered in memory: nothing in flight
            }
        };
    }

    @Override
    public String clientName() {
        return "in-process";
    }

    @Override
    public void close() {
        tables.clear();
        objects.clear();
    }

    private static byte[] body(HttpExecuteRequest request) throws IOException {
        ContentStreamProvider provider = request.contentStreamProvider().orElse(null);
        if (provider == null) {
            return new byte[0];
        }
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        }
    }

    private Answer answer(SdkHttpRequest request, byte[] body) throws IOException {
        String target = request.firstMatchingHeader("X-Amz-Target").orElse(null);
        if (target != null) {
            return dynamo(target.substring(target.indexOf('.') + 1), asMap(Json.parse(body)));
        }
        return s3(request, body);
    }

    // DynamoDB

    private Answer dynamo(String operation, Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (operation) {
            case "PutItem" -> put(string(in, "TableName"), asMap(in.get("Item")));
            case "GetItem" -> {
                Map<String, Object> item = table(string(in, "TableName")).get(key(asMap(in.get("Key"))));
                if (item != null) {
                    out.put("Item", item);
                }
            }
            case "Query" -> query(in, out);
            case "UpdateItem", "DeleteItem" -> { }
            case "TransactWriteItems" -> {
                for (Object write : (List<?>) in.get("TransactItems")) {
                    Map<String, Object> put = asMap(asMap(write).get("Put"));
                    if (put != null) {
                        put(string(put, "TableName"), asMap(put.get("Item")));
                    }
                }
            }
            default -> {
                return new Answer(400, Map.of("Content-Type", JSON_TYPE), Json.compact(Map.of(
                        "__type", "com.amazonaws.dynamodb.v20120810#ValidationException",
                        "message", "priming's in-process DynamoDB does not answer " + operation))
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Answer(200, Map.of("Content-Type", JSON_TYPE), Json.compact(out).getBytes(StandardCharsets.UTF_8));
    }

    private void put(String table, Map<String, Object> item) {
        table(table).put(key(item), item);
    }

    private Map<String, Map<String, Object>> table(String name) {
        return tables.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    }

    private static String key(Map<String, Object> item) {
        return Json.compact(item.get("pk")) + Json.compact(item.get("sk"));
    }

    /** The handlers' only query: one partition, optionally bounded on {@code sk} by {@code :start}. */
    private void query(Map<String, Object> in, Map<String, Object> out) {
        Map<String, Object> values = asMap(in.get("ExpressionAttributeValues"));
        String pk = Json.compact(values.get(":pk"));
        String start = values.containsKey(":start") ? string(asMap(values.get(":start")), "S") : null;
        String condition = string(in, "KeyConditionExpression");
        String comparison = start == null ? null
                : condition.substring(condition.indexOf("#sk ") + 4, condition.indexOf(" :start"));
        boolean forward = !Boolean.FALSE.equals(in.get("ScanIndexForward"));
        Map<String, Object> after = asMap(in.get("ExclusiveStartKey"));
        String afterSk = after == null ? null : sortKey(after);
        List<Map<String, Object>> items = new ArrayList<>();
        for (Map<String, Object> item : table(string(in, "TableName")).values()) {
            String sk = sortKey(item);
            if (pk.equals(Json.compact(item.get("pk"))) && (start == null || holds(sk.compareTo(start), comparison))
                    && (afterSk == null || (forward ? sk.compareTo(afterSk) > 0 : sk.compareTo(afterSk) < 0))) {
                items.add(item);
            }
        }
        Comparator<Map<String, Object>> order = Comparator.comparing(InProcessAws::sortKey);
        items.sort(forward ? order : order.reversed());
        Object limit = in.get("Limit");
        if (limit instanceof Long l && items.size() > l) {
            items = new ArrayList<>(items.subList(0, l.intValue()));
            Map<String, Object> last = items.get(items.size() - 1);
            out.put("LastEvaluatedKey", Map.of("pk", last.get("pk"), "sk", last.get("sk")));
        }
        out.put("Items", items);
        out.put("Count", (long) items.size());
        out.put("ScannedCount", (long) items.size());
    }

    private static boolean holds(int compared, String comparison) {
        return switch (comparison) {
            case "<" -> compared < 0;
            case "<=" -> compared <= 0;
            case ">" -> compared > 0;
            case ">=" -> compared >= 0;
            default -> compared == 0;
        };
    }

    private static String sortKey(Map<String, Object> item) {
        Map<String, Object> sk = asMap(item.get("sk"));
        return sk == null ? "" : string(sk, "S");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static String string(Map<String, Object> map, String name) {
        return (String) map.get(name);
    }

    // S3

    private Answer s3(SdkHttpRequest request, byte[] body) throws IOException {
        String key = objectKey(request);
        String copySource = request.firstMatchingHeader("x-amz-copy-source").orElse(null);
        switch (request.method()) {
            case PUT -> {
                if (copySource != null) {
                    StoredObject source = objects.get(copySource.substring(copySource.indexOf('/') + 1));
                    if (source == null) {
                        return s3Error(404, "NoSuchKey");
                    }
                    String type = request.firstMatchingHeader("Content-Type").orElse(source.contentType());
                    objects.put(key, new StoredObject(source.bytes(), type, source.etag(), source.crc32()));
                    return new Answer(200, Map.of("Content-Type", "application/xml"), ("<?xml version=\"1.0\""
                            + " encoding=\"UTF-8\"?>\n<CopyObjectResult><LastModified>" + clock.instant()
                            + "</LastModified><ETag>" + source.etag() + "</ETag></CopyObjectResult>")
                            .getBytes(StandardCharsets.UTF_8));
                }
                boolean chunked = request.firstMatchingHeader("Content-Encoding").orElse("").contains("aws-chunked")
                        || request.firstMatchingHeader("x-amz-content-sha256").orElse("").startsWith("STREAMING-");
                byte[] bytes = chunked ? unchunk(body) : body;
                StoredObject stored = new StoredObject(bytes,
                        request.firstMatchingHeader("Content-Type").orElse("binary/octet-stream"),
                        "\"" + HexFormat.of().formatHex(md5(bytes)) + "\"", crc32(bytes));
                objects.put(key, stored);
                return new Answer(200, Map.of("ETag", stored.etag(), "x-amz-checksum-crc32", stored.crc32()),
                        new byte[0]);
            }
            case GET, HEAD -> {
                StoredObject object = objects.get(key);
                if (object == null) {
                    return request.method() == SdkHttpMethod.HEAD
                            ? new Answer(404, Map.of(), new byte[0]) : s3Error(404, "NoSuchKey");
                }
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Content-Type", object.contentType());
                headers.put("ETag", object.etag());
                headers.put("Last-Modified", DateUtils.formatRfc1123Date(clock.instant()));
                headers.put("Accept-Ranges", "bytes");
                String range = request.firstMatchingHeader("Range").orElse(null);
                byte[] bytes = object.bytes();
                int status = 200;
                if (range != null) {
                    int dash = range.indexOf('-');
                    int first = Integer.parseInt(range.substring("bytes=".length(), dash));
                    int last = Math.min(Integer.parseInt(range.substring(dash + 1)), bytes.length - 1);
                    headers.put("Content-Range", "bytes " + first + "-" + last + "/" + bytes.length);
                    bytes = Arrays.copyOfRange(bytes, first, last + 1);
                    status = 206;
                } else {
                    headers.put("x-amz-checksum-crc32", object.crc32());
                }
                // A HEAD answers the object's length and sends none of it.
                headers.put("Content-Length", Integer.toString(bytes.length));
                return new Answer(status, headers, request.method() == SdkHttpMethod.HEAD ? new byte[0] : bytes);
            }
            case DELETE -> {
                objects.remove(key);
                return new Answer(204, Map.of(), new byte[0]);
            }
            default -> {
                return s3Error(400, "NotImplemented");
            }
        }
    }

    /** The object's key as encoded in the path, with the bucket's segment removed under path-style addressing. */
    private String objectKey(SdkHttpRequest request) {
        String path = request.encodedPath().startsWith("/") ? request.encodedPath().substring(1) : request.encodedPath();
        boolean virtualHost = request.host().startsWith(bucket + ".");
        return !virtualHost && path.startsWith(bucket + "/") ? path.substring(bucket.length() + 1) : path;
    }

    private static Answer s3Error(int status, String code) {
        return new Answer(status, Map.of("Content-Type", "application/xml"), ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "\n<Error><Code>" + code + "</Code><Message>priming's in-process S3</Message></Error>")
                .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The payload of an aws-chunked body: chunks of {@code <hex size>[;chunk-signature=...]\r\n<bytes>\r\n}, ended by
     * a chunk of size 0 and the trailing checksum, which is not checked.
     */
    static byte[] unchunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(body, at);
            String line = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int semicolon = line.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] body, int from) throws IOException {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        throw new IOException("an aws-chunked body without its final chunk");
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** S3's {@code x-amz-checksum-crc32}: the big-endian CRC32, in base64. */
    private static String crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        long value = crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {
            (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }
}
