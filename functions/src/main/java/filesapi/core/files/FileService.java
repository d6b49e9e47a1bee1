package filesapi.core.files;

import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.ContentDisposition;
import filesapi.core.Ids;
import filesapi.core.ListRequest;
import filesapi.core.ListWindow;
import filesapi.core.Log;
import filesapi.core.Page;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import java.text.NumberFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Uploading, reading and listing files. Contents are written before metadata, so no file points at nothing. */
public final class FileService {
    static final Duration DOWNLOAD_REDIRECT_TTL = Duration.ofSeconds(60);

    private final FileStore files;
    private final BlobStore blobs;
    private final Clock clock;
    private final long maxInlineDownloadBytes;

    public FileService(FileStore files, BlobStore blobs, Clock clock) {
        this(files, blobs, clock, UploadLimits.MAX_INLINE_DOWNLOAD_BYTES);
    }

    public FileService(FileStore files, BlobStore blobs, Clock clock, long maxInlineDownloadBytes) {
        this.files = files;
        this.blobs = blobs;
        this.clock = clock;
        this.maxInlineDownloadBytes = maxInlineDownloadBytes;
    }

    /** Checks an upload without storing anything; {@link #store} then keeps it. */
    public ValidUpload validate(String purposeName, UploadedFile part) {
        if (part == null) {
            throw StripeError.missingParam("file");
        }
        Purpose purpose = uploadablePurpose(purposeName);
        Bytes bytes = part.contents();
        checkSize(purpose, bytes.length(), UploadLimits.MAX_REQUEST_BODY_BYTES, "file");
        FileType type = checkContents(purpose, ByteSource.of(bytes), part.contentType(), part.filename(), "file");
        return new ValidUpload(purpose, type, cleanFilename(part.filename()), bytes);
    }

    /** The purpose of an upload: given, known, and one that can be uploaded. */
    public static Purpose uploadablePurpose(String purposeName) {
        if (purposeName == null) {
            throw StripeError.missingParam("purpose");
        }
        Purpose purpose = Purpose.fromWire(purposeName);
        if (purpose == null || !purpose.uploadable()) {
            throw StripeError.invalid("Invalid purpose: must be one of " + Purpose.uploadableList(), "purpose");
        }
        return purpose;
    }

    /**
     * A file's size against its purpose's limit and {@code ceiling}, what the path it arrives by can carry (a
     * request through Lambda, or no ceiling for a direct upload to S3).
     */
    public static void checkSize(Purpose purpose, long length, long ceiling, String param) {
        if (length == 0) {
            throw StripeError.invalid("The file you uploaded is empty. Please upload a file with content.", param);
        }
        long limit = Math.min(purpose.maxBytes(), ceiling);
        if (length > limit) {
            String why = purpose.maxBytes() <= ceiling
                    ? "files with purpose '" + purpose.wireName() + "' can be at most " + format(limit) + " bytes."
                    : "this deployment accepts files of at most about " + format(limit) + " bytes in one request"
                            + " (the AWS Lambda request payload limit), although purpose '" + purpose.wireName()
                            + "' allows " + format(purpose.maxBytes()) + ". Larger files can be uploaded with"
                            + " POST /v1/file_uploads.";
            throw StripeError.invalid("The file you uploaded is too large (" + format(length) + " bytes): "
                    + why, param);
        }
    }

    /** The format rules of a purpose, on the file's bytes read by range where the format allows. */
    public static FileType checkContents(Purpose purpose, ByteSource contents, String declaredContentType,
                                         String filename, String param) {
        FileTypes.Detected detected = FileTypes.detect(contents, declaredContentType, filename,
                !Collections.disjoint(purpose.types(), FileTypes.TEXT));
        if (detected == null || !purpose.types().contains(detected.type())) {
            throw StripeError.invalid("We don't currently support that file type. Try uploading a file with one of"
                    + " the following mimetypes: " + purpose.types().stream().map(FileType::mimeType)
                    .collect(Collectors.joining(", ")) + ".", param);
        }
        if (detected.hasMacros()) {
            throw StripeError.invalid("Office documents that contain macros are not accepted. Please save the"
                    + " document without macros and upload it again.", param);
        }
        if (detected.type() == FileType.PDF && !FileTypes.looksLikeCompletePdf(contents)) {
            throw StripeError.invalid("The PDF you uploaded appears to be damaged or incomplete (no %%EOF marker)."
                    + " Please upload a valid PDF.", param);
        }
        return detected.type();
    }

    public record ValidUpload(Purpose purpose, FileType type, String filename, Bytes bytes) {}

    public FileRecord store(Caller caller, ValidUpload upload, String requestId) {
        FileRecord file = newRecord(caller, upload.purpose(), upload.type(), upload.filename(),
                upload.bytes().length());
        store(file, upload.bytes(), requestId, files::insert);
        return file;
    }

    /**
     * Puts the contents of a {@link #newRecord new file}, then has {@code writeMetadata} write its metadata (alone,
     * or with more in the same step); the contents are deleted again if that fails, so no file points at nothing.
     */
    public void store(FileRecord file, Bytes contents, String requestId, Consumer<FileRecord> writeMetadata) {
        String blobKey = file.blobKey();
        blobs.put(blobKey, contents, file.contentType());
        try {
            writeMetadata.accept(file);
        } catch (RuntimeException e) {
            try {
                blobs.delete(blobKey);
            } catch (RuntimeException cleanup) {
                Log.error(requestId, "could not remove contents after a failed metadata write", cleanup,
                        "blob_key", blobKey);
            }
            throw e;
        }
    }

    /** Whether the tenant's file {@code id} exists and its stored contents are exactly {@code contents}. */
    public boolean storedContentsEqual(Tenant tenant, String id, Bytes contents) {
        Optional<FileRecord> file = id == null ? Optional.empty() : find(tenant, id);
        if (file.isEmpty() || file.get().size() != contents.length()) {
            return false;
        }
        byte[] stored = blobs.get(file.get().blobKey());
        return stored != null && Arrays.equals(stored, 0, stored.length, contents.array(), 0, contents.length());
    }

    /** The metadata of a new file, created now, with its id and the key its contents go under; nothing stored. */
    public FileRecord newRecord(Caller caller, Purpose purpose, FileType type, String filename, long size) {
        long nowMillis = clock.millis();
        long created = nowMillis / 1000;
        String id = Ids.newId("file_", nowMillis);
        Duration expiry = purpose.expiresAfter();
        Long expiresAt = expiry == null ? null : created + expiry.toSeconds();
        Tenant tenant = caller.tenant();
        return new FileRecord(id, tenant, purpose, type, type.mimeType(), size, filename == null ? id : filename, null,
                created, expiresAt, blobKey(tenant, id, expiry), caller.viaPlatform());
    }

    /** S3 lifecycle rules in template.yaml expire each prefix; files that never expire live under "keep". */
    public static String blobKey(Tenant tenant, String id, Duration expiry) {
        String prefix = expiry == null ? "keep" : "expire-" + expiry.toDays() + "d";
        return prefix + "/" + tenant.account() + "/" + (tenant.livemode() ? "live" : "test") + "/" + id;
    }

    public FileRecord retrieve(Tenant tenant, String id, String param) {
        return find(tenant, id).orElseThrow(() -> StripeError.resourceMissing("file", param, id));
    }

    public Optional<FileRecord> find(Tenant tenant, String id) {
        if (!Ids.looksLike(id, "file_")) {
            return Optional.empty();
        }
        return files.find(tenant, id);
    }

    public Page<FileRecord> list(Tenant tenant, String purpose, ListRequest request) {
        if (purpose != null && Purpose.fromWire(purpose) == null) {
            throw StripeError.invalid("Invalid purpose: must be one of " + Purpose.allList(), "purpose");
        }
        ListWindow.Cursor after = cursor(tenant, request.startingAfter(), "starting_after");
        ListWindow.Cursor before = cursor(tenant, request.endingBefore(), "ending_before");
        return files.list(tenant, purpose,
                new ListWindow(request.limit(), request.createdFrom(), request.createdTo(), after, before));
    }

    private ListWindow.Cursor cursor(Tenant tenant, String id, String param) {
        if (id == null) {
            return null;
        }
        FileRecord file = find(tenant, id).orElseThrow(() -> StripeError.noSuchObject("file", param, id));
        return new ListWindow.Cursor(file.created(), file.id());
    }

    /** Either the bytes, or for a file too large for a Lambda response, a short-lived presigned URL. */
    public record Contents(FileRecord file, byte[] bytes, String redirectUrl, String contentDisposition) {}

    public Contents contents(Tenant tenant, String id) {
        FileRecord file = retrieve(tenant, id, "file");
        if (!file.downloadable()) {
            throw new StripeError(404, StripeError.INVALID_REQUEST, "resource_missing", "file", "The contents of"
                    + " files with purpose '" + file.purpose().wireName() + "' cannot be downloaded.");
        }
        if (file.isExpired(clock.millis() / 1000)) {
            throw new StripeError(404, StripeError.INVALID_REQUEST, "resource_missing", "file", "The file '" + id
                    + "' expired at " + file.expiresAt() + " and its contents are no longer available.");
        }
        String disposition = ContentDisposition.attachment(file.filename());
        if (file.size() > maxInlineDownloadBytes) {
            return new Contents(file, null,
                    blobs.presignGet(file.blobKey(), DOWNLOAD_REDIRECT_TTL, file.contentType(), disposition),
                    disposition);
        }
        byte[] bytes = blobs.get(file.blobKey());
        if (bytes == null) {
            throw new StripeError(404, StripeError.INVALID_REQUEST, "resource_missing", "file", "The contents of"
                    + " file '" + id + "' are no longer available.");
        }
        return new Contents(file, bytes, null, disposition);
    }

    public static String cleanFilename(String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder(name.length());
        name.codePoints().filter(c -> !Character.isISOControl(c)).forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        if (result.length() > 5000) {
            result = result.substring(0, 5000);
        }
        return result.isEmpty() ? null : result;
    }

    private static String format(long n) {
        return NumberFormat.getIntegerInstance(Locale.US).format(n);
    }
}
