package filesapi.lambda;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_UPDATE_ITEM;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.lambda.wire.ApiVersions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The shared shape of every endpoint: decode the event, authenticate (key, {@code Stripe-Account}), settle the API
 * version, run {@link #handle} (through the idempotency layer for a POST with {@code Idempotency-Key}), render the
 * result or a Stripe error, add Stripe's headers and log one structured line. No exception leaves as a stack trace.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    /** Authenticating reads the key's item, and with {@code Stripe-Account} the connection's. */
    private static final Set<AwsOperation> AUTHENTICATION = Set.of(DYNAMODB_GET_ITEM);
    /**
     * An {@code Idempotency-Key} is claimed by a conditional put (a refused claim reads the record that holds the
     * key), then completed or released in place.
     */
    private static final Set<AwsOperation> IDEMPOTENCY = Set.of(DYNAMODB_PUT_ITEM, DYNAMODB_GET_ITEM,
            DYNAMODB_UPDATE_ITEM);

    protected final Services services;

    protected ApiHandler(Services services) {
        this.services = services;
    }

    /** The Lambda runtime's path: the container-wide services, and a SnapStart priming hook for this handler. */
    protected ApiHandler() {
        this(Services.fromEnvironment());
        Priming.register(this);
    }

    /** The endpoint itself; {@code caller} is null for endpoints that need no key. */
    protected abstract ApiResponse handle(ApiRequest request, Caller caller);

    /** The DynamoDB and S3 operations {@link #handle} can make; {@link #operations} adds the pipeline's own. */
    protected abstract Set<AwsOperation> endpointOperations();

    /**
     * Every DynamoDB and S3 operation a request to this handler can make: its endpoint's, and authentication's and
     * idempotency's where it has them. Priming makes exactly these, and template.yaml grants the handler's function
     * exactly their IAM actions.
     */
    public final Set<AwsOperation> operations() {
        Set<AwsOperation> operations = EnumSet.noneOf(AwsOperation.class);
        operations.addAll(endpointOperations());
        if (requiresKey()) {
            operations.addAll(AUTHENTICATION);
        }
        if (idempotent()) {
            operations.addAll(IDEMPOTENCY);
        }
        return Collections.unmodifiableSet(operations);
    }

    /** The public link opener overrides this; every API endpoint needs a key. */
    protected boolean requiresKey() {
        return true;
    }

    /** Publishable keys are public; only uploads (as from a browser) accept them. */
    protected boolean acceptsPublishableKey() {
        return false;
    }

    /** The POST endpoints: a request with {@code Idempotency-Key} runs once and its response is replayed. */
    protected boolean idempotent() {
        return false;
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = Ids.requestId();
        long start = System.nanoTime();
        String route = event == null ? null : event.getRouteKey();
        String version = ApiVersions.DEFAULT;
        String idempotencyKey = null;
        ApiResponse response;
        try {
            if (event == null) {
                throw StripeError.invalid("Empty event.", null);
            }
            ApiRequest request = ApiRequest.from(event, requestId, services.config().publicBaseUrl());
            route = request.routeKey();
            Caller caller = null;
            if (requiresKey()) {
                caller = services.auth().authenticate(request);
                if (caller.kind() == Caller.KeyKind.PUBLISHABLE && !acceptsPublishableKey()) {
                    throw StripeError.forbidden("This API call cannot be made with a publishable API key. Please use"
                            + " a secret API key.");
                }
            }
            version = ApiVersions.resolve(request.header("stripe-version"));
            String key = request.header("idempotency-key");
            if (idempotent() && key != null && !key.isEmpty() && caller != null) {
                idempotencyKey = key;
                Caller c = caller;
                response = services.idempotency().execute(request, caller, key, () -> run(request, c));
            } else {
                response = run(request, caller);
            }
        } catch (RuntimeException | Error e) {
            response = toResponse(e, requestId);
        }
        Map<String, String> headers = response.withStripeHeaders(requestId, version);
        if (idempotencyKey != null) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        Log.info(requestId, "request", "route", route, "status", response.status(),
                "duration_ms", (System.nanoTime() - start) / 1_000_000.0);
        return APIGatewayV2HTTPResponse.builder()
                .withStatusCode(response.status())
                .withHeaders(headers)
                .withBody(response.binary()
                        ? Base64.getEncoder().encodeToString(response.body())
                        : new String(response.body(), StandardCharsets.UTF_8))
                .withIsBase64Encoded(response.binary())
                .build();
    }

    /** The endpoint's outcome as a response, errors included, so the idempotency layer can keep it. */
    private ApiResponse run(ApiRequest request, Caller caller) {
        try {
            return handle(request, caller);
        } catch (RuntimeException | Error e) {
            return toResponse(e, request.requestId());
        }
    }

    private static ApiResponse toResponse(Throwable e, String requestId) {
        if (e instanceof StripeError stripe) {
            return ApiResponse.error(stripe);
        }
        if (isTransactionConflict(e)) {
            Log.error(requestId, "a DynamoDB transaction conflict outlasted the retries", e);
            return ApiResponse.error(StripeError.lockTimeout());
        }
        if (e instanceof SdkServiceException sdk && sdk.isThrottlingException()
                || cancelledFor(e, "ThrottlingError")) {
            Log.error(requestId, "throttled by a backing service", e);
            return ApiResponse.error(new StripeError(429, StripeError.INVALID_REQUEST, "rate_limit", null,
                    "Too many requests hit the API too quickly. Please retry with exponential backoff."));
        }
        Log.error(requestId, "unexpected failure", e);
        return ApiResponse.error(StripeError.internal(requestId));
    }

    /** Racing another transaction on one item is retryable, as DynamoDB says; it is never a 500. */
    private static boolean isTransactionConflict(Throwable e) {
        return e instanceof TransactionConflictException || cancelledFor(e, "TransactionConflict");
    }

    /** A transaction DynamoDB cancelled with this reason, which the SDK does not retry. */
    private static boolean cancelledFor(Throwable e, String reason) {
        return e instanceof TransactionCanceledException cancelled && cancelled.cancellationReasons().stream()
                .anyMatch(r -> reason.equals(r.code()));
    }
}
