package filesapi.lambda.files;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;

import filesapi.core.Caller;
import filesapi.core.ListRequest;
import filesapi.core.Page;
import filesapi.core.files.FileRecord;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.FileJson;
import filesapi.lambda.wire.Params;
import java.util.HashSet;
import java.util.Set;

/** {@code GET /v1/files}: newest first, filtered by purpose and created. */
public final class ListFilesHandler extends ApiHandler {
    /** A page from an index (and each file's links with data.links); a cursor's file is read for its position. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS);

    private static final Set<String> PARAMS;

    static {
        Set<String> params = new HashSet<>(ListRequest.PARAMS);
        params.add("purpose");
        PARAMS = Set.copyOf(params);
    }

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public ListFilesHandler() {
        super();
    }

    public ListFilesHandler(Services services) {
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
        Set<String> expand = Expand.parse(params, Expand.underData(FileJson.EXPANDABLE), true);
        ListRequest list = ListRequest.parse(params);
        Page<FileRecord> page = services.files().list(caller.tenant(), params.nonEmptyString("purpose"), list);
        return ApiResponse.ok(services.render().fileList(page, request.baseUrl(), expand));
    }
}
