package filesapi.lambda;

import filesapi.core.Json;
import filesapi.core.StripeError;
import java.util.LinkedHashMap;
import java.util.Map;

/** A handler's answer before it becomes an API Gateway response. {@code binary} bodies are sent base64-encoded. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, boolean binary) {

    public static ApiResponse json(int status, Object value) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return new ApiResponse(status, headers, Json.pretty(value), false);
    }

    public static ApiResponse ok(Object value) {
        return json(200, value);
    }

    public static ApiResponse bytes(byte[] body, Map<String, String> headers) {
        return new ApiResponse(200, new LinkedHashMap<>(headers), body, true);
    }

    public static ApiResponse redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Location", location);
        headers.put("Cache-Control", "no-store");
        return new ApiResponse(302, headers, new byte[0], false);
    }

    /** The headers with those every answer carries: Stripe's, and ours against content sniffing and caching. */
    public Map<String, String> withStripeHeaders(String requestId, String version) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Request-Id", requestId);
        all.put("Stripe-Version", version);
        all.put("X-Content-Type-Options", "nosniff");
        all.putIfAbsent("Cache-Control", "no-cache, no-store");
        return all;
    }

    public static ApiResponse error(StripeError e) {
        Map<String, Object> error = new LinkedHashMap<>();
        if (e.code() != null) {
            error.put("code", e.code());
            error.put("doc_url", "https://stripe.com/docs/error-codes/" + e.code().replace('_', '-'));
        }
        error.put("message", e.getMessage());
        if (e.param() != null) {
            error.put("param", e.param());
        }
        error.put("type", e.type());
        return json(e.status(), Map.of("error", error));
    }
}
