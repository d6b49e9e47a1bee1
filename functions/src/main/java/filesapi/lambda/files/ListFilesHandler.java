package filesapi.lambda.files;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;

import filesapi.core.Caller;
import filesapi.core.ListRequest;
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
import filesapi.lambda.wire.ListParams;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.HashSet;
import java.util.Set;

/** {@code GET /v1/files}: newest first, filtered by purpose and created. */
public final class ListFilesHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /v1/files";

    /** A page of the files list (and each file's links with data.links); a cursor's file is read for its position. */
    private static final Endpoint ENDPOINT = Endpoint.reading(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS));

    private static final Set<String> PARAMS;

    static {
        Set<String> params = new HashSet<>(ListParams.PARAMS);
        params.add("purpose");
        PARAMS = Set.copyOf(params);
    }

    private final FileService files;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public ListFilesHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, ListFilesHandler::new);
    }

    public ListFilesHandler(Services services) {
        this(services.pipeline(), services.files(), services.render());
    }

    public ListFilesHandler(Pipeline pipeline, FileService files, Renderer render) {
        super(ENDPOINT, pipeline);
        this.files = files;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, Expand.underData(FileJson.EXPANDABLE), true);
        ListRequest list = ListParams.parse(params);
        String purpose = params.nonEmptyString("purpose");
        return () -> ApiResponse.ok(render.fileList(files.list(caller.tenant(), purpose, list), request.baseUrl(),
                expand));
    }
}
