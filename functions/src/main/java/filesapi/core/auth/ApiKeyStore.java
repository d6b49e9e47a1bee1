package filesapi.core.auth;

import java.util.Optional;

public interface ApiKeyStore {
    Optional<ApiKeyRecord> find(String keyHash);

    void save(String keyHash, ApiKeyRecord key);

    boolean delete(String keyHash);
}
