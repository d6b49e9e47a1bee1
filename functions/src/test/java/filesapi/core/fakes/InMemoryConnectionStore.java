package filesapi.core.fakes;

import filesapi.core.auth.ConnectionStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ConnectionStore} in memory: a connection goes one way (the platform may act on the account, not the
 * reverse); connecting again changes nothing. Counts lookups.
 */
public final class InMemoryConnectionStore implements ConnectionStore {
    private final Map<String, Long> connections = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();

    private static String key(String platform, String account) {
        return platform + "|" + account;
    }

    @Override
    public boolean isConnected(String platform, String account) {
        lookups.incrementAndGet();
        return connections.containsKey(key(platform, account));
    }

    @Override
    public void connect(String platform, String account, long createdSeconds) {
        connections.put(key(platform, account), createdSeconds);
    }

    @Override
    public boolean disconnect(String platform, String account) {
        return connections.remove(key(platform, account)) != null;
    }

    /** How many lookups were made, for tests of caching. */
    public int lookups() {
        return lookups.get();
    }
}
