package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_LIST_ENTRY;
import static filesapi.lambda.AwsOperation.DYNAMODB_TRANSACT_WRITE;
import static filesapi.lambda.AwsOperation.DYNAMODB_UPDATE_ITEM;

import filesapi.core.Caller;
import filesapi.core.Metadata;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkService;
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

/** {@code POST /v1/file_links/{link}}: {@code expires_at} (a time, {@code now}, or "" to clear) and metadata. */
public final class UpdateFileLinkHandler extends ApiHandler {
    /** The link is read, then put again with its token's expiry updated, in one transaction. */
    private static final Set<AwsOperation> OPERATIONS = Set.of(DYNAMODB_GET_ITEM, DYNAMODB_TRANSACT_WRITE,
            DYNAMODB_PUT_ITEM, DYNAMODB_UPDATE_ITEM, DYNAMODB_PUT_LIST_ENTRY);

    private static final Set<String> PARAMS = Set.of("expires_at", "metadata", "expand");

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public UpdateFileLinkHandler() {
        super();
    }

    public UpdateFileLinkHandler(Services services) {
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
        LinkService.ExpiryChange expiry = expiryChange(params);
        Metadata.Update metadata = MetadataParam.parse(params, "metadata");
        services.links().checkUpdate(expiry);
        request.markExecuting();
        LinkRecord link = services.links().update(caller, request.pathParameter("link"), expiry, metadata);
        return ApiResponse.ok(services.render().link(link, request.baseUrl(), expand));
    }

    static LinkService.ExpiryChange expiryChange(Params params) {
        if (!params.has("expires_at")) {
            return new LinkService.ExpiryChange.Keep();
        }
        String value = params.string("expires_at");
        if (value.isEmpty()) {
            return new LinkService.ExpiryChange.Clear();
        }
        if (value.equals("now")) {
            return new LinkService.ExpiryChange.Now();
        }
        return new LinkService.ExpiryChange.At(Params.parseInteger("expires_at", value));
    }
}
