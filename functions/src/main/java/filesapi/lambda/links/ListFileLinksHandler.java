package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;

import filesapi.core.Caller;
import filesapi.core.ListRequest;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.LinkJson;
import filesapi.lambda.wire.Params;
import java.util.HashSet;
import java.util.Set;

/** {@code GET /v1/file_links}: newest first, filtered by file, expired and created. */
public final class ListFileLinksHandler extends ApiHandler {
    /** A page from an index; a cursor's link is read for its position, and each link's file when expanded. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS);

    private static final Set<String> PARAMS;

    static {
        Set<String> params = new HashSet<>(ListRequest.PARAMS);
        params.add("file");
        params.add("expired");
        PARAMS = Set.copyOf(params);
    }

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public ListFileLinksHandler() {
        super();
    }

    public ListFileLinksHandler(Services services) {
        super(services);
    }

    @Override
    protected Set<AwsOperation> endpointOperations() {
        return OPERATIONS;
    }

    @Override
    protected ApiResponse handle(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, Expand.underData(LinkJson.EXPANDABLE), true);
        ListRequest list = ListRequest.parse(params);
        String file = params.nonEmptyString("file");
        Boolean expired = params.bool("expired");
        var page = services.links().list(caller.tenant(), file, expired, list);
        return ApiResponse.ok(services.render().linkList(page, "/v1/file_links", request.baseUrl(), expand));
    }
}
