package filesapi.links;

import static filesapi.AwsOperation.DYNAMODB_GET_ITEM;

import filesapi.AwsOperation;
import filesapi.Services;
import filesapi.api.ApiHandler;
import filesapi.api.ApiRequest;
import filesapi.api.ApiResponse;
import filesapi.api.Caller;
import filesapi.api.Expand;
import filesapi.api.Params;
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
