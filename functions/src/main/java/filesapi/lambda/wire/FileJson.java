package filesapi.lambda.wire;

import filesapi.core.files.FileRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The File object as Stripe renders it (field order as in Stripe's responses). */
public final class FileJson {
    /** Expandable paths of a file: its links list is always present; its links' files can be expanded. */
    public static final Set<String> EXPANDABLE = Set.of("links", "links.data.file");

    private FileJson() {}

    public static Map<String, Object> render(FileRecord f, String baseUrl, Map<String, Object> links) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", f.id());
        o.put("object", "file");
        o.put("created", f.created());
        o.put("expires_at", f.expiresAt());
        o.put("filename", f.filename());
        o.put("links", links);
        o.put("purpose", f.purpose().wireName());
        o.put("size", f.size());
        o.put("title", f.title());
        o.put("type", f.type() == null ? null : f.type().type());
        o.put("url", f.downloadable() ? contentsUrl(baseUrl, f.id()) : null);
        return o;
    }

    /** The links list of a file that has none (and the shape of one page of its links). */
    public static Map<String, Object> links(String fileId, java.util.List<?> data, boolean hasMore) {
        return filesapi.lambda.wire.ListJson.of("/v1/file_links?file=" + fileId, data, hasMore);
    }

    public static String contentsUrl(String baseUrl, String id) {
        return baseUrl + "/v1/files/" + id + "/contents";
    }
}
