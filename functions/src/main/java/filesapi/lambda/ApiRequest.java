package filesapi.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import filesapi.core.StripeError;
import filesapi.lambda.wire.Multipart;
import filesapi.lambda.wire.Params;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a handler needs from an API Gateway HTTP API (payload 2.0) event. Immutable; a multipart body is decoded once,
 * when first asked for, and that decoding is kept with the request.
 */
public final class ApiRequest {
    private final String requestId;
    private final String method;
    private final String path;
    private final String routeKey;
    private final Map<String, String> pathParameters;
    private final Map<String, String> headers;
    private final String rawQuery;
    private final EventBody body;
    private final String baseUrl;
    private Multipart.Form multipart;

    private ApiRequest(String requestId, String method, String path, String routeKey,
                       Map<String, String> pathParameters, Map<String, String> headers, String rawQuery,
                       EventBody body, String baseUrl) {
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.routeKey = routeKey;
        this.pathParameters = pathParameters;
        this.headers = headers;
        this.rawQuery = rawQuery;
        this.body = body;
        this.baseUrl = baseUrl;
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The route the request matched ({@code POST /v1/files}); for the catch-all route, its method and path. */
    public String routeKey() {
        return routeKey;
    }

    public Map<String, String> pathParameters() {
        return pathParameters;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public EventBody body() {
        return body;
    }

    /** Where the API's own URLs start: the configured public base URL, else the request's scheme and host. */
    public String baseUrl() {
        return baseUrl;
    }

    public Multipart.Form multipart() {
        if (multipart == null) {
            try {
                multipart = Multipart.decode(body.stream(), body.length(), contentType());
            } catch (EventBody.NotPlainBase64 e) {
                multipart = Multipart.decode(body.bytes(), contentType());
            }
        }
        return multipart;
    }

    public static ApiRequest from(APIGatewayV2HTTPEvent event, String requestId, String publicBaseUrl) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (event.getHeaders() != null) {
            headers.putAll(event.getHeaders());
        }
        String method = "GET";
        String domain = null;
        if (event.getRequestContext() != null) {
            domain = event.getRequestContext().getDomainName();
            if (event.getRequestContext().getHttp() != null && event.getRequestContext().getHttp().getMethod() != null) {
                method = event.getRequestContext().getHttp().getMethod().toUpperCase();
            }
        }
        EventBody body = event.getBody() == null ? EventBody.EMPTY
                : new EventBody(event.getBody(), event.getIsBase64Encoded());
        String path = event.getRawPath() == null ? "/" : event.getRawPath();
        Map<String, String> pathParameters = event.getPathParameters() == null ? Map.of() : event.getPathParameters();
        String routeKey = event.getRouteKey() == null || event.getRouteKey().equals("$default")
                ? method + " " + path : event.getRouteKey();
        return new ApiRequest(requestId, method, path, routeKey, Collections.unmodifiableMap(pathParameters),
                Collections.unmodifiableMap(headers), event.getRawQueryString(), body,
                baseUrl(publicBaseUrl, headers, domain));
    }

    private static String baseUrl(String publicBaseUrl, Map<String, String> headers, String domain) {
        if (publicBaseUrl != null && !publicBaseUrl.isBlank()) {
            return publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1) : publicBaseUrl;
        }
        String host = headers.getOrDefault("host", domain == null ? "localhost" : domain);
        String proto = headers.getOrDefault("x-forwarded-proto", "https");
        return proto + "://" + host;
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String contentType() {
        return headers.get("content-type");
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public Params query() {
        return Params.of(Params.decodeUrlEncoded(rawQuery));
    }

    /** Query-string parameters merged with a form-encoded body, as Stripe accepts both on POST. */
    public Params form() {
        return Params.of(formPairs());
    }

    /** The decoded parameters: query string plus a form-encoded or multipart body (files excluded). */
    public List<Map.Entry<String, String>> formPairs() {
        List<Map.Entry<String, String>> pairs = new ArrayList<>(Params.decodeUrlEncoded(rawQuery));
        if (Multipart.isMultipart(contentType())) {
            pairs.addAll(multipart().fields());
            return pairs;
        }
        if (!body.isEmpty()) {
            String type = contentType() == null ? "" : contentType().toLowerCase();
            if (!type.isEmpty() && !type.startsWith("application/x-www-form-urlencoded")) {
                throw StripeError.invalid("Invalid Content-Type '" + contentType() + "': this endpoint takes"
                        + " application/x-www-form-urlencoded parameters.", null);
            }
            pairs.addAll(Params.decodeUrlEncoded(new String(body.bytes(), StandardCharsets.UTF_8)));
        }
        return pairs;
    }
}
