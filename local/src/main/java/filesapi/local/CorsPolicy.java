package filesapi.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP API's {@code CorsConfiguration} from template.yaml, applied as API Gateway applies it: a preflight
 * ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) is answered before any route, and
 * every answer to an allowed {@code Origin} gets the configured headers, replacing any the function set.
 */
public record CorsPolicy(List<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders,
                         List<String> exposeHeaders, Integer maxAge) {

    /** {@code https://a.example, https://b.example} or {@code *}, as the template parameter takes them. */
    public static List<String> origins(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(o -> !o.isEmpty()).toList();
    }

    /** This policy with other origins, or as it is when {@code origins} is null. */
    public CorsPolicy withOrigins(List<String> origins) {
        return origins == null ? this : new CorsPolicy(List.copyOf(origins), allowMethods, allowHeaders,
                exposeHeaders, maxAge);
    }

    public boolean isPreflight(String method, String origin, String requestedMethod) {
        return method.equals("OPTIONS") && origin != null && requestedMethod != null;
    }

    /** What Access-Control-Allow-Origin says to {@code origin}: {@code *}, the origin itself, or null (refused). */
    String allowedOrigin(String origin) {
        if (origin == null) {
            return null;
        }
        if (allowOrigins.contains("*")) {
            return "*";
        }
        return allowOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin)) ? origin : null;
    }

    public Map<String, String> preflightHeaders(String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        String allowed = allowedOrigin(origin);
        if (allowed != null) {
            headers.put("Access-Control-Allow-Origin", allowed);
            headers.put("Access-Control-Allow-Methods", String.join(",", allowMethods));
            headers.put("Access-Control-Allow-Headers", String.join(",", allowHeaders));
            if (maxAge != null) {
                headers.put("Access-Control-Max-Age", maxAge.toString());
            }
        }
        varyOnOrigin(headers);
        return headers;
    }

    /** The function's answer with the configured headers for {@code origin} instead of any CORS headers of its own. */
    public APIGatewayV2HTTPResponse onResponse(APIGatewayV2HTTPResponse response, String origin) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> {
                if (!name.toLowerCase(Locale.ROOT).startsWith("access-control-")) {
                    headers.put(name, value);
                }
            });
        }
        String allowed = allowedOrigin(origin);
        if (allowed != null) {
            headers.put("Access-Control-Allow-Origin", allowed);
            if (!exposeHeaders.isEmpty()) {
                headers.put("Access-Control-Expose-Headers", String.join(",", exposeHeaders));
            }
        }
        varyOnOrigin(headers);
        response.setHeaders(headers);
        return response;
    }

    /** An answer that depends on the Origin must not be served from a cache to another origin. */
    private void varyOnOrigin(Map<String, String> headers) {
        if (!allowOrigins.contains("*")) {
            headers.merge("Vary", "Origin", (a, b) -> a + ", " + b);
        }
    }
}
