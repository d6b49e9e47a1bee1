package filesapi.links;

import filesapi.Services;
import filesapi.api.ApiHandler;
import filesapi.api.ApiRequest;
import filesapi.api.ApiResponse;
import filesapi.api.Caller;

/**
 * {@code GET /links/{token}}, the public URL a link hands out: no key; a 302 to a presigned S3 GET that never
 * outlives the link. The token is never logged (the route key, not the path, goes into the log line).
 */
public final class OpenFileLinkHandler extends ApiHandler {
    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public OpenFileLinkHandler() {
        super();
    }

    public OpenFileLinkHandler(Services services) {
        super(services);
    }

    @Override
    protected boolean requiresKey() {
        return false;
    }

    @Override
    protected ApiResponse handle(ApiRequest request, Caller caller) {
        ApiResponse redirect = ApiResponse.redirect(services.links().open(request.pathParameter("token")));
        redirect.headers().put("Referrer-Policy", "no-referrer");
        return redirect;
    }
}
