package filesapi.lambda.files;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.S3_GET_OBJECT;
import static filesapi.lambda.AwsOperation.S3_PRESIGNED_GET;

import filesapi.core.Caller;
import filesapi.core.files.FileService;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.Endpoint;
import filesapi.lambda.Pipeline;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /v1/files/{file}/contents}: the bytes, as an attachment that a browser will neither sniff nor run.
 * Files too large for a Lambda response are redirected to a presigned URL that lives one minute.
 */
public final class FileContentsHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "GET /v1/files/{file}/contents";

    /** The file, then its contents, or for a large file a presigned URL to them. */
    private static final Endpoint ENDPOINT = Endpoint.reading(Set.of(DYNAMODB_GET_ITEM, S3_GET_OBJECT,
            S3_PRESIGNED_GET));

    private final FileService files;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public FileContentsHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, FileContentsHandler::new);
    }

    public FileContentsHandler(Services services) {
        this(services.pipeline(), services.files());
    }

    public FileContentsHandler(Pipeline pipeline, FileService files) {
        super(ENDPOINT, pipeline);
        this.files = files;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        request.query().allowOnly(Set.of());
        return () -> {
            FileService.Contents contents = files.contents(caller.tenant(), request.pathParameter("file"));
            if (contents.redirectUrl() != null) {
                return ApiResponse.redirect(contents.redirectUrl());
            }
            return ApiResponse.bytes(contents.bytes(), downloadHeaders(contents.file().contentType(),
                    contents.contentDisposition()));
        };
    }

    public static Map<String, String> downloadHeaders(String contentType, String contentDisposition) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType == null ? "application/octet-stream" : contentType);
        headers.put("Content-Disposition", contentDisposition);
        headers.put("Content-Security-Policy", "default-src 'none'; sandbox");
        return headers;
    }
}
