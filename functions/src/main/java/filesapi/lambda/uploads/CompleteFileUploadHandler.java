package filesapi.lambda.uploads;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_LIST_ENTRY;
import static filesapi.lambda.AwsOperation.DYNAMODB_QUERY_LISTS;
import static filesapi.lambda.AwsOperation.DYNAMODB_TRANSACT_WRITE;
import static filesapi.lambda.AwsOperation.DYNAMODB_UPDATE_ITEM;
import static filesapi.lambda.AwsOperation.S3_COPY_UPLOAD;
import static filesapi.lambda.AwsOperation.S3_DELETE_OBJECT;
import static filesapi.lambda.AwsOperation.S3_GET_UPLOAD_RANGE;
import static filesapi.lambda.AwsOperation.S3_HEAD_UPLOAD;

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
 * {@code POST /v1/file_uploads/{file_upload}/complete}: checks what was uploaded (a HEAD and ranged GETs of the
 * upload prefix only) by the rules of {@code POST /v1/files}, then copies it to the file's key and writes the file, the
 * link {@code file_link_data} asked for and the session's outcome in one transaction. A failed check answers the
 * Stripe error and deletes the object; completing again answers the same.
 */
public final class CompleteFileUploadHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "POST /v1/file_uploads/{file_upload}/complete";

    /**
     * The session (and, to render it, the file and its links) is read; the upload is read by HEAD and ranges and
     * copied; the session's update, the file, its list entries and its link's items are one transaction, a failure
     * one update. The upload is deleted, and a copy whose transaction lost.
     */
    private static final Endpoint ENDPOINT = Endpoint.uploading(Set.of(DYNAMODB_GET_ITEM, DYNAMODB_QUERY_LISTS,
            DYNAMODB_UPDATE_ITEM, DYNAMODB_TRANSACT_WRITE, DYNAMODB_PUT_ITEM, DYNAMODB_PUT_LIST_ENTRY, S3_HEAD_UPLOAD,
            S3_GET_UPLOAD_RANGE, S3_COPY_UPLOAD, S3_DELETE_OBJECT));

    private final UploadService uploads;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public CompleteFileUploadHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, CompleteFileUploadHandler::new);
    }

    public CompleteFileUploadHandler(Services services) {
        this(services.pipeline(), services.uploads(), services.render());
    }

    public CompleteFileUploadHandler(Pipeline pipeline, UploadService uploads, Renderer render) {
        super(ENDPOINT, pipeline);
        this.uploads = uploads;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        Params params = request.form();
        params.allowOnly(Set.of("expand"));
        Set<String> expand = Expand.parse(params, FileUploadJson.EXPANDABLE, false);
        String id = request.pathParameter("file_upload");
        uploads.retrieve(caller.tenant(), id);
        return () -> {
            UploadSession session = uploads.complete(caller, id, request.requestId());
            // A failed session answers with the error it failed with, every time.
            return session.status() == UploadSession.Status.FAILED ? ApiResponse.error(session.failure().toError())
                    : ApiResponse.ok(render.fileUpload(session, uploads.uploadUrl(session), request.baseUrl(), expand));
        };
    }
}
