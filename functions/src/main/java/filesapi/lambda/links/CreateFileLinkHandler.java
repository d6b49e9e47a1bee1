package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_LIST_ENTRY;
import static filesapi.lambda.AwsOperation.DYNAMODB_TRANSACT_WRITE;

import filesapi.core.Caller;
import filesapi.core.Metadata;
import filesapi.core.links.LinkRecord;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.LinkJson;
import filesapi.lambda.wire.MetadataParam;
import filesapi.lambda.wire.Params;
import java.util.Set;

/** {@code POST /v1/file_links}. */
public final class CreateFileLinkHandler extends ApiHandler {
    /** The file is read, then the link and its token are put in one transaction. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM, DYNAMODB_TRANSACT_WRITE,
            DYNAMODB_PUT_ITEM, DYNAMODB_PUT_LIST_ENTRY);

    private static final Set<String> PARAMS = Set.of("file", "expires_at", "metadata", "expand");

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public CreateFileLinkHandler() {
        super();
    }

    public CreateFileLinkHandler(Services services) {
        super(services);
    }

    @Override
    protected Set<AwsOperation> endpointOperations() {
        return OPERATIONS;
    }

    @Override
    protected boolean idempotent() {
        return true;
    }

    @Override
    protected ApiResponse handle(ApiRequest request, Caller caller) {
        Params params = request.form();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, LinkJson.EXPANDABLE, false);
        Long expiresAt = params.integer("expires_at");
        Metadata.Update metadata = MetadataParam.parse(params, "metadata");
        String file = params.nonEmptyString("file");
        services.links().checkCreate(caller, file, expiresAt);
        request.markExecuting();
        LinkRecord link = services.links().create(caller, file, expiresAt, metadata);
        return ApiResponse.ok(services.render().link(link, request.baseUrl(), expand));
    }
}
