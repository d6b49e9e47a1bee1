package filesapi.lambda.wire;

import filesapi.core.uploads.UploadService;
import filesapi.core.uploads.UploadSession;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code file_upload} object, our extension (Stripe has no direct uploads): where and how to PUT the bytes
 * while it is open, and its {@code file} once complete, expandable to the file object with its links.
 */
public final class FileUploadJson {
    public static final Set<String> EXPANDABLE = Set.of("file", "file.links", "file.links.data.file");

    private FileUploadJson() {}

    /** {@code url} is null unless the session is open; {@code file} is its id or the expanded file. */
    public static Map<String, Object> render(UploadSession s, UploadService.UploadUrl url, Object file) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", s.id());
        o.put("object", "file_upload");
        o.put("created", s.created());
        o.put("expires_at", s.expiresAt());
        o.put("file", file);
        o.put("filename", s.filename());
        o.put("last_error", s.failure() == null ? null : error(s.failure()));
        o.put("livemode", s.tenant().livemode());
        o.put("metadata", s.metadata());
        o.put("purpose", s.purpose().wireName());
        o.put("size", s.size());
        o.put("status", s.status().wireName());
        o.put("upload_headers", Map.of("Content-Length", Long.toString(s.size())));
        o.put("upload_method", "PUT");
        o.put("upload_url", url == null ? null : url.url());
        o.put("upload_url_expires_at", url == null ? null : url.expiresAt());
        return o;
    }

    private static Map<String, Object> error(UploadSession.Failure f) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", f.code());
        e.put("message", f.message());
        e.put("param", f.param());
        e.put("type", f.type());
        return e;
    }
}
