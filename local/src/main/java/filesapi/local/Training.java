package filesapi.local;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The class-data-sharing training run the build makes after shading: starts a server, sends the requests a first
 * user sends (a list, an upload, a link and its download), and exits, so that
 * {@code -XX:ArchiveClassesAtExit=files-api-local.jsa} records every class a start and those requests load.
 */
final class Training {
    private static final String KEY = "sk_test_trainingtrainingtraining";

    private Training() {}

    public static void main(String[] args) throws Exception {
        try (LocalServer server = LocalServer.start(new LocalServer.Options(LocalServer.Options.DEFAULT_HOST, 0,
                null, Path.of("template.yaml"), KEY + ":acct_Training", null, null, null, Clock.systemUTC(), null))) {
            server.banner(new LocalServer.Options(0, null, null, KEY, null, null, Clock.systemUTC()));
            String base = server.baseUrl();
            call("GET", base + "/v1/files", null, null);
            String boundary = "training";
            String upload = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                    + "dispute_evidence\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
                    + " filename=\"t.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--" + boundary
                    + "--\r\n";
            String file = call("POST", base + "/v1/files", "multipart/form-data; boundary=" + boundary, upload);
            String id = file.replaceAll("(?s).*\"id\": *\"(file_[A-Za-z0-9]+)\".*", "$1");
            String link = call("POST", base + "/v1/file_links", "application/x-www-form-urlencoded", "file=" + id);
            call("GET", link.replaceAll("(?s).*\"url\": *\"([^\"]+)\".*", "$1"), null, null);
            call("GET", base + "/_local/health", null, null);
        }
        System.exit(0);
    }

    private static String call(String method, String url, String contentType, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", "Bearer " + KEY);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", contentType);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        byte[] answer = (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
        if (status >= 400) {
            throw new IllegalStateException(method + " " + url + " -> " + status + " "
                    + new String(answer, StandardCharsets.UTF_8));
        }
        return new String(answer, StandardCharsets.UTF_8);
    }
}
