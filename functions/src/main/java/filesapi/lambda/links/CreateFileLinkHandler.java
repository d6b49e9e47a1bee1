package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_LIST_ENTRY;
import static filesapi.lambda.AwsOperation.DYNAMODB_TRANSACT_WRITE;

import filesapi.core.Caller;
import filesapi.core.Metadata;
import filesapi.core.links.LinkService;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.Endpoint;
import filesapi.lambda.Pipeline;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.LinkJson;
import filesapi.lambda.wire.MetadataParam;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.Set;

/** {@code POST /v1/file_links}. */
public final class CreateFileLinkHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "POST /v1/file_links";

    /** The file is read, then the link and its token are put in one transaction. */
    private static final Endpoint ENDPOINT = Endpoint.writing(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_TRANSACT_WRITE,
            DYNAMODB_PUT_ITEM, DYNAMODB_PUT_LIST_ENTRY));

    private static final Set<String> PARAMS = Set.of("file", "expires_at", "metadata", "expand");

    private final LinkService links;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public CreateFileLinkHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, CreateFileLinkHandler::new);
    }

    public CreateFileLinkHandler(Services services) {
        this(services.pipeline(), services.links(), services.render());
    }

    public CreateFileLinkHandler(Pipeline pipeline, LinkService links, Renderer render) {
        super(ENDPOINT, pipeline);
        this.links = links;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.form();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, LinkJson.EXPANDABLE, false);
        Long expiresAt = params.integer("expires_at");
        Metadata.Update metadata = MetadataParam.parse(params, "metadata");
        LinkService.CheckedCreate create = links.checkCreate(caller, params.nonEmptyString("file"), expiresAt,
                metadata);
        return () -> ApiResponse.ok(render.link(links.create(create), request.baseUrl(), expand));
    }
}
