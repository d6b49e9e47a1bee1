package filesapi.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event that a deployed function would receive: lower-case
 * header names with repeated values joined by commas, cookies apart, the raw query string, and a base64 body for
 * anything that is not text.
 */
public final class ApiGatewayEvents {
    private ApiGatewayEvents() {}

    public static APIGatewayV2HTTPEvent build(String method, String rawPath, String rawQuery,
                                              Map<String, List<String>> headers, byte[] body, Router.Match route,
                                              String sourceIp) {
        Map<String, String> flat = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("cookie")) {
                values.forEach(v -> cookies.addAll(List.of(v.split(";\\s*"))));
            } else {
                flat.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
            }
        });
        String host = flat.getOrDefault("host", "localhost");
        String contentType = flat.getOrDefault("content-type", "");
        boolean text = contentType.startsWith("text/") || contentType.startsWith("application/json");
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (Map.Entry<String, String> p : filesapi.lambda.wire.Params.decodeUrlEncodedLenient(rawQuery)) {
                query.merge(p.getKey(), p.getValue(), (a, b) -> a + "," + b);
            }
        }
        long now = System.currentTimeMillis();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(route.routeKey())
                .withRawPath(rawPath)
                .withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(flat)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withPathParameters(route.pathParameters().isEmpty() ? null : route.pathParameters())
                .withBody(body == null || body.length == 0 ? null
                        : text ? new String(body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body != null && body.length > 0 && !text)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(route.routeKey())
                        .withStage("$default")
                        .withRequestId(UUID.randomUUID().toString())
                        .withDomainName(host)
                        .withDomainPrefix(host.split("[.:]")[0])
                        .withTimeEpoch(now)
                        .withTime(Instant.ofEpochMilli(now).toString())
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                                .withMethod(method)
                                .withPath(rawPath)
                                .withProtocol("HTTP/1.1")
                                .withSourceIp(sourceIp)
                                .withUserAgent(flat.get("user-agent"))
                                .build())
                        .build())
                .build();
    }
}
