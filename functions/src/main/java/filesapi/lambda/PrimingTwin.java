package filesapi.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.UploadedFile;
import filesapi.core.links.LinkRecord;
import filesapi.core.uploads.UploadService;
import filesapi.core.uploads.UploadSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The success path of one route, for priming: a twin of the handler wired to SDK clients built as the function's
 * are, whose HTTP client is {@link InProcessAws}, seeded with a key, a file, a link on it and an upload session, then
 * asked one authenticated request as API Gateway sends it. What the twin stores lives only in that HTTP client, and
 * it has services of its own, so the function's authenticator caches no key and its clients see no call.
 */
final class PrimingTwin {
    static final String ACCOUNT = "acct_priming";
    static final String PURPOSE = "dispute_evidence";
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{([a-z_]+)}");
    static final byte[] PDF = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);

    private PrimingTwin() {}

    /** The ids the twin's requests name. */
    private record Seeded(String key, FileRecord file, LinkRecord link, UploadSession upload) {}

    /** The twin's response to a request for {@code routeKey} (such as {@code GET /v1/files/{file}}). */
    static APIGatewayV2HTTPResponse run(Services real, String routeKey, Function<Services, ApiHandler> factory) {
        InProcessAws backend = new InProcessAws(real.config().bucketName(), real.clock());
        AwsClients aws = AwsClients.from(System.getenv(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIAPRIMING", "priming")), backend, backend);
        try {
            Services twin = Services.create(real.config(), aws, real.clock());
            Seeded seeded = seed(twin);
            return factory.apply(twin).handleRequest(event(routeKey, seeded), null);
        } finally {
            aws.dynamo().close();
            aws.s3().close();
        }
    }

    private static Seeded seed(Services twin) {
        String key = twin.provisioning().create(ACCOUNT, false, Caller.KeyKind.SECRET, null);
        Caller caller = new Caller(new Tenant(ACCOUNT, false), Caller.KeyKind.SECRET, false);
        FileRecord file = twin.files().store(caller, twin.files().validate(PURPOSE,
                new UploadedFile("priming.pdf", "application/pdf", Bytes.of(PDF))), "req_priming");
        LinkRecord link = twin.links().createFor(file, null, Map.of("k", "v"));
        UploadSession upload = twin.uploads().create(caller, new UploadService.CreateRequest(PURPOSE, "priming.pdf",
                (long) PDF.length, null, Map.of()));
        // What the client PUTs to the session's presigned URL before it completes the session.
        twin.blobs().put(upload.uploadKey(), Bytes.of(PDF), "application/pdf");
        return new Seeded(key, file, link, upload);
    }

    /** The event API Gateway sends for the route, with the seeded ids in its path and the body a client sends. */
    private static APIGatewayV2HTTPEvent event(String routeKey, Seeded seeded) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String template = routeKey.substring(routeKey.indexOf(' ') + 1);
        Map<String, String> ids = Map.of("file", seeded.file().id(), "link", seeded.link().id(),
                "token", seeded.link().token(), "file_upload", seeded.upload().id());
        Map<String, String> pathParameters = new LinkedHashMap<>();
        Matcher m = PATH_PARAMETER.matcher(template);
        while (m.find()) {
            pathParameters.put(m.group(1), ids.get(m.group(1)));
        }
        String path = m.replaceAll(r -> ids.get(r.group(1)));
        String boundary = "priming" + Ids.token(8);
        String form = "application/x-www-form-urlencoded";
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "priming.invalid");
        headers.put("x-forwarded-proto", "https");
        headers.put("user-agent", "snapstart-priming");
        headers.put("authorization", "Bearer " + seeded.key());
        byte[] body = switch (routeKey) {
            case "POST /v1/files" -> {
                headers.put("content-type", "multipart/form-data; boundary=" + boundary);
                yield multipart(boundary, PURPOSE, PDF);
            }
            case "POST /v1/file_links" -> {
                headers.put("content-type", form);
                yield ("file=" + seeded.file().id() + "&metadata%5Bk%5D=v").getBytes(StandardCharsets.US_ASCII);
            }
            case "POST /v1/file_links/{link}" -> {
                headers.put("content-type", form);
                yield "metadata%5Bk%5D=w".getBytes(StandardCharsets.US_ASCII);
            }
            case "POST /v1/file_uploads" -> {
                headers.put("content-type", form);
                yield ("purpose=" + PURPOSE + "&size=" + PDF.length + "&filename=priming.pdf")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            default -> null;
        };
        if (method.equals("POST")) {
            // Stripe's libraries send one with every POST.
            headers.put("idempotency-key", "priming-" + Ids.token(16));
        }
        String query = method.equals("GET") && pathParameters.isEmpty() ? "limit=10" : "";
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey(routeKey)
                .withRawPath(path)
                .withRawQueryString(query)
                .withQueryStringParameters(query.isEmpty() ? null : Map.of("limit", "10"))
                .withHeaders(headers)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body == null ? null : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body != null)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withRouteKey(routeKey)
                        .withStage("$default")
                        .withRequestId("priming")
                        .withDomainName("priming.invalid")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(method)
                                .withPath(path).withProtocol("HTTP/1.1").withSourceIp("127.0.0.1")
                                .withUserAgent("snapstart-priming").build())
                        .build())
                .build();
    }

    /** A Stripe-style upload: the purpose, then the file part. */
    static byte[] multipart(String boundary, String purpose, byte[] pdf) {
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + pdf.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(pdf, 0, out, head.length, pdf.length);
        System.arraycopy(tail, 0, out, head.length + pdf.length, tail.length);
        return out;
    }
}
