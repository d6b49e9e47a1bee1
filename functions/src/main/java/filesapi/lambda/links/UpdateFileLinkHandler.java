package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_LIST_ENTRY;
import static filesapi.lambda.AwsOperation.DYNAMODB_TRANSACT_WRITE;
import static filesapi.lambda.AwsOperation.DYNAMODB_UPDATE_ITEM;

import filesapi.core.Caller;
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

/** {@code POST /v1/file_links/{link}}: {@code expires_at} (a time, {@code now}, or "" to clear) and metadata. */
public final class UpdateFileLinkHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "POST /v1/file_links/{link}";

    /** The link is read, then put again with its token's expiry updated, in one transaction. */
    private static final Endpoint ENDPOINT = Endpoint.writing(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_TRANSACT_WRITE,
            DYNAMODB_PUT_ITEM, DYNAMODB_UPDATE_ITEM, DYNAMODB_PUT_LIST_ENTRY));

    private static final Set<String> PARAMS = Set.of("expires_at", "metadata", "expand");

    private final LinkService links;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public UpdateFileLinkHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, UpdateFileLinkHandler::new);
    }

    public UpdateFileLinkHandler(Services services) {
        this(services.pipeline(), services.links(), services.render());
    }

    public UpdateFileLinkHandler(Pipeline pipeline, LinkService links, Renderer render) {
        super(ENDPOINT, pipeline);
        this.links = links;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.form();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, LinkJson.EXPANDABLE, false);
        LinkService.ExpiryChange expiry = expiryChange(params);
        LinkService.CheckedUpdate update = links.checkUpdate(caller, request.pathParameter("link"), expiry,
                MetadataParam.parse(params, "metadata"));
        return () -> ApiResponse.ok(render.link(links.update(update), request.baseUrl(), expand));
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
