package filesapi.core.links;

import filesapi.core.Tenant;
import java.util.Map;

/** A file link. {@code version} increases on every update, for optimistic concurrency. */
public record LinkRecord(
        String id,
        Tenant tenant,
        String fileId,
        long created,
        Long expiresAt,
        Map<String, String> metadata,
        String token,
        long version) {

    public boolean isExpired(long nowSeconds) {
        return expiresAt != null && expiresAt <= nowSeconds;
    }

    public LinkRecord withChanges(Long newExpiresAt, Map<String, String> newMetadata) {
        return new LinkRecord(id, tenant, fileId, created, newExpiresAt, Map.copyOf(newMetadata), token, version + 1);
    }
}
