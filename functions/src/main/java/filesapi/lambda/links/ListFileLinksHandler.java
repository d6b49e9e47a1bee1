package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;

import filesapi.core.Caller;
import filesapi.core.ListRequest;
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
import filesapi.lambda.wire.ListParams;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.HashSet;
import java.util.Set;

/** {@code GET /v1/file_links}: newest first, filtered by file, expired and created. */
public final class ListFileLinksHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /v1/file_links";

    /** A page of a links list; a cursor's link is read for its position, and each link's file when expanded. */
    private static final Endpoint ENDPOINT = Endpoint.reading(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS));

    private static final Set<String> PARAMS;

    static {
        Set<String> params = new HashSet<>(ListParams.PARAMS);
        params.add("file");
        params.add("expired");
        PARAMS = Set.copyOf(params);
    }

    private final LinkService links;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public ListFileLinksHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, ListFileLinksHandler::new);
    }

    public ListFileLinksHandler(Services services) {
        this(services.pipeline(), services.links(), services.render());
    }

    public ListFileLinksHandler(Pipeline pipeline, LinkService links, Renderer render) {
        super(ENDPOINT, pipeline);
        this.links = links;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, Expand.underData(LinkJson.EXPANDABLE), true);
        ListRequest list = ListParams.parse(params);
        String file = params.nonEmptyString("file");
        Boolean expired = params.bool("expired");
        return () -> ApiResponse.ok(render.linkList(links.list(caller.tenant(), file, expired, list),
                "/v1/file_links", request.baseUrl(), expand));
    }
}
