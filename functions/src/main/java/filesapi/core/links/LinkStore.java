package filesapi.core.links;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import java.util.Optional;

public interface LinkStore {
    /** Stores a new link and its token together; fails with {@link IllegalStateException} if either exists. */
    void insert(LinkRecord link, FileRecord file);

    /**
     * Stores a new file (as {@link filesapi.core.files.FileStore#insert} does) and its first link in one step: both
     * or neither. Fails with {@link IllegalStateException} if the file, the link or its token exists.
     */
    void insertWithFile(LinkRecord link, FileRecord file);

    Optional<LinkRecord> find(Tenant tenant, String id);

    Optional<LinkTarget> findByToken(String token);

    /**
     * Writes {@code updated} if the stored link still has version {@code updated.version() - 1}; false if another
     * update came first.
     */
    boolean replace(LinkRecord updated);

    /**
     * Newest first; {@code fileId} may be null for all links; {@code expired} null for both, else only links whose
     * expiry state at {@code nowSeconds} matches.
     */
    Page<LinkRecord> list(Tenant tenant, String fileId, Boolean expired, long nowSeconds, ListWindow window);
}
