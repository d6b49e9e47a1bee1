package filesapi.core.fakes;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkStore;
import filesapi.core.links.LinkTarget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link LinkStore} in memory, as DynamoLinkStore behaves: link ids are per tenant, tokens are global; a token keeps
 * what opening it needs (the link's expiry, the file's expiry, key, type and name); a replace succeeds only over the
 * version just before it, and updates the token's expiry with the link. A file stored with its first link goes to
 * {@code files}, in the same step as the link.
 */
public final class InMemoryLinkStore implements LinkStore {
    private final Map<String, LinkRecord> links = new HashMap<>();
    private final Map<String, LinkTarget> tokens = new HashMap<>();
    private final InMemoryFileStore files;

    public InMemoryLinkStore(InMemoryFileStore files) {
        this.files = files;
    }

    private static String key(Tenant tenant, String id) {
        return tenant.key() + "|" + id;
    }

    @Override
    public synchronized void insert(LinkRecord link, FileRecord file) {
        requireNew(link);
        put(link, file);
    }

    @Override
    public synchronized void insertWithFile(LinkRecord link, FileRecord file) {
        requireNew(link);
        files.insert(file);
        put(link, file);
    }

    private void requireNew(LinkRecord link) {
        if (links.containsKey(key(link.tenant(), link.id())) || tokens.containsKey(link.token())) {
            throw new IllegalStateException("link id or token already exists: " + link.id());
        }
    }

    private void put(LinkRecord link, FileRecord file) {
        links.put(key(link.tenant(), link.id()), link);
        tokens.put(link.token(), new LinkTarget(link.expiresAt(), file.expiresAt(), file.blobKey(),
                file.contentType(), file.filename()));
    }

    @Override
    public synchronized Optional<LinkRecord> find(Tenant tenant, String id) {
        return Optional.ofNullable(links.get(key(tenant, id)));
    }

    @Override
    public synchronized Optional<LinkTarget> findByToken(String token) {
        return Optional.ofNullable(tokens.get(token));
    }

    @Override
    public synchronized boolean replace(LinkRecord updated) {
        String key = key(updated.tenant(), updated.id());
        LinkRecord current = links.get(key);
        if (current == null || current.version() != updated.version() - 1) {
            return false;
        }
        links.put(key, updated);
        LinkTarget t = tokens.get(updated.token());
        if (t != null) {
            tokens.put(updated.token(), new LinkTarget(updated.expiresAt(), t.fileExpiresAt(), t.blobKey(),
                    t.contentType(), t.filename()));
        }
        return true;
    }

    @Override
    public synchronized Page<LinkRecord> list(Tenant tenant, String fileId, Boolean expired, long nowSeconds,
                                              ListWindow window) {
        List<LinkRecord> mine = links.values().stream()
                .filter(l -> l.tenant().equals(tenant))
                .filter(l -> fileId == null || l.fileId().equals(fileId))
                .toList();
        return InMemoryLists.page(mine, window, LinkRecord::created, LinkRecord::id,
                expired == null ? null : l -> l.isExpired(nowSeconds) == expired);
    }

    /** Every link stored, for assertions. */
    public synchronized List<LinkRecord> all() {
        return List.copyOf(links.values());
    }
}
