package filesapi.core.auth;

import filesapi.core.Caller;
import filesapi.core.Ids;
import java.time.Clock;

/**
 * Provisioning: API keys (stored only as their SHA-256) and Connect connections. Used by {@link KeysCommand} against
 * a deployed table and by the local server to seed its configured keys.
 */
public final class ApiKeys {
    private final ApiKeyStore keys;
    private final ConnectionStore connections;
    private final Clock clock;

    public ApiKeys(ApiKeyStore keys, ConnectionStore connections, Clock clock) {
        this.keys = keys;
        this.connections = connections;
        this.clock = clock;
    }

    /**
     * Makes a new key (190 random bits) for {@code account} and returns it; only its hash is kept.
     *
     * @param files a restricted key's permission on files; null for secret and publishable keys
     */
    public String create(String account, boolean livemode, Caller.KeyKind kind, Caller.Access files) {
        String prefix = switch (kind) {
            case SECRET -> "sk_";
            case RESTRICTED -> "rk_";
            case PUBLISHABLE -> "pk_";
        };
        String key = prefix + (livemode ? "live_" : "test_") + Ids.token(32);
        register(key, account, files);
        return key;
    }

    /** Stores an existing key (its mode and kind from its prefix), e.g. one a test suite or sample event uses. */
    public void register(String key, String account, Caller.Access files) {
        requireAccount(account);
        if (key == null || !Caller.isWellFormedKey(key)) {
            throw new IllegalArgumentException("a key looks like sk_test_..., sk_live_..., rk_... or pk_...");
        }
        if (isPlaceholder(key)) {
            throw new IllegalArgumentException("'" + key + "' is a placeholder, not a key: after sk_test_ (or"
                    + " sk_live_, rk_..., pk_...) a key has letters and digits, such as the one `keys create` prints");
        }
        Caller.KeyKind kind = Caller.kindOf(key);
        if ((kind == Caller.KeyKind.RESTRICTED) != (files != null)) {
            throw new IllegalArgumentException(kind == Caller.KeyKind.RESTRICTED
                    ? "a restricted key needs its Files permission: none, read or write"
                    : "only restricted keys (rk_...) take a Files permission");
        }
        keys.save(Authenticator.hash(key), new ApiKeyRecord(account, Caller.isLiveKey(key),
                kind, clock.instant().getEpochSecond(),
                files == null ? Caller.Access.WRITE : files));
    }

    /**
     * A key copied from documentation rather than from a dashboard: nothing after the mode, a character no key has
     * ({@code sk_test_...}, {@code <your key>}, {@code {KEY}}), or nothing but x's.
     */
    static boolean isPlaceholder(String key) {
        String secret = key.substring("sk_test_".length());
        return !secret.matches("[A-Za-z0-9_]+") || secret.matches("[xX]+");
    }

    /** False when the key was not stored. Containers that cached it stop accepting it within a minute. */
    public boolean revoke(String key) {
        return keys.delete(Authenticator.hash(key));
    }

    public void connect(String platform, String account) {
        requireAccount(platform);
        requireAccount(account);
        if (platform.equals(account)) {
            throw new IllegalArgumentException("an account cannot be connected to itself");
        }
        connections.connect(platform, account, clock.instant().getEpochSecond());
    }

    public boolean disconnect(String platform, String account) {
        return connections.disconnect(platform, account);
    }

    private static void requireAccount(String account) {
        if (!Ids.looksLike(account, "acct_")) {
            throw new IllegalArgumentException("an account id looks like acct_ followed by letters, digits or underscores; got '"
                    + account + "'");
        }
    }
}
