package filesapi.core.uploads;

import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.links.LinkRecord;
import java.util.Optional;

/** Where upload sessions are kept. */
public interface UploadSessionStore {
    /** Stores a new session; fails with {@link IllegalStateException} if the id is already taken. */
    void insert(UploadSession session);

    /** The session as last written (read consistently), whether or not its expiry or TTL has passed. */
    Optional<UploadSession> find(Tenant tenant, String id);

    /**
     * Marks an open session complete and stores its file, and the file's first {@code link} unless it is null, in one
     * step, so a file exists exactly when its session says complete, and with the link it was asked for.
     *
     * @return false, storing nothing, when the session is no longer open (another completion came first)
     */
    boolean complete(UploadSession completed, FileRecord file, LinkRecord link);

    /** Marks an open session failed; false, changing nothing, when it is no longer open. */
    boolean fail(UploadSession failed);
}
