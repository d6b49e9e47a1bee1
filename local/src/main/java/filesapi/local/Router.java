package filesapi.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Matches a request to a template route the way API Gateway does: exact segments, {@code {param}}, then $default. */
public final class Router {
    public record Match(String routeKey, Map<String, String> pathParameters,
                        RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {}

    private record Compiled(TemplateModel.Route route, String[] segments,
                            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler) {}

    private final List<Compiled> routes = new ArrayList<>();
    private Compiled fallback;

    public Router(List<TemplateModel.Route> templateRoutes,
                  Function<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> handlers) {
        Map<String, RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>> byClass = new LinkedHashMap<>();
        for (TemplateModel.Route r : templateRoutes) {
            var handler = byClass.computeIfAbsent(r.handlerClass(), handlers);
            Compiled c = new Compiled(r, r.path().equals("$default") ? null : r.path().substring(1).split("/"), handler);
            if (c.segments == null) {
                fallback = c;
            } else {
                routes.add(c);
            }
        }
    }

    public Match match(String method, String path) {
        String[] parts = path.length() <= 1 ? new String[] {""} : path.substring(1).split("/", -1);
        for (Compiled c : routes) {
            if (!c.route.method().equals("ANY") && !c.route.method().equals(method)) {
                continue;
            }
            Map<String, String> params = matchSegments(c.segments, parts);
            if (params != null) {
                return new Match(c.route.method() + " " + c.route.path(), params, c.handler);
            }
        }
        if (fallback == null) {
            return null;
        }
        return new Match("$default", Map.of(), fallback.handler);
    }

    private static Map<String, String> matchSegments(String[] template, String[] parts) {
        if (template.length != parts.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), parts[i]);
            } else if (!t.equals(parts[i])) {
                return null;
            }
        }
        return params;
    }
}
