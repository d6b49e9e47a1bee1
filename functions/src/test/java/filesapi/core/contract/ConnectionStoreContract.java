package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.auth.ConnectionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ConnectionStore} does: the fake, and DynamoConnectionStore on each backend. */
public abstract class ConnectionStoreContract {
    /** The store under test; it may share its table with other tests, which use other accounts. */
    protected abstract ConnectionStore newStore();

    protected ConnectionStore store;
    protected String platform;
    protected String account;

    @BeforeEach
    public void setUpStore() {
        store = newStore();
        platform = Fixtures.tenant().account();
        account = Fixtures.tenant().account();
    }

    @Test
    public void aConnectionLetsThePlatformActOnTheAccountOnly() {
        assertFalse(store.isConnected(platform, account));
        store.connect(platform, account, 1_700_000_000L);
        assertTrue(store.isConnected(platform, account));
        assertFalse(store.isConnected(account, platform), "a connection goes one way");
        assertFalse(store.isConnected(platform, Fixtures.tenant().account()));
        assertFalse(store.isConnected(Fixtures.tenant().account(), account));
    }

    @Test
    public void connectingAgainChangesNothingAndOneDisconnectEndsIt() {
        store.connect(platform, account, 1_700_000_000L);
        store.connect(platform, account, 1_700_000_100L);
        assertTrue(store.isConnected(platform, account));
        assertTrue(store.disconnect(platform, account));
        assertFalse(store.isConnected(platform, account));
        assertFalse(store.disconnect(platform, account), "nothing left to disconnect");
    }

    @Test
    public void disconnectingSaysWhetherThereWasAConnection() {
        String other = Fixtures.tenant().account();
        store.connect(platform, account, 1);
        store.connect(platform, other, 1);
        assertFalse(store.disconnect(account, platform));
        assertTrue(store.disconnect(platform, other));
        assertTrue(store.isConnected(platform, account), "only that connection");
    }
}
