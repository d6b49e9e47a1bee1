package filesapi.lambda;

import filesapi.core.Caller;
import filesapi.core.StripeError;
import java.util.Map;
import java.util.Set;

/** The {@code $default} route: any path or method the API does not serve gets Stripe's 404. */
public final class NotFoundHandler extends ApiHandler {
    private static final Endpoint ENDPOINT = Endpoint.open(Set.of());

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public NotFoundHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment());
    }

    public NotFoundHandler(Services services) {
        this(services.pipeline());
    }

    public NotFoundHandler(Pipeline pipeline) {
        super(ENDPOINT, pipeline);
    }

    /**
     * A CORS preflight that reaches the catch-all route is answered 204, so the browser goes on to the real request;
     * API Gateway puts the template's CorsConfiguration headers on it (and ignores any a function sets).
     */
    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        if (request.method().equals("OPTIONS") && request.header("origin") != null
                && request.header("access-control-request-method") != null) {
            return () -> new ApiResponse(204, Map.of(), new byte[0], false);
        }
        throw StripeError.unrecognizedUrl(request.method(), request.path());
    }
}
