package filesapi.lambda.files;

import static filesapi.lambda.AwsOperation.DYNAMODB_GET_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;
import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_LIST_ENTRY;
import static filesapi.lambda.AwsOperation.DYNAMODB_TRANSACT_WRITE;
import static filesapi.lambda.AwsOperation.S3_DELETE_OBJECT;
import static filesapi.lambda.AwsOperation.S3_GET_OBJECT;
import static filesapi.lambda.AwsOperation.S3_PUT_OBJECT;

import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.Json;
import filesapi.core.StripeError;
import filesapi.core.files.FileService;
import filesapi.core.files.UploadLimits;
import filesapi.core.files.UploadedFile;
import filesapi.core.links.LinkRequest;
import filesapi.core.links.LinkService;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.Endpoint;
import filesapi.lambda.Pipeline;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import filesapi.lambda.wire.Expand;
import filesapi.lambda.wire.FileJson;
import filesapi.lambda.wire.FileLinkDataParam;
import filesapi.lambda.wire.Multipart;
import filesapi.lambda.wire.Params;
import filesapi.lambda.wire.Renderer;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** {@code POST /v1/files}: a multipart upload. */
public final class CreateFileHandler extends ApiHandler {
    /** Its route key in template.yaml, which priming's twin asks (PrimingTest checks that they agree). */
    public static final String ROUTE = "POST /v1/files";

    /**
     * The contents are put, then the file's item and its list entries in a transaction (with a link from
     * {@code file_link_data}: its item, token and entries in the same one); the contents are deleted again if that
     * write fails. A retry under an {@code Idempotency-Key} reads the kept file's item and contents back to compare
     * its own file with them.
     */
    private static final Endpoint ENDPOINT = Endpoint.uploading(Set.of(S3_PUT_OBJECT, DYNAMODB_PUT_ITEM,
            S3_DELETE_OBJECT, DYNAMODB_TRANSACT_WRITE, DYNAMODB_PUT_LIST_ENTRY, DYNAMODB_GET_ITEM, S3_GET_OBJECT));

    private static final Set<String> PARAMS = Set.of("file", "purpose", "expand", "file_link_data");

    private final FileService files;
    private final LinkService links;
    private final Renderer render;

    /** For the Lambda runtime: the container's services, primed before a SnapStart snapshot. */
    public CreateFileHandler() {
        this(Services.fromEnvironment());
        Priming.register(this, Services.fromEnvironment(), ROUTE, CreateFileHandler::new);
    }

    public CreateFileHandler(Services services) {
        this(services.pipeline(), services.files(), services.links(), services.render());
    }

    public CreateFileHandler(Pipeline pipeline, FileService files, LinkService links, Renderer render) {
        super(ENDPOINT, pipeline);
        this.files = files;
        this.links = links;
        this.render = render;
    }

    @Override
    protected Execution validate(ApiRequest request, Caller caller) {
        if (!Multipart.isMultipart(request.contentType())) {
            throw StripeError.invalid("Files must be uploaded as multipart/form-data with the contents in a part named"
                    + " 'file' (Content-Type was '" + request.contentType() + "'). See"
                    + " https://stripe.com/docs/file-upload.", null);
        }
        if (request.body().longerThan(UploadLimits.MAX_REQUEST_BODY_BYTES)) {
            throw StripeError.invalid("The upload request is too large (" + request.body().length() + " bytes): this"
                    + " deployment accepts upload requests of at most " + UploadLimits.MAX_REQUEST_BODY_BYTES
                    + " bytes (the AWS Lambda request payload limit after base64 encoding). Larger files can be"
                    + " uploaded with POST /v1/file_uploads.", "file");
        }
        Multipart.Form form = request.multipart();
        Multipart.FilePart file = null;
        for (Multipart.FilePart part : form.files()) {
            if (!part.field().equals("file")) {
                throw StripeError.unknownParam(part.field());
            }
            if (file != null) {
                throw StripeError.invalid("Only one file can be uploaded per request.", "file");
            }
            file = part;
        }
        Params params = Params.of(request.formPairs());
        params.allowOnly(PARAMS);
        Set<String> expand = Expand.parse(params, FileJson.EXPANDABLE, false);
        FileService.ValidUpload upload = files.validate(params.nonEmptyString("purpose"),
                file == null ? null : new UploadedFile(file.filename(), file.contentType(), file.contents()));
        LinkRequest link = linkRequest(params.object("file_link_data"), upload, caller);
        if (link == null) {
            return () -> ApiResponse.ok(render.newFile(files.store(caller, upload, request.requestId()), null,
                    request.baseUrl(), expand));
        }
        return () -> {
            LinkService.LinkedFile stored = links.storeWithLink(caller, upload, link, request.requestId());
            return ApiResponse.ok(render.newFile(stored.file(), stored.link(), request.baseUrl(), expand));
        };
    }

    /** A retry's one file is compared with the file its key's kept success stored, byte for byte. */
    @Override
    protected Predicate<String> storedSameFiles(ApiRequest request, Caller caller) {
        List<Multipart.FilePart> parts = request.multipart().files();
        if (parts.size() != 1) {
            return null;
        }
        Bytes contents = parts.get(0).contents();
        return kept -> files.storedContentsEqual(caller.tenant(), Json.topLevelString(kept, "id"), contents);
    }

    /** {@code file_link_data}: checked in full before anything is stored, so a bad one stores nothing. */
    private LinkRequest linkRequest(Params data, FileService.ValidUpload upload, Caller caller) {
        LinkRequest link = FileLinkDataParam.parse(data);
        if (link != null) {
            LinkService.requireLinkingKey(caller);
            LinkService.requireLinkable(upload.purpose(), "file_link_data[create]");
            links.requireFuture(link.expiresAt(), "file_link_data[expires_at]");
        }
        return link;
    }
}
