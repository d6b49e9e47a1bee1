package filesapi.core.files;

import filesapi.core.Tenant;

/** A stored file's metadata; its contents live in the blob store under {@code blobKey}. */
public record FileRecord(
        String id,
        Tenant tenant,
        Purpose purpose,
        FileType type,
        String contentType,
        long size,
        String filename,
        String title,
        long created,
        Long expiresAt,
        String blobKey,
        boolean uploadedByPlatform) {

    /** Whether its contents may be downloaded: by purpose, and identity documents only when a platform uploaded them. */
    public boolean downloadable() {
        return purpose.downloadable() || (purpose == Purpose.IDENTITY_DOCUMENT && uploadedByPlatform);
    }

    public boolean isExpired(long nowSeconds) {
        return expiresAt != null && expiresAt <= nowSeconds;
    }
}
