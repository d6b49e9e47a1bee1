package filesapi.lambda.wire;

import filesapi.core.StripeError;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request parameters in Stripe's (Rack-style) bracket syntax: {@code expand[]=a}, {@code created[gte]=1},
 * {@code metadata[k]=v}, {@code file_link_data[metadata][k]=v}. Values are strings, lists or nested maps.
 */
public final class Params {
    /** Stripe's schema caps almost every string parameter at 5000 characters. */
    public static final int MAX_STRING_LENGTH = 5000;
    /** A name and up to five bracketed levels; the deepest this API reads is file_link_data[metadata][key]. */
    static final int MAX_DEPTH = 6;

    private final Map<String, Object> values;
    private final String prefix;

    private Params(Map<String, Object> values, String prefix) {
        this.values = values;
        this.prefix = prefix;
    }

    /** Decodes {@code a=1&b[c]=2}; {@code +} is a space, as in HTML forms. */
    public static List<Map.Entry<String, String>> decodeUrlEncoded(String encoded) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        if (encoded == null || encoded.isEmpty()) {
            return pairs;
        }
        for (String part : encoded.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            pairs.add(Map.entry(urlDecode(key), urlDecode(value)));
        }
        return pairs;
    }

    /** Like {@link #decodeUrlEncoded} but keeps undecodable parts as they are, for building events. */
    public static List<Map.Entry<String, String>> decodeUrlEncodedLenient(String encoded) {
        try {
            return decodeUrlEncoded(encoded);
        } catch (StripeError e) {
            return List.of();
        }
    }

    private static String urlDecode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw StripeError.invalid("Invalid URL encoding in the request parameters: '" + s + "'.", null);
        }
    }

    public static Params of(List<Map.Entry<String, String>> pairs) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Map.Entry<String, String> pair : pairs) {
            List<String> path = splitKey(pair.getKey());
            if (path.get(0).isEmpty()) {
                throw StripeError.invalid("Invalid parameter name: '" + abbreviate(pair.getKey()) + "'.", null);
            }
            if (path.size() > MAX_DEPTH) {
                throw StripeError.invalid("Invalid parameter name: '" + abbreviate(pair.getKey()) + "'. Parameters"
                        + " can be nested at most " + (MAX_DEPTH - 1) + " levels deep.", path.get(0));
            }
            insert(root, path, 0, pair.getValue(), pair.getKey());
        }
        return new Params(root, "");
    }

    static List<String> splitKey(String key) {
        List<String> path = new ArrayList<>();
        int open = key.indexOf('[');
        if (open < 0 || !key.endsWith("]")) {
            path.add(key);
            return path;
        }
        path.add(key.substring(0, open));
        int i = open;
        while (i < key.length()) {
            if (key.charAt(i) != '[') {
                return List.of(key);
            }
            int close = key.indexOf(']', i);
            if (close < 0) {
                return List.of(key);
            }
            path.add(key.substring(i + 1, close));
            i = close + 1;
        }
        return path;
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<String, Object> node, List<String> path, int at, String value, String fullKey) {
        String name = path.get(at);
        String display = displayName(path, at);
        if (at == path.size() - 1) {
            Object existing = node.get(name);
            if (existing instanceof Map || existing instanceof List) {
                throw StripeError.invalid("Invalid value for " + display + ": it was sent both as a value and as a"
                        + " nested object or array.", display);
            }
            node.put(name, value);
            return;
        }
        if (path.get(at + 1).isEmpty()) {
            if (at + 1 != path.size() - 1) {
                throw StripeError.invalid("Invalid parameter name: '" + fullKey + "'. Arrays of objects are not"
                        + " accepted by this endpoint.", display);
            }
            Object existing = node.computeIfAbsent(name, k -> new ArrayList<>());
            if (!(existing instanceof List)) {
                throw StripeError.invalid("Invalid array", display);
            }
            ((List<Object>) existing).add(value);
            return;
        }
        Object existing = node.computeIfAbsent(name, k -> new LinkedHashMap<String, Object>());
        if (!(existing instanceof Map)) {
            throw StripeError.invalid("Invalid value for " + display + ": it was sent both as a value and as a"
                    + " nested object or array.", display);
        }
        insert((Map<String, Object>) existing, path, at + 1, value, fullKey);
    }

    private static String displayName(List<String> path, int upTo) {
        StringBuilder sb = new StringBuilder(path.get(0));
        for (int i = 1; i <= upTo; i++) {
            sb.append('[').append(path.get(i)).append(']');
        }
        return sb.toString();
    }

    /** The name a nested parameter has in errors, for example {@code created[gte]}. */
    public String nameOf(String key) {
        return prefix.isEmpty() ? key : prefix + "[" + key + "]";
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** Fails on the first parameter not in {@code allowed}, as Stripe does. */
    public void allowOnly(Collection<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw StripeError.unknownParam(nameOf(key));
            }
        }
    }

    public boolean isString(String key) {
        return values.get(key) instanceof String;
    }

    public String string(String key) {
        Object v = values.get(key);
        if (v instanceof String s && s.length() > MAX_STRING_LENGTH) {
            throw StripeError.invalid("Invalid string: " + abbreviate(s) + "; must be at most " + MAX_STRING_LENGTH
                    + " characters", nameOf(key));
        }
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw StripeError.invalid("Invalid string: " + describe(v), nameOf(key));
    }

    /** A string that must not be empty when present. */
    public String nonEmptyString(String key) {
        String s = string(key);
        if (s != null && s.isEmpty()) {
            throw StripeError.emptyString(nameOf(key));
        }
        return s;
    }

    public Long integer(String key) {
        String s = nonEmptyString(key);
        if (s == null) {
            return null;
        }
        return parseInteger(nameOf(key), s);
    }

    public static long parseInteger(String param, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw StripeError.invalidInteger(param, s);
        }
    }

    public Boolean bool(String key) {
        String s = nonEmptyString(key);
        if (s == null) {
            return null;
        }
        return switch (s) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw StripeError.invalidBoolean(nameOf(key), s);
        };
    }

    /** A nested object, or null when absent. A plain string where an object belongs is an error. */
    @SuppressWarnings("unchecked")
    public Params object(String key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map) {
            return new Params((Map<String, Object>) v, nameOf(key));
        }
        throw StripeError.invalid("Invalid object", nameOf(key));
    }

    /**
     * An array parameter, sent as {@code a[]=x&a[]=y} or with explicit indexes {@code a[0]=x&a[1]=y}; the indexes
     * must be numeric and sequential from 0.
     */
    @SuppressWarnings("unchecked")
    public List<String> stringList(String key) {
        Object v = values.get(key);
        if (v == null) {
            return List.of();
        }
        List<Object> items;
        if (v instanceof List) {
            items = (List<Object>) v;
        } else if (v instanceof Map) {
            items = indexedArray((Map<String, Object>) v, nameOf(key));
        } else {
            throw StripeError.invalid("Invalid array", nameOf(key));
        }
        List<String> strings = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String s)) {
                throw StripeError.invalid("Invalid array", nameOf(key));
            }
            strings.add(s);
        }
        return strings;
    }

    private static List<Object> indexedArray(Map<String, Object> map, String param) {
        List<Object> items = new ArrayList<>(map.size());
        int expected = 0;
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (!e.getKey().equals(Integer.toString(expected))) {
                throw StripeError.invalid("If passing an array with explicit keys (e.g. foo[0]=a&foo[1]=b) instead of"
                        + " as an array (e.g. foo[]=a&foo[]=b), the keys must be numeric and sequential starting from"
                        + " 0. You passed the keys `" + String.join(", ", map.keySet()) + "`, we expected to have a"
                        + " key with the value `" + expected + "`.", param);
            }
            items.add(e.getValue());
            expected++;
        }
        return items;
    }

    /** String-to-string entries of a map parameter such as metadata; nested values are an error. */
    public Map<String, String> stringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw StripeError.invalid("Invalid value for " + nameOf(e.getKey()) + ": must be a string.",
                        nameOf(e.getKey()));
            }
            out.put(e.getKey(), s);
        }
        return out;
    }

    /** What an error message quotes of a long input, so errors (and the idempotency records keeping them) stay small. */
    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String describe(Object v) {
        return v instanceof Map ? "object" : v instanceof List ? "array" : String.valueOf(v);
    }
}
