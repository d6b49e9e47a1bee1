package filesapi.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Caller;
import filesapi.core.Caller.Access;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.fakes.InMemoryApiKeyStore;
import filesapi.core.fakes.InMemoryConnectionStore;
import filesapi.core.fakes.SettableClock;
import org.junit.jupiter.api.Test;

/** Authenticating requests against keys and connections provisioned into the in-memory stores. */
class AuthenticatorStoresTest {
    private static final String SECRET = "sk_test_secret000000000000000001";
    private static final String LIVE = "sk_live_secret000000000000000001";
    private static final String PUBLISHABLE = "pk_test_publishable0000000000001";
    private static final String READ = "rk_test_read00000000000000000001";
    private static final String WRITE = "rk_test_write0000000000000000001";
    private static final String NONE = "rk_test_none00000000000000000001";
    private static final String PLATFORM = "acct_platform";
    private static final String CONNECTED = "acct_connected";

    private final InMemoryApiKeyStore keys = new InMemoryApiKeyStore();
    private final InMemoryConnectionStore connections = new InMemoryConnectionStore();
    private final ApiKeys provisioning = new ApiKeys(keys, connections, SettableClock.at(1_700_000_000L));
    private final Authenticator auth = new Authenticator(keys, connections);

    AuthenticatorStoresTest() {
        provisioning.register(SECRET, PLATFORM, null);
        provisioning.register(LIVE, PLATFORM, null);
        provisioning.register(PUBLISHABLE, PLATFORM, null);
        provisioning.register(READ, PLATFORM, Access.READ);
        provisioning.register(WRITE, PLATFORM, Access.WRITE);
        provisioning.register(NONE, PLATFORM, Access.NONE);
    }

    private Caller as(String key, Access needed) {
        return auth.authenticate("Bearer " + key, null, needed);
    }

    private Caller as(String key, String stripeAccount) {
        return auth.authenticate("Bearer " + key, stripeAccount, Access.WRITE);
    }

    @Test
    void aKeyStandsForItsAccountInItsMode() {
        assertEquals(new Caller(new Tenant(PLATFORM, false), Caller.KeyKind.SECRET, false), as(SECRET, Access.WRITE));
        assertEquals(new Caller(new Tenant(PLATFORM, true), Caller.KeyKind.SECRET, false), as(LIVE, Access.WRITE));
        assertEquals(Caller.KeyKind.PUBLISHABLE, as(PUBLISHABLE, Access.WRITE).kind(),
                "the pipeline, not the authenticator, decides what a publishable key may call");
    }

    @Test
    void unknownAndMalformedKeysAreRefusedMasked() {
        StripeError unknown = assertThrows(StripeError.class, () -> as("sk_test_unknown0000000000000000001",
                Access.READ));
        assertEquals(401, unknown.status());
        assertEquals("Invalid API Key provided: sk_test_" + "*".repeat(22) + "0001", unknown.getMessage());
        assertEquals(401, assertThrows(StripeError.class, () -> as("sk_prod_123456789", Access.READ)).status());
        assertEquals(401, assertThrows(StripeError.class, () -> as("xx_test_123456789", Access.READ)).status());
        assertEquals(401, assertThrows(StripeError.class, () -> as("sk_test_12345\u00e9789", Access.READ)).status());
    }

    @Test
    void aKeyWhoseStoredModeDiffersFromItsPrefixIsRefused() {
        String key = "sk_test_mismatch0000000000000001";
        keys.save(Authenticator.hash(key), new ApiKeyRecord(PLATFORM, true, Caller.KeyKind.SECRET, 1, Access.WRITE));
        assertEquals(401, assertThrows(StripeError.class, () -> as(key, Access.READ)).status());
    }

    @Test
    void restrictedKeysMayDoWhatTheirFilesPermissionSays() {
        assertEquals(Caller.KeyKind.RESTRICTED, as(READ, Access.READ).kind());
        assertEquals(Caller.KeyKind.RESTRICTED, as(WRITE, Access.WRITE).kind());
        assertEquals(Caller.KeyKind.RESTRICTED, as(WRITE, Access.READ).kind());
        StripeError readOnly = assertThrows(StripeError.class, () -> as(READ, Access.WRITE));
        assertEquals(403, readOnly.status());
        assertTrue(readOnly.getMessage().contains("'rak_file_write' permission"), readOnly.getMessage());
        assertTrue(readOnly.getMessage().contains("on account '" + PLATFORM + "'"), readOnly.getMessage());
        StripeError none = assertThrows(StripeError.class, () -> as(NONE, Access.READ));
        assertEquals(403, none.status());
        assertTrue(none.getMessage().contains("'rak_file_read' permission"), none.getMessage());
        assertFalse(none.getMessage().contains(NONE), "the key is masked");
    }

    @Test
    void aPlatformActsOnAConnectedAccountThroughStripeAccount() {
        provisioning.connect(PLATFORM, CONNECTED);
        assertEquals(new Caller(new Tenant(CONNECTED, false), Caller.KeyKind.SECRET, true), as(SECRET, CONNECTED));
        assertEquals(new Caller(new Tenant(CONNECTED, true), Caller.KeyKind.SECRET, true), as(LIVE, " " + CONNECTED));
        assertEquals(new Caller(new Tenant(PLATFORM, false), Caller.KeyKind.SECRET, false), as(SECRET, PLATFORM),
                "its own account is no connection");
        assertEquals(new Caller(new Tenant(PLATFORM, false), Caller.KeyKind.SECRET, false), as(SECRET, "  "));
        StripeError restricted = assertThrows(StripeError.class,
                () -> auth.authenticate("Bearer " + READ, CONNECTED, Access.WRITE));
        assertTrue(restricted.getMessage().contains("on account '" + CONNECTED + "'"), restricted.getMessage());
    }

    @Test
    void anAccountNotConnectedIsRefusedAlikeWhetherOrNotItExists() {
        provisioning.connect(PLATFORM, CONNECTED);
        for (String account : new String[] {"acct_stranger", "acct_", "not-an-account", "acct_a|b"}) {
            StripeError refused = assertThrows(StripeError.class, () -> as(SECRET, account));
            assertEquals(403, refused.status());
            assertEquals("account_invalid", refused.code());
        }
        String other = "sk_test_other0000000000000000001";
        provisioning.register(other, CONNECTED, null);
        assertEquals(403, assertThrows(StripeError.class, () -> as(other, PLATFORM)).status(),
                "a connection goes one way");
    }

    @Test
    void aFoundKeyIsCachedSoARevocationTakesAMomentToReachTheContainer() {
        as(SECRET, Access.WRITE);
        int lookups = keys.finds();
        assertTrue(provisioning.revoke(SECRET));
        assertEquals(PLATFORM, as(SECRET, Access.WRITE).tenant().account(), "cached for up to a minute");
        assertEquals(lookups, keys.finds(), "no second lookup");
        assertEquals(401, assertThrows(StripeError.class, () -> new Authenticator(keys, connections)
                .authenticate("Bearer " + SECRET, null, Access.READ)).status(), "a new container sees it gone");
    }

    @Test
    void aRefusedKeyIsNotCached() {
        String later = "sk_test_later0000000000000000001";
        assertEquals(401, assertThrows(StripeError.class, () -> as(later, Access.READ)).status());
        provisioning.register(later, PLATFORM, null);
        assertEquals(PLATFORM, as(later, Access.READ).tenant().account());
    }

    @Test
    void theCachedKeyKeepsItsPermission() {
        as(READ, Access.READ);
        assertEquals(403, assertThrows(StripeError.class, () -> as(READ, Access.WRITE)).status());
    }

    @Test
    void aFoundConnectionIsCachedAndARefusedOneIsNot() {
        assertEquals(403, assertThrows(StripeError.class, () -> as(SECRET, CONNECTED)).status());
        provisioning.connect(PLATFORM, CONNECTED);
        assertEquals(CONNECTED, as(SECRET, CONNECTED).tenant().account());
        int lookups = connections.lookups();
        assertTrue(provisioning.disconnect(PLATFORM, CONNECTED));
        assertEquals(CONNECTED, as(SECRET, CONNECTED).tenant().account(), "cached for up to a minute");
        assertEquals(lookups, connections.lookups());
    }
}
