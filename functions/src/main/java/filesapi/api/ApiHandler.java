package filesapi.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.Services;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The shared shape of every endpoint: decode the event, authenticate, call {@link #handle}, render the result or a
 * Stripe error, add Stripe's headers and log one structured line. No exception leaves as a stack trace.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    public static final String API_VERSION = "2026-09-30.endive";

    protected final Services services;

    protected ApiHandler(Services services) {
        this.services = services;
    }

    /** The endpoint itself; {@code caller} is null for endpoints that need no key. */
    protected abstract ApiResponse handle(ApiRequest request, Caller caller);

    /** The public link opener overrides this; every API endpoint needs a key. */
    protected boolean requiresKey() {
        return true;
    }

    /** Publishable keys are public; only uploads (as from a browser) accept them. */
    protected boolean acceptsPublishableKey() {
        return false;
    }

    @Override
    public final APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String requestId = Ids.requestId();
        long start = System.nanoTime();
        String route = event == null ? null : event.getRouteKey();
        ApiResponse response;
        try {
            if (event == null) {
                throw StripeError.invalid("Empty event.", null);
            }
            ApiRequest request = ApiRequest.from(event, requestId, services.config().publicBaseUrl());
            if (route == null || route.equals("$default")) {
                route = request.method() + " " + request.path();
            }
            Caller caller = requiresKey() ? services.auth().authenticate(request) : null;
            if (caller != null && caller.kind() == Caller.KeyKind.PUBLISHABLE && !acceptsPublishableKey()) {
                throw StripeError.forbidden("This API call cannot be made with a publishable API key. Please use a"
                        + " secret API key.");
            }
            response = handle(request, caller);
        } catch (StripeError e) {
            response = ApiResponse.error(e);
        } catch (SdkServiceException e) {
            if (e.isThrottlingException()) {
                Log.error(requestId, "throttled by a backing service", e);
                response = ApiResponse.error(new StripeError(429, StripeError.INVALID_REQUEST, "rate_limit", null,
                        "Too many requests hit the API too quickly. Please retry with exponential backoff."));
            } else {
                Log.error(requestId, "backing service failed", e);
                response = ApiResponse.error(StripeError.internal(requestId));
            }
        } catch (RuntimeException | Error e) {
            Log.error(requestId, "unexpected failure", e);
            response = ApiResponse.error(StripeError.internal(requestId));
        }
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.put("Request-Id", requestId);
        headers.put("Stripe-Version", API_VERSION);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.putIfAbsent("Cache-Control", "no-cache, no-store");
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
}
