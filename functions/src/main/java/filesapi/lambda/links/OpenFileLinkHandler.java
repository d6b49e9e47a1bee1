package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.S3_PRESIGNED_GET;

import filesapi.core.Caller;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Services;
import java.util.Set;

/**
 * {@code GET /links/{token}}, the public URL a link hands out: no key; a 302 to a presigned S3 GET that never
 * outlives the link. The token is never logged (the route key, not the path, goes into the log line).
 */
public final class OpenFileLinkHandler extends ApiHandler {
    /** The token's item, then a presigned URL to the contents. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM, S3_PRESIGNED_GET);

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public OpenFileLinkHandler() {
        super();
    }

    public OpenFileLinkHandler(Services services) {
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
        ApiResponse redirect = ApiResponse.redirect(services.links().open(request.pathParameter("token")));
        redirect.headers().put("Referrer-Policy", "no-referrer");
        return redirect;
    }
}
