package filesapi.lambda.uploads;

import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.S3_PRESIGNED_PUT_UPLOAD;

import filesapi.core.Caller;
import filesapi.core.Metadata;
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
import filesapi.lambda.wire.FileLinkDataParam;
import filesapi.lambda.wire.FileUploadJson;
import filesapi.lambda.wire.MetadataParam;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/file_uploads}: a session for a file too large to go through Lambda, answered with a presigned PUT
 * for exactly its declared size. Refused up front: a purpose that cannot be uploaded, a size over its limit, a link
 * the purpose or the key may not have. Like {@code POST /v1/files}, a browser may start one with a publishable key.
 */
public final class CreateFileUploadHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "POST /v1/file_uploads";

    /** The session's item is put; its upload URL is signed here and used by the client. */
    private static final Endpoint ENDPOINT = Endpoint.uploading(Set.of(DYNAMODB_PUT_ITEM, S3_PRESIGNED_PUT_UPLOAD));

    private static final Set<String> PARAMS = Set.of("purpose", "filename", "size", "file_link_data", "metadata",
            "expand");

    private final UploadService uploads;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public CreateFileUploadHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, CreateFileUploadHandler::new);
    }

    public CreateFileUploadHandler(Services services) {
        this(services.pipeline(), services.uploads(), services.render());
    }

    public CreateFileUploadHandler(Pipeline pipeline, UploadService uploads, Renderer render) {
        super(ENDPOINT, pipeline);
        this.uploads = uploads;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.form();
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, FileUploadJson.EXPANDABLE, false);
        Metadata.Update metadata = MetadataParam.parse(params, "metadata");
        UploadService.CreateRequest create = new UploadService.CreateRequest(params.nonEmptyString("purpose"),
                params.string("filename"), params.integer("size"), FileLinkDataParam.parse(params.object("file_link_data")),
                metadata.applyTo(Map.of()));
        uploads.checkCreate(caller, create);
        return () -> {
            UploadSession session = uploads.create(caller, create);
            return ApiResponse.ok(render.fileUpload(session, uploads.uploadUrl(session), request.baseUrl(), expand));
        };
    }
}
