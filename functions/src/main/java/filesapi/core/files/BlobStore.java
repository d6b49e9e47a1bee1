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

    /**
     * A PUT URL that works without credentials for {@code ttl} and takes exactly {@code contentLength} bytes: the
     * length is a signed header, so a request with any other Content-Length fails the signature.
     */
    String presignPut(String key, long contentLength, Duration ttl);

    /** The object's size (a HEAD), or null when there is no such object. */
    Long size(String key);

    /** Up to {@code length} bytes from {@code offset} (a ranged GET); fewer where the object ends first. */
    byte[] getRange(String key, long offset, int length);

    /** Copies an object of {@code size} bytes within the store, on its side, giving the copy {@code contentType}. */
    void copy(String fromKey, String toKey, long size, String contentType);
}
