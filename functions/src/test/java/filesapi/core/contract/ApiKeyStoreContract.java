package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.auth.ApiKeyRecord;
import filesapi.core.auth.ApiKeyStore;
import filesapi.core.auth.Authenticator;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyStore} does: the fake, and DynamoApiKeyStore on each backend. */
public abstract class ApiKeyStoreContract {
    /** The store under test; it may share its table with other tests, which use other keys. */
    protected abstract ApiKeyStore newStore();

    protected ApiKeyStore store;

    @BeforeEach
    public void setUpStore() {
        store = newStore();
    }

    private static String hash() {
        return Authenticator.hash("sk_test_" + Ids.token(32));
    }

    @Test
    public void aKeyReadsBackAsItWasSaved() {
        String account = Fixtures.tenant().account();
        for (Caller.KeyKind kind : Caller.KeyKind.values()) {
            for (Caller.Access access : Caller.Access.values()) {
                for (boolean live : new boolean[] {false, true}) {
                    String hash = hash();
                    ApiKeyRecord key = new ApiKeyRecord(account, live, kind, 1_700_000_000L, access);
                    store.save(hash, key);
                    assertEquals(Optional.of(key), store.find(hash));
                }
            }
        }
    }

    @Test
    public void anUnknownKeyFindsNothing() {
        assertEquals(Optional.empty(), store.find(hash()));
    }

    @Test
    public void aSaveReplacesTheKey() {
        String hash = hash();
        String account = Fixtures.tenant().account();
        store.save(hash, new ApiKeyRecord(account, false, Caller.KeyKind.RESTRICTED, 1, Caller.Access.WRITE));
        ApiKeyRecord narrowed = new ApiKeyRecord(account, false, Caller.KeyKind.RESTRICTED, 2, Caller.Access.READ);
        store.save(hash, narrowed);
        assertEquals(Optional.of(narrowed), store.find(hash));
    }

    @Test
    public void aDeleteSaysWhetherThereWasAKey() {
        String hash = hash();
        store.save(hash, new ApiKeyRecord(Fixtures.tenant().account(), false, Caller.KeyKind.SECRET, 1,
                Caller.Access.WRITE));
        String other = hash();
        store.save(other, new ApiKeyRecord(Fixtures.tenant().account(), false, Caller.KeyKind.SECRET, 1,
                Caller.Access.WRITE));
        assertTrue(store.delete(hash));
        assertEquals(Optional.empty(), store.find(hash));
        assertFalse(store.delete(hash));
        assertFalse(store.delete(hash()));
        assertTrue(store.find(other).isPresent(), "only that key");
    }
}
