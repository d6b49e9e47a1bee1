package filesapi.core.files;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import java.util.Optional;

public interface FileStore {
    /** Stores a new file; fails with {@link IllegalStateException} if the id is already taken. */
    void insert(FileRecord file);

    Optional<FileRecord> find(Tenant tenant, String id);

    /** Newest first; {@code purpose} may be null for all purposes. */
    Page<FileRecord> list(Tenant tenant, String purpose, ListWindow window);
}
