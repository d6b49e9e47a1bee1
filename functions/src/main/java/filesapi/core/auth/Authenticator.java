package filesapi.core.auth;

import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the API key of a request (HTTP Basic with the key as user name, or Bearer) to a tenant. Keys are looked
 * up by their SHA-256; a found key (and a found Connect connection) is cached in the container for
 * {@link #CACHE_NANOS}, so revoking one takes effect within that time.
 */
public final class Authenticator {
    static final long CACHE_NANOS = 60_000_000_000L;
    private static final int CACHE_MAX = 10_000;

    private final ApiKeyStore keys;
    private final ConnectionStore connections;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, Long> connectedUntil = new ConcurrentHashMap<>();

    private record Cached(ApiKeyRecord key, long until) {}

    public Authenticator(ApiKeyStore keys, ConnectionStore connections) {
        this.keys = keys;
        this.connections = connections;
    }

    /**
     * The caller an {@code Authorization} header (and a {@code Stripe-Account} header, which may be null) stands for,
     * if its key may make a request that needs {@code needed}.
     */
    public Caller authenticate(String authorization, String stripeAccount, Caller.Access needed) {
        String key = keyOf(authorization);
        Caller.KeyKind kind = Caller.kindOf(key);
        if (!Caller.isWellFormedKey(key)) {
            throw invalidKey(key);
        }
        String hash = hash(key);
        long now = System.nanoTime();
        Cached cached = cache.get(hash);
        ApiKeyRecord record;
        if (cached != null && cached.until - now > 0) {
            record = cached.key;
        } else {
            Optional<ApiKeyRecord> found = keys.find(hash);
            if (found.isEmpty() || found.get().livemode() != Caller.isLiveKey(key)) {
                cache.remove(hash);
                throw invalidKey(key);
            }
            record = found.get();
            if (cache.size() >= CACHE_MAX) {
                cache.clear();
            }
            cache.put(hash, new Cached(record, now + CACHE_NANOS));
        }
        String account = connectedAccount(stripeAccount, record.account(), key, now);
        if (record.files().compareTo(needed) < 0) {
            throw StripeError.forbidden("The provided key '" + mask(key) + "' does not have the required permissions"
                    + " for this endpoint on account '" + account + "'. Having the 'rak_file_"
                    + needed.name().toLowerCase(Locale.ROOT) + "' permission would allow this request to continue.");
        }
        return new Caller(new Tenant(account, record.livemode()), kind, !account.equals(record.account()));
    }

    /**
     * {@code Stripe-Account: acct_...} makes a platform's key act on a connected account. An account that is not
     * connected to the key's account gets the same refusal whether or not it exists.
     */
    private String connectedAccount(String header, String keyAccount, String key, long now) {
        if (header == null || header.isBlank() || header.trim().equals(keyAccount)) {
            return keyAccount;
        }
        String account = header.trim();
        String pair = keyAccount + "|" + account;
        Long until = connectedUntil.get(pair);
        if (until != null && until - now > 0) {
            return account;
        }
        if (!Ids.looksLike(account, "acct_") || !connections.isConnected(keyAccount, account)) {
            throw new StripeError(403, StripeError.INVALID_REQUEST, "account_invalid", null, "The provided key '"
                    + mask(key) + "' does not have access to account '" + account + "' (or that account does not"
                    + " exist). Application access may have been revoked.");
        }
        if (connectedUntil.size() >= CACHE_MAX) {
            connectedUntil.clear();
        }
        connectedUntil.put(pair, now + CACHE_NANOS);
        return account;
    }

    static String keyOf(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw StripeError.unauthorized("You did not provide an API key. You need to provide your API key in the"
                    + " Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See"
                    + " https://stripe.com/docs/api#authentication for details, or we can help at"
                    + " https://support.stripe.com/.");
        }
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String credentials = space < 0 ? "" : value.substring(space + 1).trim();
        String key;
        if (scheme.equalsIgnoreCase("Bearer")) {
            key = credentials;
        } else if (scheme.equalsIgnoreCase("Basic")) {
            key = basicUser(credentials);
        } else {
            throw StripeError.unauthorized("Invalid API Key provided: " + mask(value) + ". The Authorization header"
                    + " must use Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY') or Basic auth with the"
                    + " key as the user name.");
        }
        if (key.isEmpty() || key.equals("null")) {
            throw StripeError.unauthorized("You did not provide an API key, though you did set your Authorization"
                    + " header to \"" + (key.isEmpty() ? "null" : key) + "\". Using Bearer auth, your Authorization"
                    + " header should look something like 'Authorization: Bearer YOUR_SECRET_KEY'. See"
                    + " https://stripe.com/docs/api#authentication for details, or we can help at"
                    + " https://support.stripe.com/.");
        }
        return key;
    }

    /** Basic credentials are base64 of "key:"; a bare key is accepted too, as Stripe's OpenAPI document says. */
    private static String basicUser(String credentials) {
        if (Caller.kindOf(credentials) != null) {
            return credentials;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? decoded : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            throw StripeError.unauthorized("Invalid API Key provided: " + mask(credentials));
        }
    }

    private static StripeError invalidKey(String key) {
        return StripeError.unauthorized("Invalid API Key provided: " + mask(key));
    }

    /** Stripe's masking: the key's prefix, stars, and its last four characters. */
    static String mask(String key) {
        int prefix = key.startsWith("sk_") || key.startsWith("rk_") || key.startsWith("pk_")
                ? Math.min(key.indexOf('_', 3) + 1, key.length()) : 0;
        if (prefix <= 0) {
            prefix = 0;
        }
        if (key.length() <= prefix + 4) {
            return "*".repeat(key.length());
        }
        return key.substring(0, prefix) + "*".repeat(key.length() - prefix - 4) + key.substring(key.length() - 4);
    }

    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
