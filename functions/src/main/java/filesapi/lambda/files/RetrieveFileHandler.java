package filesapi.lambda.files;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;

import filesapi.core.Caller;
import filesapi.core.files.FileRecord;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.FileJson;
import filesapi.lambda.wire.Params;
import java.util.Set;

/** {@code GET /v1/files/{file}}. */
public final class RetrieveFileHandler extends ApiHandler {
    /** The file, and the first page of its links, which a file embeds. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS);

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public RetrieveFileHandler() {
        super();
    }

    public RetrieveFileHandler(Services services) {
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
        Set<String> expand = Expand.parse(params, FileJson.EXPANDABLE, false);
        FileRecord file = services.files().retrieve(caller.tenant(), request.pathParameter("file"), "file");
        return ApiResponse.ok(services.render().file(file, request.baseUrl(), expand));
    }
}
