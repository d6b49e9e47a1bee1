package filesapi.local;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Fault injection for the backing services. For S3 (a real SDK client over HTTP) it is an SDK
 * {@link ExecutionInterceptor}, so the SDK's own retries see the faults; the embedded DynamoDB is called in-process,
 * so its client is wrapped in a proxy that fails chosen operations before they reach the emulator.
 */
public final class Faults implements ExecutionInterceptor {
    /**
     * FAIL: the call never arrives; THROTTLE: DynamoDB's or S3's throttling answer; CONFLICT and CANCEL_THROTTLED: a
     * transaction cancelled with reason TransactionConflict or ThrottlingError, which the SDK does not retry.
     */
    public enum Kind { FAIL, THROTTLE, CONFLICT, CANCEL_THROTTLED }

    private record Plan(Kind kind, AtomicInteger remaining) {}

    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final AtomicInteger injected = new AtomicInteger();

    /** Makes the next {@code times} calls of {@code operation} (e.g. "PutObject", "putItem") fail that way. */
    public void inject(String operation, Kind kind, int times) {
        plans.put(operation, new Plan(kind, new AtomicInteger(times)));
    }

    public void clear() {
        plans.clear();
        injected.set(0);
    }

    public int injected() {
        return injected.get();
    }

    private Kind take(String operation) {
        Plan plan = plans.get(operation);
        if (plan != null && plan.remaining.getAndDecrement() > 0) {
            injected.incrementAndGet();
            return plan.kind;
        }
        return null;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Plan plan = plans.get(operation);
        if (plan != null && plan.kind == Kind.FAIL && take(operation) != null) {
            throw SdkClientException.create("injected fault: " + operation + " failed");
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Plan plan = plans.get(operation);
        if (plan != null && plan.kind == Kind.THROTTLE && take(operation) != null) {
            return context.httpResponse().toBuilder().statusCode(503).statusText("Slow Down").build();
        }
        return context.httpResponse();
    }

    @Override
    public java.util.Optional<java.io.InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                                            ExecutionAttributes attributes) {
        if (context.httpResponse().statusCode() == 503) {
            String body = "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
            return java.util.Optional.of(AbortableInputStream.create(
                    new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        return context.responseBody();
    }

    /** The DynamoDB client with faults applied to operations named as its methods ("putItem", "query", ...). */
    public DynamoDbClient wrap(DynamoDbClient real) {
        InvocationHandler handler = (proxy, method, args) -> {
            Kind kind = take(method.getName());
            if (kind == Kind.FAIL) {
                throw SdkClientException.create("injected fault: " + method.getName() + " failed");
            }
            if (kind == Kind.THROTTLE) {
                throw ProvisionedThroughputExceededException.builder().message("injected throttle")
                        .statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ProvisionedThroughputExceededException").serviceName("DynamoDB").build())
                        .build();
            }
            if (kind == Kind.CONFLICT || kind == Kind.CANCEL_THROTTLED) {
                String code = kind == Kind.CONFLICT ? "TransactionConflict" : "ThrottlingError";
                throw TransactionCanceledException.builder().message("injected cancellation [" + code + "]")
                        .cancellationReasons(CancellationReason.builder().code(code).build())
                        .statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("TransactionCanceledException").serviceName("DynamoDB").build())
                        .build();
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, handler);
    }
}
