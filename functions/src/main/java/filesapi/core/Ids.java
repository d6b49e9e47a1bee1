package filesapi.core;

import java.security.SecureRandom;

/**
 * Object ids look like Stripe's: a prefix and 24 alphanumerics. The first 8 characters encode the creation time in
 * milliseconds, so ids sort by creation within a second; the other 16 are random (about 95 bits).
 */
public final class Ids {
    private static final char[] ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    // Replaced after a SnapStart restore, so environments restored from one snapshot never share random state.
    private static volatile SecureRandom random = new SecureRandom();

    private Ids() {}

    public static String newId(String prefix, long epochMillis) {
        StringBuilder sb = new StringBuilder(prefix.length() + 24).append(prefix);
        char[] time = new char[8];
        long t = Math.max(0, epochMillis);
        for (int i = 7; i >= 0; i--) {
            time[i] = ALPHABET[(int) (t % 62)];
            t /= 62;
        }
        sb.append(time);
        appendRandom(sb, 16);
        return sb.toString();
    }

    public static String requestId() {
        return appendRandom(new StringBuilder("req_"), 14).toString();
    }

    /** A URL-safe random token of {@code chars} base-62 characters (5.95 bits each). */
    public static String token(int chars) {
        return appendRandom(new StringBuilder(chars), chars).toString();
    }

    public static void reseed() {
        random = new SecureRandom();
    }

    /**
     * Draws all the bytes a string needs in one call, since each SecureRandom call costs about as much as a whole
     * small draw. Bytes of 248 or more are skipped, so {@code b % 62} stays uniform (248 = 4 * 62).
     */
    private static StringBuilder appendRandom(StringBuilder sb, int count) {
        byte[] bytes = new byte[count + count / 4 + 4];
        int next = bytes.length;
        for (int appended = 0; appended < count; ) {
            if (next == bytes.length) {
                random.nextBytes(bytes);
                next = 0;
            }
            int b = bytes[next++] & 0xFF;
            if (b < 4 * ALPHABET.length) {
                sb.append(ALPHABET[b % ALPHABET.length]);
                appended++;
            }
        }
        return sb;
    }

    /** True when {@code id} has the given prefix and Stripe's id alphabet; used to reject junk before a lookup. */
    public static boolean looksLike(String id, String prefix) {
        if (id == null || !id.startsWith(prefix) || id.length() > 255 || id.length() == prefix.length()) {
            return false;
        }
        for (int i = prefix.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
