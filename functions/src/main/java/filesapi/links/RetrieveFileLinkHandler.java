package filesapi.links;

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
    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public RetrieveFileLinkHandler() {
        super();
    }

    public RetrieveFileLinkHandler(Services services) {
        super(services);
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
