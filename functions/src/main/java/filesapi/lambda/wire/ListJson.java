package filesapi.lambda.wire;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Stripe's list object. */
public final class ListJson {
    private ListJson() {}

    public static Map<String, Object> of(String url, List<?> data, boolean hasMore) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("object", "list");
        o.put("data", data);
        o.put("has_more", hasMore);
        o.put("url", url);
        return o;
    }
}
