package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Random;
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

    /** PUTs {@code body} to a presigned PUT URL without credentials, now; false when it is refused. */
    protected abstract boolean upload(String url, byte[] body) throws Exception;

    /** Why this backend does not refuse an expired presigned URL, or null when it does. */
    protected String lacksPresignedExpiry() {
        return null;
    }

    /** Why this backend stores a presigned PUT of another length than it was signed for, or null when it refuses it. */
    protected String lacksPresignedPutLength() {
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

    @Test
    public void aPresignedPutTakesExactlyTheLengthItWasSignedFor() throws Exception {
        String reason = lacksPresignedPutLength();
        if (reason != null) {
            System.out.println("[skipped] presigned PUT length: " + reason);
        }
        Assumptions.assumeTrue(reason == null, reason);
        String key = "uploads/" + Fixtures.tenant().account() + "/test/" + Ids.newId("fupl_", 0);
        String url = store.presignPut(key, 5, Duration.ofSeconds(60));
        assertFalse(upload(url, bytes("toolong")), "more bytes than signed");
        assertFalse(upload(url, bytes("shrt")), "fewer bytes than signed");
        assertNull(store.size(key), "a refused PUT stores nothing");
        assertTrue(upload(url, bytes("exact")));
        assertArrayEquals(bytes("exact"), store.get(key));
    }

    @Test
    public void aSizeAndRangesAreReadWithoutTheWholeObject() {
        String key = prefix + Ids.newId("file_", 0);
        store.put(key, Bytes.of(bytes("0123456789")), "text/plain");
        assertEquals(10L, store.size(key));
        assertNull(store.size(prefix + "never-stored"));
        assertArrayEquals(bytes("234"), store.getRange(key, 2, 3));
        assertArrayEquals(bytes("89"), store.getRange(key, 8, 10), "a range past the end ends with the object");
    }

    @Test
    public void aCopyHasTheContentsAndLeavesTheOriginal() {
        String from = "uploads/" + Fixtures.tenant().account() + "/test/" + Ids.newId("fupl_", 0);
        String to = prefix + Ids.newId("file_", 0);
        store.put(from, Bytes.of(bytes("%PDF-1.4 copied")), "application/octet-stream");
        store.copy(from, to, 15, "application/pdf");
        assertArrayEquals(bytes("%PDF-1.4 copied"), store.get(to));
        assertArrayEquals(bytes("%PDF-1.4 copied"), store.get(from));
    }

    /** Past 16 MB S3BlobStore copies in parts: every byte arrives, in order, under the copy's content type. */
    @Test
    public void aLargeCopyHasEveryByteInOrder() {
        String from = "uploads/" + Fixtures.tenant().account() + "/test/" + Ids.newId("fupl_", 0);
        String to = prefix + Ids.newId("file_", 0);
        byte[] large = new byte[17 * 1024 * 1024 + 3];
        new Random(16).nextBytes(large);
        store.put(from, Bytes.of(large), "application/octet-stream");
        store.copy(from, to, large.length, "application/vnd.android.package-archive");
        assertArrayEquals(large, store.get(to));
        store.delete(from);
        store.delete(to);
    }

    @Test
    public void aCopyOfNothingFailsAndLeavesNothing() {
        for (long size : new long[] {15, 40_000_000L}) {
            String to = prefix + Ids.newId("file_", 0);
            assertThrows(RuntimeException.class, () -> store.copy(prefix + "never-stored", to, size, "text/plain"));
            assertNull(store.get(to));
        }
    }
}
