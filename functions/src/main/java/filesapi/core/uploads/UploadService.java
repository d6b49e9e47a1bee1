package filesapi.core.uploads;

import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.files.BlobStore;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkRequest;
import filesapi.core.links.LinkService;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Direct uploads, for files past what a request through API Gateway and Lambda can carry: a session hands out a
 * presigned PUT for exactly the declared size under {@link #UPLOAD_PREFIX}; completing it checks the object with a
 * HEAD and a few ranged GETs by the rules {@code POST /v1/files} applies, copies it to the file's own key, and writes
 * the file and the session's outcome in one transaction. A failed check deletes the object; what is never completed
 * is removed by the bucket's lifecycle rule and the table's TTL.
 */
public final class UploadService {
    /** Uploaded objects wait here; the completing function may read nothing else. */
    public static final String UPLOAD_PREFIX = "uploads/";
    /** How long a session can be completed. */
    public static final Duration SESSION_LIFETIME = Duration.ofHours(1);
    /** The longest a handed-out upload URL lives; never past the session's expiry. */
    public static final Duration UPLOAD_URL_LIFETIME = Duration.ofMinutes(10);

    private final UploadSessionStore sessions;
    private final FileService files;
    private final LinkService links;
    private final BlobStore blobs;
    private final Clock clock;

    public UploadService(UploadSessionStore sessions, FileService files, LinkService links, BlobStore blobs,
                         Clock clock) {
        this.sessions = sessions;
        this.files = files;
        this.links = links;
        this.blobs = blobs;
        this.clock = clock;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    /** What {@code POST /v1/file_uploads} asks for, parsed; {@link #checkCreate} says whether it may be had. */
    public record CreateRequest(String purpose, String filename, Long size, LinkRequest link,
                                Map<String, String> metadata) {}

    /** Every refusal of a session, before anything is stored: purpose, size against the purpose's limit, link. */
    public Purpose checkCreate(Caller caller, CreateRequest request) {
        Purpose purpose = FileService.uploadablePurpose(request.purpose());
        if (request.size() == null) {
            throw StripeError.missingParam("size");
        }
        if (request.size() < 0) {
            throw StripeError.invalid("Invalid size: must be the file's size in bytes, a positive integer.", "size");
        }
        FileService.checkSize(purpose, request.size(), Long.MAX_VALUE, "size");
        if (request.link() != null) {
            LinkService.requireLinkingKey(caller);
            LinkService.requireLinkable(purpose, "file_link_data[create]");
            links.requireFuture(request.link().expiresAt(), "file_link_data[expires_at]");
        }
        return purpose;
    }

    public UploadSession create(Caller caller, CreateRequest request) {
        Purpose purpose = checkCreate(caller, request);
        long nowMillis = clock.millis();
        long created = nowMillis / 1000;
        String id = Ids.newId("fupl_", nowMillis);
        Tenant tenant = caller.tenant();
        UploadSession session = new UploadSession(id, tenant, purpose,
                FileService.cleanFilename(request.filename()), request.size(), created,
                created + SESSION_LIFETIME.toSeconds(), uploadKey(tenant, id), UploadSession.Status.OPEN, null, null,
                request.link(), Map.copyOf(request.metadata()), caller.viaPlatform());
        sessions.insert(session);
        return session;
    }

    public static String uploadKey(Tenant tenant, String id) {
        return UPLOAD_PREFIX + tenant.account() + "/" + (tenant.livemode() ? "live" : "test") + "/" + id;
    }

    /** A session that exists for this tenant and whose TTL has not passed (DynamoDB deletes expired items late). */
    public Optional<UploadSession> find(Tenant tenant, String id) {
        if (!Ids.looksLike(id, "fupl_")) {
            return Optional.empty();
        }
        long now = now();
        return sessions.find(tenant, id).filter(s -> !s.isGone(now));
    }

    public UploadSession retrieve(Tenant tenant, String id) {
        return find(tenant, id).orElseThrow(() -> StripeError.resourceMissing("file upload", "file_upload", id));
    }

    /** Where and how an open session's bytes go: a URL signed now, living until the session expires at most. */
    public record UploadUrl(String url, long expiresAt) {}

    public UploadUrl uploadUrl(UploadSession session) {
        long now = now();
        if (session.status() != UploadSession.Status.OPEN || session.isExpired(now)) {
            return null;
        }
        long ttl = Math.min(UPLOAD_URL_LIFETIME.toSeconds(), session.expiresAt() - now);
        return new UploadUrl(blobs.presignPut(session.uploadKey(), session.size(), Duration.ofSeconds(ttl)), now + ttl);
    }

    /**
     * Completes a session: the same answer however often it is asked once it is complete or failed. An object that
     * is not there yet is refused without changing the session, so the client may still upload it.
     */
    public UploadSession complete(Caller caller, String id, String requestId) {
        UploadSession session = retrieve(caller.tenant(), id);
        if (session.status() != UploadSession.Status.OPEN) {
            return session;
        }
        try {
            return completeOpen(caller, session, requestId);
        } catch (RuntimeException e) {
            // A completion racing this one may have finished the session and deleted the upload under our reads.
            UploadSession now = retrieve(caller.tenant(), id);
            if (now.status() != UploadSession.Status.OPEN) {
                return now;
            }
            throw e;
        }
    }

    private UploadSession completeOpen(Caller caller, UploadSession session, String requestId) {
        String id = session.id();
        if (session.isExpired(now())) {
            return fail(session, StripeError.invalid("This file upload expired at " + session.expiresAt()
                    + " before it was completed. Create a new file upload and upload the file again.",
                    "file_upload"), requestId);
        }
        Long uploaded = blobs.size(session.uploadKey());
        if (uploaded == null) {
            throw StripeError.invalid("Nothing has been uploaded to this file upload yet. PUT the file's "
                    + session.size() + " bytes to its upload_url, then complete it.", "file_upload");
        }
        Purpose purpose = session.purpose();
        FileType type;
        try {
            if (uploaded != session.size()) {
                throw StripeError.invalid("The uploaded file is " + uploaded + " bytes, but this file upload was"
                        + " created for " + session.size() + " bytes.", "size");
            }
            type = FileService.checkContents(purpose, new RangedObject(blobs, session.uploadKey(), uploaded), null,
                    session.filename(), "file");
            if (session.link() != null) {
                links.requireFuture(session.link().expiresAt(), "file_link_data[expires_at]");
            }
        } catch (StripeError refused) {
            return fail(session, refused, requestId);
        }
        Caller owner = new Caller(session.tenant(), caller.kind(), session.uploadedByPlatform());
        FileRecord file = files.newRecord(owner, purpose, type, session.filename(), uploaded);
        blobs.copy(session.uploadKey(), file.blobKey(), uploaded, file.contentType());
        UploadSession completed = session.completed(file.id());
        LinkRecord link = session.link() == null ? null
                : links.newLink(file, session.link().expiresAt(), session.link().metadata());
        boolean won;
        try {
            won = sessions.complete(completed, file, link);
        } catch (RuntimeException e) {
            deleteQuietly(file.blobKey(), requestId);
            throw e;
        }
        if (!won) {
            deleteQuietly(file.blobKey(), requestId);
            return retrieve(caller.tenant(), id);
        }
        deleteQuietly(session.uploadKey(), requestId);
        return completed;
    }

    private UploadSession fail(UploadSession session, StripeError why, String requestId) {
        UploadSession failed = session.failed(why);
        boolean won = sessions.fail(failed);
        deleteQuietly(session.uploadKey(), requestId);
        return won ? failed : retrieve(session.tenant(), session.id());
    }

    /** Nothing is left behind on purpose; what a failure here leaves, the lifecycle rule removes. */
    private void deleteQuietly(String key, String requestId) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            Log.error(requestId, "could not delete an upload's object", e, "blob_key", key);
        }
    }
}
