package filesapi.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stripe's metadata rules, for every object that has metadata: at most 50 keys, keys up to 40 characters without
 * square brackets, string values up to 500 characters. An update merges; a key set to "" is removed; the whole
 * parameter set to "" removes every key.
 */
public final class Metadata {
    public static final int MAX_KEYS = 50;
    public static final int MAX_KEY_LENGTH = 40;
    public static final int MAX_VALUE_LENGTH = 500;

    private Metadata() {}

    /** What a request asks for: clear everything first, then set (or, for "", remove) these keys. */
    public record Update(boolean clearAll, Map<String, String> changes) {
        public static final Update NONE = new Update(false, Map.of());

        public Map<String, String> applyTo(Map<String, String> current) {
            Map<String, String> result = clearAll ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
            changes.forEach((k, v) -> {
                if (v.isEmpty()) {
                    result.remove(k);
                } else {
                    result.put(k, v);
                }
            });
            if (result.size() > MAX_KEYS) {
                throw StripeError.invalid("Metadata can have up to " + MAX_KEYS + " keys, but you've set "
                        + result.size() + ".", "metadata");
            }
            return result;
        }
    }

    /** Reads parameter {@code name} of {@code params}; {@code param} is its full name for errors. */
    public static Update parse(Params params, String name) {
        if (!params.has(name)) {
            return Update.NONE;
        }
        String param = params.nameOf(name);
        if (params.isString(name)) {
            if (!params.string(name).isEmpty()) {
                throw StripeError.invalid("Invalid metadata: metadata must be a set of key-value pairs, or an empty"
                        + " string to unset all keys.", param);
            }
            return new Update(true, Map.of());
        }
        Map<String, String> changes = params.object(name).stringMap();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.contains("[") || key.contains("]")) {
                throw StripeError.invalid("Invalid key: " + Params.abbreviate(key) + " must be a string under "
                        + MAX_KEY_LENGTH + " characters, without square brackets.", param);
            }
            if (e.getValue().length() > MAX_VALUE_LENGTH) {
                throw StripeError.invalid("Invalid val: " + Params.abbreviate(e.getValue()) + " must be a string"
                        + " under " + MAX_VALUE_LENGTH + " characters", param);
            }
        }
        // Removals ("") do not count: an update may remove some keys while it adds others.
        long set = changes.values().stream().filter(v -> !v.isEmpty()).count();
        if (set > MAX_KEYS) {
            throw StripeError.invalid("Metadata can have up to " + MAX_KEYS + " keys, but you've set " + set + ".",
                    param);
        }
        return new Update(false, changes);
    }
}
