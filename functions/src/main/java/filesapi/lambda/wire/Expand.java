package filesapi.lambda.wire;

import filesapi.core.StripeError;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code expand[]} validation, shared by every endpoint: each endpoint names the dotted paths it can expand, and
 * anything else is refused with Stripe's message naming the property.
 */
public final class Expand {
    static final int MAX_DEPTH = 4;

    private Expand() {}

    /** Paths an object allows, re-rooted under {@code data.} for a list of that object. */
    public static Set<String> underData(Set<String> objectPaths) {
        Set<String> paths = new LinkedHashSet<>();
        for (String p : objectPaths) {
            paths.add("data." + p);
        }
        return paths;
    }

    public static Set<String> parse(Params params, Set<String> allowed, boolean listEndpoint) {
        List<String> requested = params.stringList("expand");
        Set<String> result = new LinkedHashSet<>();
        for (String path : requested) {
            String[] parts = path.split("\\.", -1);
            if (parts.length > MAX_DEPTH) {
                throw StripeError.invalid("You cannot expand more than " + MAX_DEPTH + " levels of a property.",
                        "expand");
            }
            if (!isAllowed(path, allowed)) {
                String failing = firstFailingSegment(parts, allowed);
                String hint = listEndpoint && !path.startsWith("data.") && isAllowed("data." + path, allowed)
                        ? " You may want to try expanding 'data." + path + "' instead." : "";
                throw StripeError.invalid("This property cannot be expanded (" + failing + ")." + hint, "expand");
            }
            result.add(path);
        }
        return result;
    }

    private static boolean isAllowed(String path, Set<String> allowed) {
        for (String a : allowed) {
            if (a.equals(path) || a.startsWith(path + ".")) {
                return true;
            }
        }
        return false;
    }

    private static String firstFailingSegment(String[] parts, Set<String> allowed) {
        StringBuilder prefix = new StringBuilder();
        for (String part : parts) {
            if (prefix.length() > 0) {
                prefix.append('.');
            }
            prefix.append(part);
            if (!isAllowed(prefix.toString(), allowed)) {
                return part;
            }
        }
        return parts[parts.length - 1];
    }
}
