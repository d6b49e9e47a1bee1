package filesapi.core.files;

import filesapi.core.Bytes;
import java.time.Duration;

/** File contents. Keys are chosen by the caller and carry the tenant. */
public interface BlobStore {
    void put(String key, Bytes contents, String contentType);

    /** The contents, or null when there is no such object. */
    byte[] get(String key);

    void delete(String key);

    /** A GET URL that works without credentials for {@code ttl} and sets the response's type and disposition. */
    String presignGet(String key, Duration ttl, String contentType, String contentDisposition);
}
