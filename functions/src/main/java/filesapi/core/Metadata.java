package filesapi.core;

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
}
