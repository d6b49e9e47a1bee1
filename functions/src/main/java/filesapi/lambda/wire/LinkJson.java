package filesapi.lambda.wire;

import filesapi.core.links.LinkRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The File Link object as Stripe renders it. */
public final class LinkJson {
    public static final Set<String> EXPANDABLE = Set.of("file");

    private LinkJson() {}

    /** {@code file} is the file's id, or the expanded File object. */
    public static Map<String, Object> render(LinkRecord l, Object file, String baseUrl, long nowSeconds) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", l.id());
        o.put("object", "file_link");
        o.put("created", l.created());
        o.put("expired", l.isExpired(nowSeconds));
        o.put("expires_at", l.expiresAt());
        o.put("file", file);
        o.put("livemode", l.tenant().livemode());
        o.put("metadata", new LinkedHashMap<>(l.metadata()));
        o.put("url", baseUrl + "/links/" + l.token());
        return o;
    }
}
