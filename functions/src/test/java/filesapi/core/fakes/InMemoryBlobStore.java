package filesapi.core.fakes;

import filesapi.core.Bytes;
import filesapi.core.files.BlobStore;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link BlobStore} in memory, as S3BlobStore behaves: a put replaces, a get of nothing is null, a delete of nothing
 * is no error. A presigned URL is signed at the store's clock, as S3BlobStore's is; {@link #open} answers it as S3
 * would at a given time. Every presign is recorded, so tests can check the TTL and headers a service asked for.
 */
public final class InMemoryBlobStore implements BlobStore {
    private static final String BASE = "https://blobs.invalid/bucket/";

    /** What a presigned URL was asked for. */
    public record Presign(String key, Duration ttl, String contentType, String contentDisposition,
                          long signedAtEpochSecond) {}

    /** An object as stored. */
    public record Blob(byte[] contents, String contentType) {}

    /** What fetching a presigned URL gave: its contents, and the type and disposition S3 would answer with. */
    public record Download(byte[] contents, String contentType, String contentDisposition) {}

    private final Map<String, Blob> blobs;
    private final List<Presign> presigns;
    private final Clock clock;

    public InMemoryBlobStore(Clock clock) {
        this(new HashMap<>(), new ArrayList<>(), clock);
    }

    private InMemoryBlobStore(Map<String, Blob> blobs, List<Presign> presigns, Clock clock) {
        this.blobs = blobs;
        this.presigns = presigns;
        this.clock = clock;
    }

    /** Another client of the same bucket, signing at {@code signingClock}. */
    public InMemoryBlobStore signingAt(Clock signingClock) {
        return new InMemoryBlobStore(blobs, presigns, signingClock);
    }

    @Override
    public void put(String key, Bytes contents, String contentType) {
        synchronized (blobs) {
            blobs.put(key, new Blob(Arrays.copyOf(contents.array(), contents.length()), contentType));
        }
    }

    @Override
    public byte[] get(String key) {
        synchronized (blobs) {
            Blob blob = blobs.get(key);
            return blob == null ? null : blob.contents().clone();
        }
    }

    @Override
    public void delete(String key) {
        synchronized (blobs) {
            blobs.remove(key);
        }
    }

    @Override
    public String presignGet(String key, Duration ttl, String contentType, String contentDisposition) {
        synchronized (blobs) {
            long signedAt = clock.instant().getEpochSecond();
            presigns.add(new Presign(key, ttl, contentType, contentDisposition, signedAt));
            return BASE + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/")
                    + "?X-Amz-Date=" + signedAt + "&X-Amz-Expires=" + ttl.toSeconds()
                    + "&response-content-type=" + URLEncoder.encode(contentType, StandardCharsets.UTF_8)
                    + "&response-content-disposition=" + URLEncoder.encode(contentDisposition, StandardCharsets.UTF_8);
        }
    }

    /**
     * What fetching {@code url} at {@code nowEpochSecond} gives: null when the URL is not one of ours, has expired
     * (valid for the TTL from its signing second) or names no object.
     */
    public Download open(String url, long nowEpochSecond) {
        synchronized (blobs) {
            if (!url.startsWith(BASE)) {
                return null;
            }
            URI uri = URI.create(url);
            Map<String, String> query = query(uri);
            long signedAt = Long.parseLong(query.get("X-Amz-Date"));
            long ttl = Long.parseLong(query.get("X-Amz-Expires"));
            if (nowEpochSecond >= signedAt + ttl || nowEpochSecond < signedAt - 900) {
                return null;
            }
            Blob blob = blobs.get(keyOf(uri));
            return blob == null ? null : new Download(blob.contents().clone(), query.get("response-content-type"),
                    query.get("response-content-disposition"));
        }
    }

    @Override
    public String presignPut(String key, long contentLength, Duration ttl) {
        return BASE + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/")
                + "?X-Amz-Date=" + clock.instant().getEpochSecond() + "&X-Amz-Expires=" + ttl.toSeconds()
                + "&X-Amz-SignedHeaders=content-length%3Bhost&content-length=" + contentLength;
    }

    /**
     * What PUTting {@code body} to a presigned PUT URL at {@code nowEpochSecond} does, as S3 would: false, storing
     * nothing, when the URL has expired or the body is not the length it was signed for.
     */
    public boolean upload(String url, byte[] body, long nowEpochSecond) {
        URI uri = URI.create(url);
        Map<String, String> query = query(uri);
        long signedAt = Long.parseLong(query.get("X-Amz-Date"));
        if (nowEpochSecond >= signedAt + Long.parseLong(query.get("X-Amz-Expires"))
                || body.length != Long.parseLong(query.get("content-length"))) {
            return false;
        }
        put(keyOf(uri), Bytes.of(body), null);
        return true;
    }

    @Override
    public Long size(String key) {
        synchronized (blobs) {
            Blob blob = blobs.get(key);
            return blob == null ? null : (long) blob.contents().length;
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        synchronized (blobs) {
            byte[] contents = blobs.get(key).contents();
            int from = (int) Math.min(offset, contents.length);
            return Arrays.copyOfRange(contents, from, (int) Math.min(contents.length, (long) from + length));
        }
    }

    @Override
    public void copy(String fromKey, String toKey, long size, String contentType) {
        synchronized (blobs) {
            Blob from = blobs.get(fromKey);
            if (from == null) {
                throw new IllegalStateException("no such object: " + fromKey);
            }
            blobs.put(toKey, new Blob(from.contents(), contentType));
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String keyOf(URI uri) {
        return URLDecoder.decode(uri.getRawPath().substring(URI.create(BASE).getRawPath().length()),
                StandardCharsets.UTF_8);
    }

    /** The presigns asked for so far, oldest first. */
    public List<Presign> presigns() {
        synchronized (blobs) {
            return List.copyOf(presigns);
        }
    }

    /** The keys stored, for assertions. */
    public List<String> keys() {
        synchronized (blobs) {
            return List.copyOf(blobs.keySet());
        }
    }

    /** The object under {@code key} with its content type, or null. */
    public Blob blob(String key) {
        synchronized (blobs) {
            return blobs.get(key);
        }
    }
}
