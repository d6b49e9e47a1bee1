package filesapi.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import filesapi.local.ApiGatewayEvents;
import filesapi.local.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** API Gateway events built by the local server's builder, as tests and the local server build them. */
final class Events {
    static final String BOUNDARY = "bench-boundary-7d1f0c2a";

    private Events() {}

    static APIGatewayV2HTTPEvent get(String routeKey, String path, String query, Map<String, String> pathParameters,
                                     String apiKey) {
        return build("GET", routeKey, path, query, pathParameters, apiKey, null, null);
    }

    static APIGatewayV2HTTPEvent post(String routeKey, String path, Map<String, String> pathParameters, String apiKey,
                                      String contentType, byte[] body) {
        return build("POST", routeKey, path, null, pathParameters, apiKey, contentType, body);
    }

    private static APIGatewayV2HTTPEvent build(String method, String routeKey, String path, String query,
                                               Map<String, String> pathParameters, String apiKey, String contentType,
                                               byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of("files.bench"));
        headers.put("X-Forwarded-Proto", List.of("https"));
        headers.put("User-Agent", List.of("files-api-bench"));
        if (apiKey != null) {
            headers.put("Authorization", List.of("Bearer " + apiKey));
        }
        if (contentType != null) {
            headers.put("Content-Type", List.of(contentType));
        }
        return ApiGatewayEvents.build(method, path, query, headers, body,
                new Router.Match(routeKey, pathParameters, null), "127.0.0.1");
    }

    static String multipartType() {
        return "multipart/form-data; boundary=" + BOUNDARY;
    }

    /** A Stripe-style upload body: purpose, then the file part. */
    static byte[] upload(byte[] pdf) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 512);
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + Seed.PURPOSE + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"evidence.pdf\"\r\nContent-Type: application/pdf\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.writeBytes(pdf);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A PDF the upload checks accept: header, padding, trailer. */
    static byte[] pdf(int size) {
        byte[] head = "%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\ntrailer\n<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pdf = new byte[Math.max(size, head.length + tail.length)];
        Arrays.fill(pdf, (byte) ' ');
        System.arraycopy(head, 0, pdf, 0, head.length);
        System.arraycopy(tail, 0, pdf, pdf.length - tail.length, tail.length);
        return pdf;
    }
}
