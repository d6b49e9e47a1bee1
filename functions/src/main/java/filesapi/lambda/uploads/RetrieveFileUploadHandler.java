package filesapi.lambda.uploads;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;
import static filesapi.lambda.AwsOperation.S3_PRESIGNED_PUT_UPLOAD;

import filesapi.core.Caller;
import filesapi.core.uploads.UploadService;
import filesapi.core.uploads.UploadSession;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.Endpoint;
import filesapi.lambda.Pipeline;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.FileUploadJson;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.Set;

/**
 * {@code GET /v1/file_uploads/{file_upload}}: the session, a failed one included (with its {@code last_error});
 * while open, with an upload URL signed anew.
 */
public final class RetrieveFileUploadHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /v1/file_uploads/{file_upload}";

    /** The session, and to expand its file, the file and its links; an open one's upload URL is signed here. */
    private static final Endpoint ENDPOINT = Endpoint.reading(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS,
            S3_PRESIGNED_PUT_UPLOAD));

    private final UploadService uploads;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public RetrieveFileUploadHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, RetrieveFileUploadHandler::new);
    }

    public RetrieveFileUploadHandler(Services services) {
        this(services.pipeline(), services.uploads(), services.render());
    }

    public RetrieveFileUploadHandler(Pipeline pipeline, UploadService uploads, Renderer render) {
        super(ENDPOINT, pipeline);
        this.uploads = uploads;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.query();
        params.allowOnly(Set.of("expand"));
        Set<String> expand = Expand.parse(params, FileUploadJson.EXPANDABLE, false);
        return () -> {
            UploadSession session = uploads.retrieve(caller.tenant(), request.pathParameter("file_upload"));
            return ApiResponse.ok(render.fileUpload(session, uploads.uploadUrl(session), request.baseUrl(), expand));
        };
    }
}
