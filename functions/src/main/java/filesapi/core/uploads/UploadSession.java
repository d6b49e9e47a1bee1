package filesapi.core.uploads;

import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRequest;
import java.util.Map;

/**
 * A direct upload: declared before the bytes go straight to S3 under {@code uploadKey}, then completed into a file.
 * Open until completed or failed, which is final; unusable after {@code expiresAt}, and gone from the table (its
 * TTL) a day later.
 *
 * @param link what {@code file_link_data} asked for, or null for no link
 */
public record UploadSession(
        String id,
        Tenant tenant,
        Purpose purpose,
        String filename,
        long size,
        long created,
        long expiresAt,
        String uploadKey,
        Status status,
        String fileId,
        Failure failure,
        LinkRequest link,
        Map<String, String> metadata,
        boolean uploadedByPlatform) {

    public enum Status {
        OPEN, COMPLETE, FAILED;

        public String wireName() {
            return name().toLowerCase();
        }

        public static Status fromWire(String value) {
            return valueOf(value.toUpperCase());
        }
    }

    /** Why a session failed, kept so completing again answers the same error. */
    public record Failure(int status, String type, String code, String param, String message) {
        public static Failure of(StripeError e) {
            return new Failure(e.status(), e.type(), e.code(), e.param(), e.getMessage());
        }

        public StripeError toError() {
            return new StripeError(status, type, code, param, message);
        }
    }

    /** How long after its expiry the table keeps a session (DynamoDB's TTL, and reads that check it). */
    public static final long KEPT_AFTER_EXPIRY_SECONDS = 86_400;

    /** Epoch seconds after which DynamoDB's TTL may delete the item; reads treat it as gone from then on. */
    public long ttl() {
        return expiresAt + KEPT_AFTER_EXPIRY_SECONDS;
    }

    public boolean isExpired(long nowSeconds) {
        return expiresAt <= nowSeconds;
    }

    public boolean isGone(long nowSeconds) {
        return ttl() <= nowSeconds;
    }

    public UploadSession completed(String fileId) {
        return new UploadSession(id, tenant, purpose, filename, size, created, expiresAt, uploadKey, Status.COMPLETE,
                fileId, null, link, metadata, uploadedByPlatform);
    }

    public UploadSession failed(StripeError error) {
        return new UploadSession(id, tenant, purpose, filename, size, created, expiresAt, uploadKey, Status.FAILED,
                null, Failure.of(error), link, metadata, uploadedByPlatform);
    }
}
