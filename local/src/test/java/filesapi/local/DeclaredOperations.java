package filesapi.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.uploads.UploadService;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.AwsClients;
import filesapi.lambda.AwsOperation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

/**
 * DynamoDB and S3 clients that act as a deployed function's role: while a handler runs (through {@link #run} or
 * {@link #enforcing}), a call it has not declared in {@link ApiHandler#operations} is refused with AccessDenied
 * before it reaches the backend, as IAM would refuse it, and recorded. Calls outside a handler (test setup) pass.
 */
final class DeclaredOperations {
    private record Scope(String handler, Set<AwsOperation> declared, Set<AwsOperation> made) {}

    private final ThreadLocal<Scope> scope = new ThreadLocal<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();

    /** Undeclared calls refused so far, as "handler: operation". */
    List<String> refused() {
        return List.copyOf(refused);
    }

    /** Runs {@code call} with the permissions {@code handler} declares; returns the operations it made. */
    Set<AwsOperation> run(ApiHandler handler, Runnable call) {
        Scope outer = scope.get();
        Scope inner = new Scope(handler.getClass().getSimpleName(), handler.operations(),
                EnumSet.noneOf(AwsOperation.class));
        scope.set(inner);
        try {
            call.run();
        } finally {
            scope.set(outer);
        }
        return inner.made();
    }

    RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> enforcing(ApiHandler handler) {
        return (event, context) -> {
            List<APIGatewayV2HTTPResponse> response = new ArrayList<>(1);
            run(handler, () -> response.add(handler.handleRequest(event, context)));
            return response.get(0);
        };
    }

    AwsClients wrap(AwsClients clients) {
        return new AwsClients(dynamo(clients.dynamo()), s3(clients.s3()));
    }

    private DynamoDbClient dynamo(DynamoDbClient real) {
        return proxy(DynamoDbClient.class, real, (method, args) -> switch (method.getName()) {
            case "getItem" -> allow(AwsOperation.DYNAMODB_GET_ITEM);
            case "putItem" -> {
                PutItemRequest put = args[0] instanceof PutItemRequest p ? p
                        : PutItemRequest.builder().applyMutation(consumer(args[0])).build();
                yield allow(isListsTable(put.tableName()) ? AwsOperation.DYNAMODB_PUT_LIST_ENTRY
                        : AwsOperation.DYNAMODB_PUT_ITEM);
            }
            case "updateItem" -> allow(AwsOperation.DYNAMODB_UPDATE_ITEM);
            case "query" -> {
                QueryRequest query = args[0] instanceof QueryRequest q ? q
                        : QueryRequest.builder().applyMutation(consumer(args[0])).build();
                if (query.indexName() != null || !isListsTable(query.tableName())) {
                    yield refuse("Query other than on the lists table (policies grant Query there only)");
                }
                yield allow(AwsOperation.DYNAMODB_QUERY_LISTS);
            }
            case "transactWriteItems" -> {
                TransactWriteItemsRequest write = args[0] instanceof TransactWriteItemsRequest w ? w
                        : TransactWriteItemsRequest.builder().applyMutation(consumer(args[0])).build();
                String refusal = allow(AwsOperation.DYNAMODB_TRANSACT_WRITE);
                for (TransactWriteItem item : write.transactItems()) {
                    // IAM authorises each item as the single-item action it is.
                    String itemRefusal = item.put() != null ? allow(isListsTable(item.put().tableName())
                                    ? AwsOperation.DYNAMODB_PUT_LIST_ENTRY : AwsOperation.DYNAMODB_PUT_ITEM)
                            : item.update() != null ? allow(AwsOperation.DYNAMODB_UPDATE_ITEM)
                            : refuse("a transaction item other than Put or Update: " + item);
                    refusal = refusal != null ? refusal : itemRefusal;
                }
                yield refusal;
            }
            case "serviceName", "serviceClientConfiguration", "close", "toString", "hashCode", "equals" -> null;
            default -> refuse(method.getName());
        }, message -> DynamoDbException.builder().message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException")
                        .serviceName("DynamoDB").errorMessage(message).build()).build());
    }

    private S3Client s3(S3Client real) {
        return proxy(S3Client.class, real, (method, args) -> switch (method.getName()) {
            case "getObject", "getObjectAsBytes" -> {
                GetObjectRequest get = args[0] instanceof GetObjectRequest g ? g
                        : GetObjectRequest.builder().applyMutation(consumer(args[0])).build();
                yield allow(isUpload(get.key()) ? AwsOperation.S3_GET_UPLOAD_RANGE : AwsOperation.S3_GET_OBJECT);
            }
            case "headObject" -> {
                HeadObjectRequest head = args[0] instanceof HeadObjectRequest h ? h
                        : HeadObjectRequest.builder().applyMutation(consumer(args[0])).build();
                yield isUpload(head.key()) ? allow(AwsOperation.S3_HEAD_UPLOAD)
                        : refuse("HeadObject outside the upload prefix");
            }
            case "copyObject" -> {
                CopyObjectRequest copy = args[0] instanceof CopyObjectRequest c ? c
                        : CopyObjectRequest.builder().applyMutation(consumer(args[0])).build();
                yield isUpload(copy.sourceKey()) ? allow(AwsOperation.S3_COPY_UPLOAD)
                        : refuse("CopyObject from outside the upload prefix");
            }
            case "uploadPartCopy" -> {
                UploadPartCopyRequest part = args[0] instanceof UploadPartCopyRequest u ? u
                        : UploadPartCopyRequest.builder().applyMutation(consumer(args[0])).build();
                yield isUpload(part.sourceKey()) ? allow(AwsOperation.S3_COPY_UPLOAD)
                        : refuse("UploadPartCopy from outside the upload prefix");
            }
            // The multipart copy's other steps, which only a copy of an upload makes.
            case "createMultipartUpload", "completeMultipartUpload", "abortMultipartUpload" ->
                    allow(AwsOperation.S3_COPY_UPLOAD);
            case "putObject" -> allow(AwsOperation.S3_PUT_OBJECT);
            case "deleteObject" -> allow(AwsOperation.S3_DELETE_OBJECT);
            // Presigning reads the client's configuration and makes no call.
            case "utilities", "serviceName", "serviceClientConfiguration", "close", "toString", "hashCode",
                 "equals" -> null;
            default -> refuse(method.getName());
        }, message -> S3Exception.builder().message(message).statusCode(403)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").serviceName("S3")
                        .errorMessage(message).build()).build());
    }

    private static boolean isUpload(String key) {
        return key != null && key.startsWith(UploadService.UPLOAD_PREFIX);
    }

    /** The tests name every lists table as Config names it by default: the table's name + "-lists". */
    private static boolean isListsTable(String table) {
        return table.endsWith("-lists");
    }

    /** Null when the running handler declared {@code operation} (which is then recorded), else the refusal. */
    private String allow(AwsOperation operation) {
        Scope current = scope.get();
        if (current == null) {
            return null;
        }
        if (!current.declared().contains(operation)) {
            return refuse(operation.name());
        }
        current.made().add(operation);
        return null;
    }

    private String refuse(String what) {
        Scope current = scope.get();
        if (current == null) {
            return null;
        }
        String refusal = current.handler() + ": " + what;
        refused.add(refusal);
        return "AccessDenied (not declared by " + refusal + ")";
    }

    @SuppressWarnings("unchecked")
    private static <B> Consumer<B> consumer(Object arg) {
        return (Consumer<B>) arg;
    }

    private interface Check {
        /** Null to let the call through, else why it is refused. */
        String refusal(Method method, Object[] args);
    }

    private interface Refusal {
        RuntimeException exception(String message);
    }

    private static <T> T proxy(Class<T> type, T real, Check check, Refusal refusal) {
        InvocationHandler handler = (proxy, method, args) -> {
            String refused = check.refusal(method, args);
            if (refused != null) {
                throw refusal.exception(refused);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
