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
import filesapi.core.Tenant;
import filesapi.core.idempotency.Idempotency;
import filesapi.core.idempotency.IdempotencyStore;
import filesapi.lambda.wire.ApiVersions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * The shared shape of every endpoint, run in this order so that no endpoint can skip a step: decode the event;
 * authenticate (key, {@code Stripe-Account}) and settle the API version; for a POST with {@code Idempotency-Key},
 * claim the key (or replay what it holds); {@link #validate} the request; execute what validation returned; keep
 * the response for the key (or release the key when validation refused the request); render the result or a Stripe
 * error with Stripe's headers, and log one structured line. No exception leaves as a stack trace; an {@link Error}
 * is not caught, so the runtime replaces a container that cannot go on.
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

    private final Endpoint endpoint;
    private final Pipeline pipeline;

    protected ApiHandler(Endpoint endpoint, Pipeline pipeline) {
        this.endpoint = endpoint;
        this.pipeline = pipeline;
    }

    /** What executing a validated request does; from its first step on, its outcome is what a retry gets back. */
    @FunctionalInterface
    protected interface Execution {
        ApiResponse execute();
    }

    /**
     * Checks the request's parameters without changing anything and returns its execution. A refusal here (a
     * {@link StripeError}) keeps nothing for an idempotency key, so the request may be corrected and retried with
     * it. {@code caller} is null for an endpoint that needs no key.
     */
    protected abstract Execution validate(ApiRequest request, Caller caller);

    /**
     * Every DynamoDB and S3 operation a request to this handler can make: its endpoint's, and authentication's and
     * idempotency's where it has them. Priming makes exactly these, and template.yaml grants the handler's function
     * exactly their IAM actions.
     */
    public final Set<AwsOperation> operations() {
        Set<AwsOperation> operations = EnumSet.noneOf(AwsOperation.class);
        operations.addAll(endpoint.operations());
        if (endpoint.keys() != Endpoint.Keys.NONE) {
            operations.addAll(AUTHENTICATION);
        }
        if (endpoint.idempotent()) {
            operations.addAll(IDEMPOTENCY);
        }
        return Collections.unmodifiableSet(operations);
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
            ApiRequest request = ApiRequest.from(event, requestId, pipeline.publicBaseUrl());
            route = request.routeKey();
            Caller caller = authenticate(request);
            version = ApiVersions.resolve(request.header("stripe-version"));
            String key = request.header("idempotency-key");
            if (endpoint.idempotent() && caller != null && key != null && !key.isEmpty()) {
                idempotencyKey = key;
                response = runOnce(request, caller, key);
            } else {
                response = execute(validate(request, caller), requestId);
            }
        } catch (RuntimeException e) {
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

    private Caller authenticate(ApiRequest request) {
        if (endpoint.keys() == Endpoint.Keys.NONE) {
            return null;
        }
        // Reads are GETs and everything else writes; a restricted key's Files permission decides which it may do.
        Caller.Access needed = request.method().equals("GET") ? Caller.Access.READ : Caller.Access.WRITE;
        Caller caller = pipeline.auth().authenticate(request.header("authorization"),
                request.header("stripe-account"), needed);
        if (caller.kind() == Caller.KeyKind.PUBLISHABLE && endpoint.keys() != Endpoint.Keys.SECRET_OR_PUBLISHABLE) {
            throw StripeError.forbidden("This API call cannot be made with a publishable API key. Please use"
                    + " a secret API key.");
        }
        return caller;
    }

    /**
     * Claim, validate, execute, keep: the request runs at most once under its key. The files of an endpoint that
     * stores them are not hashed: a retry's are compared with the stored ones ({@link Idempotency#claimComparingFiles}).
     */
    private ApiResponse runOnce(ApiRequest request, Caller caller, String key) {
        Tenant tenant = caller.tenant();
        Idempotency idempotency = pipeline.idempotency();
        Predicate<String> storedSame = RequestDigest.hasFiles(request) ? storedSameFiles(request, caller) : null;
        Supplier<String> parameters = () -> RequestDigest.of(request);
        Idempotency.Claim claim = storedSame == null
                ? idempotency.claim(tenant, key, request.routeKey(), parameters)
                : idempotency.claimComparingFiles(tenant, key, request.routeKey(), RequestDigest.withoutContents(request),
                        parameters, kept -> storedSame.test(kept.body()));
        if (claim instanceof Idempotency.Replay replay) {
            return replayed(replay.response());
        }
        Idempotency.Execute held = (Idempotency.Execute) claim;
        Execution execution;
        try {
            execution = validate(request, caller);
        } catch (RuntimeException refused) {
            idempotency.release(held);
            throw refused;
        }
        ApiResponse response = execute(execution, request.requestId());
        idempotency.finish(held, kept(response, request.requestId()), parameters);
        return response;
    }

    /**
     * For an endpoint that stores the files it is sent: given the body of a success it kept for this request's key,
     * whether the files that success stored are exactly this request's. Null (the default) for an endpoint that
     * stores none, whose requests' files are hashed into their digest instead.
     */
    protected Predicate<String> storedSameFiles(ApiRequest request, Caller caller) {
        return null;
    }

    /** The execution's outcome as a response, errors included, so that it can be kept for a key. */
    private static ApiResponse execute(Execution execution, String requestId) {
        try {
            return execution.execute();
        } catch (RuntimeException e) {
            return toResponse(e, requestId);
        }
    }

    /** What a retry replays: the status, body and the headers that say what the body is. */
    private static IdempotencyStore.StoredResponse kept(ApiResponse response, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("Content-Type") || k.equalsIgnoreCase("Location")) {
                headers.put(k, v);
            }
        });
        return new IdempotencyStore.StoredResponse(response.status(), headers,
                new String(response.body(), StandardCharsets.UTF_8), requestId);
    }

    private static ApiResponse replayed(IdempotencyStore.StoredResponse stored) {
        Map<String, String> headers = new LinkedHashMap<>(stored.headers());
        headers.put("Idempotent-Replayed", "true");
        headers.put("Original-Request", stored.requestId());
        return new ApiResponse(stored.status(), headers, stored.body().getBytes(StandardCharsets.UTF_8), false);
    }

    private static ApiResponse toResponse(RuntimeException e, String requestId) {
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
