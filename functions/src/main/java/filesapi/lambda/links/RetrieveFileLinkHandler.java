package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;

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
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.Set;

/** {@code GET /v1/file_links/{link}}. */
public final class RetrieveFileLinkHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /v1/file_links/{link}";

    /** The link, and its file when expanded. */
    private static final Endpoint ENDPOINT = Endpoint.reading(Set.of(DYNAMODB_GET_ITEM));

    private final LinkService links;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public RetrieveFileLinkHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, RetrieveFileLinkHandler::new);
    }

    public RetrieveFileLinkHandler(Services services) {
        this(services.pipeline(), services.links(), services.render());
    }

    public RetrieveFileLinkHandler(Pipeline pipeline, LinkService links, Renderer render) {
        super(ENDPOINT, pipeline);
        this.links = links;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(Set.of("expand"));
        Set<String> expand = Expand.parse(params, LinkJson.EXPANDABLE, false);
        return () -> ApiResponse.ok(render.link(links.retrieve(caller.tenant(), request.pathParameter("link")),
                request.baseUrl(), expand));
    }
}
