package filesapi.lambda;

import filesapi.core.Caller;
import filesapi.core.StripeError;
import java.util.Map;
import java.util.Set;

/** The {@code $default} route: any path or method the API does not serve gets Stripe's 404. */
public final class NotFoundHandler extends ApiHandler {
    private static final Set<AwsOperation> OPERATIONS = Set.of();

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public NotFoundHandler() {
        super();
    }

    public NotFoundHandler(Services services) {
        super(services);
    }

    @Override
    protected Set<AwsOperation> endpointOperations() {
        return OPERATIONS;
    }

    @Override
    protected boolean requiresKey() {
        return false;
    }

    /**
     * A CORS preflight that reaches the catch-all route is answered 204, so the browser goes on to the real request;
     * API Gateway puts the template's CorsConfiguration headers on it (and ignores any a function sets).
     */
    @Override
    protected ApiResponse handle(ApiRequest request, Caller caller) {
        if (request.method().equals("OPTIONS") && request.header("origin") != null
                && request.header("access-control-request-method") != null) {
            return new ApiResponse(204, Map.of(), new byte[0], false);
        }
        throw StripeError.unrecognizedUrl(request.method(), request.path());
    }
}
