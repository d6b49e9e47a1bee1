package filesapi.core;


/**
 * Who is calling: the tenant the key acts on and what kind of key it is; {@code viaPlatform} when a platform's key
 * acts on a connected account through {@code Stripe-Account}.
 */
public record Caller(Tenant tenant, KeyKind kind, boolean viaPlatform) {
    public enum KeyKind { SECRET, RESTRICTED, PUBLISHABLE }

    /** A restricted key's permission on Files (and File Links, which Stripe files under the same resource). */
    public enum Access {
        NONE, READ, WRITE;

        /** The permission spelled {@code none}, {@code read} or {@code write}; null for anything else. */
        public static Access named(String name) {
            for (Access a : values()) {
                if (a.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                    return a;
                }
            }
            return null;
        }
    }

    public static KeyKind kindOf(String key) {
        if (key.startsWith("sk_")) {
            return KeyKind.SECRET;
        }
        if (key.startsWith("rk_")) {
            return KeyKind.RESTRICTED;
        }
        if (key.startsWith("pk_")) {
            return KeyKind.PUBLISHABLE;
        }
        return null;
    }

    public static boolean isLiveKey(String key) {
        return key.length() > 8 && key.substring(3).startsWith("live_");
    }

    public static boolean isWellFormedKey(String key) {
        return kindOf(key) != null && (key.substring(3).startsWith("live_") || key.substring(3).startsWith("test_"))
                && key.length() > 8 && key.chars().allMatch(c -> c > 32 && c < 127);
    }
}
