package filesapi.lambda.wire;

import filesapi.core.Metadata;
import filesapi.core.StripeError;
import java.util.Map;

/** The {@code metadata} parameter in Stripe's bracket syntax, checked against {@link Metadata}'s rules. */
public final class MetadataParam {
    private MetadataParam() {}

    /** Reads parameter {@code name} of {@code params}; {@code param} is its full name for errors. */
    public static Metadata.Update parse(Params params, String name) {
        if (!params.has(name)) {
            return Metadata.Update.NONE;
        }
        String param = params.nameOf(name);
        if (params.isString(name)) {
            if (!params.string(name).isEmpty()) {
                throw StripeError.invalid("Invalid metadata: metadata must be a set of key-value pairs, or an empty"
                        + " string to unset all keys.", param);
            }
            return new Metadata.Update(true, Map.of());
        }
        Map<String, String> changes = params.object(name).stringMap();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty() || key.length() > Metadata.MAX_KEY_LENGTH || key.contains("[") || key.contains("]")) {
                throw StripeError.invalid("Invalid key: " + Params.abbreviate(key) + " must be a string under "
                        + Metadata.MAX_KEY_LENGTH + " characters, without square brackets.", param);
            }
            if (e.getValue().length() > Metadata.MAX_VALUE_LENGTH) {
                throw StripeError.invalid("Invalid val: " + Params.abbreviate(e.getValue()) + " must be a string"
                        + " under " + Metadata.MAX_VALUE_LENGTH + " characters", param);
            }
        }
        // Removals ("") do not count: an update may remove some keys while it adds others.
        long set = changes.values().stream().filter(v -> !v.isEmpty()).count();
        if (set > Metadata.MAX_KEYS) {
            throw StripeError.invalid("Metadata can have up to " + Metadata.MAX_KEYS + " keys, but you've set " + set + ".",
                    param);
        }
        return new Metadata.Update(false, changes);
    }
}
