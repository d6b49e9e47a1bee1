package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;

import filesapi.core.Caller;
import filesapi.core.links.LinkRecord;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.LinkJson;
import filesapi.lambda.wire.Params;
import java.util.Set;

/** {@code GET /v1/file_links/{link}}. */
public final class RetrieveFileLinkHandler extends ApiHandler {
    /** The link, and its file when expanded. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM);

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public RetrieveFileLinkHandler() {
        super();
    }

    public RetrieveFileLinkHandler(Services services) {
        super(services);
    }

    @Override
    protected Set<AwsOperation> endpointOperations() {
        return OPERATIONS;
    }

    @Override
    protected ApiResponse handle(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(Set.of("expand"));
        Set<String> expand = Expand.parse(params, LinkJson.EXPANDABLE, false);
        LinkRecord link = services.links().retrieve(caller.tenant(), request.pathParameter("link"));
        return ApiResponse.ok(services.render().link(link, request.baseUrl(), expand));
    }
}
