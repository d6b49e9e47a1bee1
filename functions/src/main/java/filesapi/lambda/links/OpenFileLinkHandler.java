package filesapi.lambda.links;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.S3_PRESIGNED_GET;

import filesapi.core.Caller;
import filesapi.core.links.LinkService;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.Endpoint;
import filesapi.lambda.Pipeline;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import java.util.Set;

/**
 * {@code GET /links/{token}}, the public URL a link hands out: no key; a 302 to a presigned S3 GET that never
 * outlives the link. The token is never logged (the route key, not the path, goes into the log line).
 */
public final class OpenFileLinkHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /links/{token}";

    /** The token's item, then a presigned URL to the contents. */
    private static final Endpoint ENDPOINT = Endpoint.open(Set.of(DYNAMODB_GET_ITEM, S3_PRESIGNED_GET));

    private final LinkService links;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public OpenFileLinkHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, OpenFileLinkHandler::new);
    }

    public OpenFileLinkHandler(Services services) {
        this(services.pipeline(), services.links());
    }

    public OpenFileLinkHandler(Pipeline pipeline, LinkService links) {
        super(ENDPOINT, pipeline);
        this.links = links;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        return () -> {
            ApiResponse redirect = ApiResponse.redirect(links.open(request.pathParameter("token")));
            redirect.headers().put("Referrer-Policy", "no-referrer");
            return redirect;
        };
    }
}
