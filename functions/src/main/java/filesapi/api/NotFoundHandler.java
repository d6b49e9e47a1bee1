package filesapi.api;

import filesapi.AwsOperation;
import filesapi.Services;
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

    @Override
    protected ApiResponse handle(ApiRequest request, Caller caller) {
        throw StripeError.unrecognizedUrl(request.method(), request.path());
    }
}
