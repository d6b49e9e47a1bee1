package filesapi.lambda.files;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;

import filesapi.core.Caller;
import filesapi.core.files.FileService;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.Endpoint;
import filesapi.lambda.Pipeline;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.FileJson;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.Set;

/** {@code GET /v1/files/{file}}. */
public final class RetrieveFileHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /v1/files/{file}";

    /** The file, and the first page of its links, which a file embeds. */
    private static final Endpoint ENDPOINT = Endpoint.reading(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS));

    private final FileService files;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public RetrieveFileHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, RetrieveFileHandler::new);
    }

    public RetrieveFileHandler(Services services) {
        this(services.pipeline(), services.files(), services.render());
    }

    public RetrieveFileHandler(Pipeline pipeline, FileService files, Renderer render) {
        super(ENDPOINT, pipeline);
        this.files = files;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(Set.of("expand"));
        Set<String> expand = Expand.parse(params, FileJson.EXPANDABLE, false);
        return () -> ApiResponse.ok(render.file(files.retrieve(caller.tenant(), request.pathParameter("file"), "file"),
                request.baseUrl(), expand));
    }
}
