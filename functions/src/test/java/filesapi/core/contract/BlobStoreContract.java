package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import filesapi.core.Bytes;
import filesapi.core.ContentDisposition;
import filesapi.core.Ids;
import filesapi.core.files.BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BlobStore} does: the fake, and S3BlobStore on each backend. */
public abstract class BlobStoreContract {
    /** The store under test, presigning at {@code signingClock}; it may share its bucket with other tests. */
    protected abstract BlobStore newStore(Clock signingClock);

    /** What fetching a presigned URL gave. */
    public record Download(byte[] contents, String contentType, String contentDisposition) {}

    /** Fetches a presigned URL without credentials, now; null when it is refused. */
    protected abstract Download download(String url) throws Exception;

    /** Why this backend does not refuse an expired presigned URL, or null when it does. */
    protected String lacksPresignedExpiry() {
        return null;
    }

    /** Why this backend ignores a presigned URL's response type and disposition, or null when it honours them. */
    protected String lacksResponseOverrides() {
        return null;
    }

    protected BlobStore store;
    protected String prefix;

    @BeforeEach
    public void setUpStore() {
        store = newStore(Clock.systemUTC());
        prefix = "keep/" + Fixtures.tenant().account() + "/test/";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void contentsReadBackAsTheyWerePut() {
        String key = prefix + Ids.newId("file_", 0);
        store.put(key, Bytes.of(bytes("%PDF-1.4 contents")), "application/pdf");
        assertArrayEquals(bytes("%PDF-1.4 contents"), store.get(key));
    }

    @Test
    public void onlyTheBytesWithinTheLengthAreStored() {
        String key = prefix + Ids.newId("file_", 0);
        byte[] buffer = Arrays.copyOf(bytes("hello"), 64);
        Arrays.fill(buffer, 5, 64, (byte) 'x');
        store.put(key, new Bytes(buffer, 5), "text/plain");
        assertArrayEquals(bytes("hello"), store.get(key));
    }

    @Test
    public void aPutReplacesAndADeleteRemoves() {
        String key = prefix + Ids.newId("file_", 0);
        store.put(key, Bytes.of(bytes("first")), "text/plain");
        store.put(key, Bytes.of(bytes("second")), "text/plain");
        assertArrayEquals(bytes("second"), store.get(key));
        store.delete(key);
        assertNull(store.get(key));
        store.delete(key);
        store.delete(prefix + "never-stored");
    }

    @Test
    public void nothingStoredReadsAsNull() {
        assertNull(store.get(prefix + "never-stored"));
    }

    @Test
    public void keysAreExact() {
        String key = prefix + "file_A";
        store.put(key, Bytes.of(bytes("upper")), "text/plain");
        assertNull(store.get(prefix + "file_a"));
        assertNull(store.get(prefix + "file_"));
        assertArrayEquals(bytes("upper"), store.get(key));
    }

    @Test
    public void aPresignedUrlDownloadsTheContentsWithoutCredentials() throws Exception {
        String key = prefix + Ids.newId("file_", 0);
        store.put(key, Bytes.of(bytes("%PDF-1.4 presigned")), "application/pdf");
        String disposition = ContentDisposition.attachment("résumé \"final\".pdf");
        Download download = download(store.presignGet(key, Duration.ofSeconds(60), "application/pdf", disposition));
        assertNotNull(download, "the URL works");
        assertArrayEquals(bytes("%PDF-1.4 presigned"), download.contents());
        String reason = lacksResponseOverrides();
        if (reason != null) {
            System.out.println("[skipped] the presigned URL's type and disposition: " + reason);
        } else {
            assertEquals("application/pdf", download.contentType());
            assertEquals(disposition, download.contentDisposition());
        }
    }

    @Test
    public void aPresignedUrlPastItsTtlIsRefused() throws Exception {
        String reason = lacksPresignedExpiry();
        if (reason != null) {
            System.out.println("[skipped] presigned expiry: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        String key = prefix + Ids.newId("file_", 0);
        store.put(key, Bytes.of(bytes("old")), "text/plain");
        BlobStore signedAnHourAgo = newStore(Clock.fixed(Instant.now().minusSeconds(3600), ZoneOffset.UTC));
        assertNull(download(signedAnHourAgo.presignGet(key, Duration.ofSeconds(60), "text/plain",
                ContentDisposition.attachment("old.txt"))));
        assertNotNull(download(signedAnHourAgo.presignGet(key, Duration.ofSeconds(7200), "text/plain",
                ContentDisposition.attachment("old.txt"))), "signed then, but still within its TTL");
    }
}
