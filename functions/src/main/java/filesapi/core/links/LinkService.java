package filesapi.core.links;

import filesapi.core.Caller;
import filesapi.core.ContentDisposition;
import filesapi.core.Ids;
import filesapi.core.ListRequest;
import filesapi.core.ListWindow;
import filesapi.core.Metadata;
import filesapi.core.Page;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.files.BlobStore;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.Purpose;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Creating, updating, reading and opening file links. Whether a link has expired is always computed from the clock. */
public final class LinkService {
    /** 32 base-62 characters: about 190 random bits. */
    public static final int TOKEN_CHARS = 32;
    static final int MAX_UPDATE_ATTEMPTS = 25;
    /** Links embedded in a file object. */
    public static final int EMBEDDED_LINKS = 10;

    private final LinkStore links;
    private final FileService files;
    private final BlobStore blobs;
    private final Clock clock;
    private final Duration redirectTtl;

    public LinkService(LinkStore links, FileService files, BlobStore blobs, Clock clock, Duration redirectTtl) {
        this.links = links;
        this.files = files;
        this.blobs = blobs;
        this.clock = clock;
        this.redirectTtl = redirectTtl;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    /** What {@code expires_at} asks for on update: leave it, clear it, expire the link now, or set a time. */
    public sealed interface ExpiryChange {
        record Keep() implements ExpiryChange {}
        record Clear() implements ExpiryChange {}
        record Now() implements ExpiryChange {}
        record At(long epochSecond) implements ExpiryChange {}
    }

    /** Refuses keys that cannot create links, as Stripe does for publishable keys. */
    public static void requireLinkingKey(Caller caller) {
        if (caller.kind() == Caller.KeyKind.PUBLISHABLE) {
            throw StripeError.forbidden("This API call cannot be made with a publishable API key. Please use a secret"
                    + " API key to create file links.");
        }
    }

    /** Checks that links can be made to files of this purpose; {@code param} names the parameter at fault. */
    public static void requireLinkable(Purpose purpose, String param) {
        if (!purpose.linkable()) {
            throw StripeError.invalid("File links cannot be created for files with purpose '" + purpose.wireName()
                    + "'.",
                    param);
        }
    }

    /** A requested expiry must lie in the future. */
    public void requireFuture(Long expiresAt, String param) {
        if (expiresAt != null && expiresAt <= now()) {
            throw StripeError.invalid("The expires_at timestamp must be in the future (got " + expiresAt
                    + ", it is now " + now() + ").", param);
        }
    }

    /** A create whose parameters passed {@link #checkCreate}; only {@link #create} takes it. */
    public record CheckedCreate(Tenant tenant, String fileId, Long expiresAt, Metadata.Update metadata) {}

    /**
     * The checks of a create that need no lookup (the key, a file named, a future expiry): a refusal here is a
     * parameter validation failure, which keeps nothing for an idempotency key.
     */
    public CheckedCreate checkCreate(Caller caller, String fileId, Long expiresAt, Metadata.Update metadata) {
        requireLinkingKey(caller);
        if (fileId == null) {
            throw StripeError.missingParam("file");
        }
        requireFuture(expiresAt, "expires_at");
        return new CheckedCreate(caller.tenant(), fileId, expiresAt, metadata);
    }

    /**
     * Refusals from here on (no such file, a purpose that cannot be linked, an expired file) come from the endpoint
     * executing, so Stripe keeps them for the key.
     */
    public LinkRecord create(CheckedCreate request) {
        String fileId = request.fileId();
        FileRecord file = files.find(request.tenant(), fileId)
                .orElseThrow(() -> StripeError.noSuchObject("file", "file", fileId));
        requireLinkable(file.purpose(), "file");
        if (file.isExpired(now())) {
            throw StripeError.invalid("The file '" + fileId + "' has expired; links can no longer be created for it.",
                    "file");
        }
        return createFor(file, request.expiresAt(), request.metadata().applyTo(Map.of()));
    }

    /** Creates a link to a stored file already checked as linkable. */
    public LinkRecord createFor(FileRecord file, Long expiresAt, Map<String, String> metadata) {
        LinkRecord link = newLink(file, expiresAt, metadata);
        links.insert(link, file);
        return link;
    }

    /** A new link to {@code file} (checked as linkable), created now; nothing stored. */
    public LinkRecord newLink(FileRecord file, Long expiresAt, Map<String, String> metadata) {
        long nowMillis = clock.millis();
        return new LinkRecord(Ids.newId("link_", nowMillis), file.tenant(), file.id(), nowMillis / 1000, expiresAt,
                Map.copyOf(metadata), Ids.token(TOKEN_CHARS), 1);
    }

    /** A file uploaded with {@code file_link_data[create]}, and its link. */
    public record LinkedFile(FileRecord file, LinkRecord link) {}

    /** Stores an upload and its first link in one step: a failure stores neither (nor leaves the contents). */
    public LinkedFile storeWithLink(Caller caller, FileService.ValidUpload upload, LinkRequest request,
                                    String requestId) {
        FileRecord file = files.newRecord(caller, upload.purpose(), upload.type(), upload.filename(),
                upload.bytes().length());
        LinkRecord link = newLink(file, request.expiresAt(), request.metadata());
        files.store(file, upload.bytes(), requestId, stored -> links.insertWithFile(link, stored));
        return new LinkedFile(file, link);
    }

    public LinkRecord retrieve(Tenant tenant, String id) {
        return find(tenant, id).orElseThrow(() -> StripeError.resourceMissing("file link", "link", id));
    }

    private Optional<LinkRecord> find(Tenant tenant, String id) {
        return Ids.looksLike(id, "link_") ? links.find(tenant, id) : Optional.empty();
    }

    /** An update whose parameters passed {@link #checkUpdate}; only {@link #update} takes it. */
    public record CheckedUpdate(Tenant tenant, String id, ExpiryChange expiry, Metadata.Update metadata) {}

    /** What an update checks before it reads or writes anything. */
    public CheckedUpdate checkUpdate(Caller caller, String id, ExpiryChange expiry, Metadata.Update metadata) {
        if (expiry instanceof ExpiryChange.At at) {
            requireFuture(at.epochSecond(), "expires_at");
        }
        return new CheckedUpdate(caller.tenant(), id, expiry, metadata);
    }

    /**
     * Applies an update with optimistic concurrency: read, check, write if nobody wrote in between, else retry.
     * Concurrent metadata updates therefore all land, each merged into the result of the one before.
     */
    public LinkRecord update(CheckedUpdate request) {
        String id = request.id();
        ExpiryChange expiry = request.expiry();
        for (int attempt = 1; attempt <= MAX_UPDATE_ATTEMPTS; attempt++) {
            LinkRecord current = retrieve(request.tenant(), id);
            long now = now();
            if (current.isExpired(now)) {
                throw StripeError.invalid("The file link '" + id + "' has expired and can no longer be updated.",
                        null);
            }
            Long expiresAt = expiry instanceof ExpiryChange.At at ? Long.valueOf(at.epochSecond())
                    : expiry instanceof ExpiryChange.Now ? Long.valueOf(now)
                    : expiry instanceof ExpiryChange.Clear ? null : current.expiresAt();
            LinkRecord updated = current.withChanges(expiresAt, request.metadata().applyTo(current.metadata()));
            if (links.replace(updated)) {
                return updated;
            }
            backOff(attempt);
        }
        throw StripeError.lockTimeout();
    }

    /**
     * Exponential backoff with full jitter, capped at 100 ms: many writers of one link spread out instead of
     * colliding again in step; 25 attempts wait about 2 s at most, well inside the function's timeout.
     */
    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1L + Math.min(100L, 1L << Math.min(attempt, 7))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Page<LinkRecord> list(Tenant tenant, String fileId, Boolean expired, ListRequest request) {
        ListWindow.Cursor after = cursor(tenant, request.startingAfter(), "starting_after");
        ListWindow.Cursor before = cursor(tenant, request.endingBefore(), "ending_before");
        if (fileId != null && !Ids.looksLike(fileId, "file_")) {
            // No file has such an id; and a long one would exceed DynamoDB's 2 KB limit on a key.
            return new Page<>(List.of(), false);
        }
        return links.list(tenant, fileId, expired, now(),
                new ListWindow(request.limit(), request.createdFrom(), request.createdTo(), after, before));
    }

    /** The newest links of a file, as a file object embeds them. */
    public Page<LinkRecord> linksOf(Tenant tenant, String fileId) {
        return links.list(tenant, fileId, null, now(),
                new ListWindow(EMBEDDED_LINKS, 0, Long.MAX_VALUE, null, null));
    }

    private ListWindow.Cursor cursor(Tenant tenant, String id, String param) {
        if (id == null) {
            return null;
        }
        LinkRecord link = find(tenant, id).orElseThrow(() -> StripeError.noSuchObject("file link", param, id));
        return new ListWindow.Cursor(link.created(), link.id());
    }

    /**
     * Opening a link: a presigned GET that lives no longer than the link, nor the file, nor the redirect TTL. Unknown,
     * expired and revoked tokens are refused alike, so a refusal tells nothing about which it was.
     */
    public String open(String token) {
        long now = now();
        LinkTarget target = token == null || token.length() != TOKEN_CHARS ? null
                : links.findByToken(token).orElse(null);
        if (target == null || expired(target.linkExpiresAt(), now) || expired(target.fileExpiresAt(), now)) {
            throw new StripeError(404, StripeError.INVALID_REQUEST, null, null,
                    "This file link does not exist or has expired.");
        }
        // SigV4 counts expiry from the signing second, which is this same clock's current second.
        long ttlSeconds = redirectTtl.toSeconds();
        for (Long limit : new Long[] {target.linkExpiresAt(), target.fileExpiresAt()}) {
            if (limit != null) {
                ttlSeconds = Math.min(ttlSeconds, limit - now);
            }
        }
        return blobs.presignGet(target.blobKey(), Duration.ofSeconds(ttlSeconds), target.contentType(),
                ContentDisposition.attachment(target.filename()));
    }

    private static boolean expired(Long expiresAt, long now) {
        return expiresAt != null && expiresAt <= now;
    }
}
