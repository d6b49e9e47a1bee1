package filesapi.core.fakes;

import filesapi.core.auth.ApiKeyRecord;
import filesapi.core.auth.ApiKeyStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link ApiKeyStore} in memory: a save replaces, a delete says whether there was a key. Counts lookups. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final Map<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();
    private final AtomicInteger finds = new AtomicInteger();

    @Override
    public Optional<ApiKeyRecord> find(String keyHash) {
        finds.incrementAndGet();
        return Optional.ofNullable(keys.get(keyHash));
    }

    @Override
    public void save(String keyHash, ApiKeyRecord key) {
        keys.put(keyHash, key);
    }

    @Override
    public boolean delete(String keyHash) {
        return keys.remove(keyHash) != null;
    }

    /** How many lookups were made, for tests of caching. */
    public int finds() {
        return finds.get();
    }
}
