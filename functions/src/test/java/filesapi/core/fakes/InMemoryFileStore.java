package filesapi.core.fakes;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link FileStore} in memory, as DynamoFileStore behaves: ids are per tenant, files never change. */
public final class InMemoryFileStore implements FileStore {
    private final Map<String, FileRecord> files = new HashMap<>();

    private static String key(Tenant tenant, String id) {
        return tenant.key() + "|" + id;
    }

    @Override
    public synchronized void insert(FileRecord file) {
        String key = key(file.tenant(), file.id());
        if (files.containsKey(key)) {
            throw new IllegalStateException("file id already exists: " + file.id());
        }
        files.put(key, file);
    }

    @Override
    public synchronized Optional<FileRecord> find(Tenant tenant, String id) {
        return Optional.ofNullable(files.get(key(tenant, id)));
    }

    @Override
    public synchronized Page<FileRecord> list(Tenant tenant, String purpose, ListWindow window) {
        List<FileRecord> mine = files.values().stream()
                .filter(f -> f.tenant().equals(tenant))
                .filter(f -> purpose == null || f.purpose().wireName().equals(purpose))
                .toList();
        return InMemoryLists.page(mine, window, FileRecord::created, FileRecord::id, null);
    }

    /** Every file stored, for assertions. */
    public synchronized List<FileRecord> all() {
        return List.copyOf(files.values());
    }
}
