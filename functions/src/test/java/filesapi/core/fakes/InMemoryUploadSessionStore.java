package filesapi.core.fakes;

import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.links.LinkRecord;
import filesapi.core.uploads.UploadSession;
import filesapi.core.uploads.UploadSessionStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link UploadSessionStore} in memory, as DynamoUploadSessionStore behaves: ids are per tenant, a session leaves
 * {@code open} once, and completing it stores its file in {@code files} (and the file's first link in
 * {@code links}) in the same step.
 */
public final class InMemoryUploadSessionStore implements UploadSessionStore {
    private final Map<String, UploadSession> sessions = new HashMap<>();
    private final InMemoryFileStore files;
    private final InMemoryLinkStore links;

    public InMemoryUploadSessionStore(InMemoryFileStore files, InMemoryLinkStore links) {
        this.files = files;
        this.links = links;
    }

    private static String key(Tenant tenant, String id) {
        return tenant.key() + "|" + id;
    }

    @Override
    public synchronized void insert(UploadSession session) {
        if (sessions.putIfAbsent(key(session.tenant(), session.id()), session) != null) {
            throw new IllegalStateException("file upload id already exists: " + session.id());
        }
    }

    @Override
    public synchronized Optional<UploadSession> find(Tenant tenant, String id) {
        return Optional.ofNullable(sessions.get(key(tenant, id)));
    }

    @Override
    public synchronized boolean complete(UploadSession completed, FileRecord file, LinkRecord link) {
        if (!isOpen(completed)) {
            return false;
        }
        if (link == null) {
            files.insert(file);
        } else {
            links.insertWithFile(link, file);
        }
        sessions.put(key(completed.tenant(), completed.id()), completed);
        return true;
    }

    @Override
    public synchronized boolean fail(UploadSession failed) {
        if (!isOpen(failed)) {
            return false;
        }
        sessions.put(key(failed.tenant(), failed.id()), failed);
        return true;
    }

    private boolean isOpen(UploadSession session) {
        UploadSession stored = sessions.get(key(session.tenant(), session.id()));
        return stored != null && stored.status() == UploadSession.Status.OPEN;
    }
}
