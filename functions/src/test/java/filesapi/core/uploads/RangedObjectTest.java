package filesapi.core.uploads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Bytes;
import filesapi.core.StripeError;
import filesapi.core.files.BlobStore;
import filesapi.core.files.FileService;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Completing checks an object by a few ranged GETs whatever its size: the same rules as POST /v1/files, on objects
 * that exist only as ranges (nothing of their size is ever allocated).
 */
class RangedObjectTest {
    /** An object of {@code size} bytes made of a head, spaces and a tail; counts what is read of it. */
    private static final class VirtualObject implements BlobStore {
        private final long size;
        private final byte[] head;
        private final byte[] tail;
        int gets;
        long bytesRead;

        VirtualObject(long size, byte[] head, byte[] tail) {
            this.size = size;
            this.head = head;
            this.tail = tail;
        }

        private byte at(long i) {
            if (i < head.length) {
                return head[(int) i];
            }
            if (i >= size - tail.length) {
                return tail[(int) (i - (size - tail.length))];
            }
            return ' ';
        }

        @Override
        public byte[] getRange(String key, long offset, int length) {
            gets++;
            int n = (int) Math.max(0, Math.min(length, size - offset));
            bytesRead += n;
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = at(offset + i);
            }
            return out;
        }

        @Override
        public Long size(String key) {
            return size;
        }

        @Override
        public byte[] get(String key) {
            throw new AssertionError("the whole object is never read");
        }

        @Override public void put(String key, Bytes contents, String contentType) { throw new AssertionError(); }
        @Override public void delete(String key) { throw new AssertionError(); }
        @Override public String presignGet(String k, Duration t, String c, String d) { throw new AssertionError(); }
        @Override public String presignPut(String key, long length, Duration ttl) { throw new AssertionError(); }
        @Override public void copy(String from, String to, long n, String type) { throw new AssertionError(); }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static FileType check(Purpose purpose, VirtualObject object) {
        return FileService.checkContents(purpose, new RangedObject(object, "uploads/x", object.size), null, "x.pdf",
                "file");
    }

    @Test
    void aPdfCostsTwoGetsAtTwentyAndAtTwoHundredMegabytes() {
        for (long size : new long[] {20_000_000L, 200_000_000L}) {
            VirtualObject pdf = new VirtualObject(size, ascii("%PDF-1.7\n"), ascii("\ntrailer\n<<>>\n%%EOF\n"));
            assertEquals(FileType.PDF, check(Purpose.ACCOUNT_REQUIREMENT, pdf));
            assertEquals(2, pdf.gets, "the first window and the last");
            assertTrue(pdf.bytesRead <= 2 * RangedObject.WINDOW, "read " + pdf.bytesRead);
        }
    }

    @Test
    void aPdfWithoutItsEndIsRefusedAsPostFilesRefusesIt() {
        VirtualObject cut = new VirtualObject(50_000_000L, ascii("%PDF-1.7\n"), ascii("endobj\n"));
        StripeError e = assertThrows(StripeError.class, () -> check(Purpose.ACCOUNT_REQUIREMENT, cut));
        assertEquals("file", e.param());
        assertTrue(e.getMessage().contains("%%EOF"), e.getMessage());
    }

    @Test
    void aZipIsReadFromItsCentralDirectoryAtTheEnd() {
        String name = "AndroidManifest.xml";
        long size = 150_000_000L;
        int directoryLength = 46 + name.length();
        byte[] tail = new byte[directoryLength + 22];
        long directoryOffset = size - tail.length;
        // One central directory entry, then the end-of-central-directory record pointing at it.
        le(tail, 0, 0x02014b50L, 4);
        le(tail, 28, name.length(), 2);
        System.arraycopy(ascii(name), 0, tail, 46, name.length());
        int eocd = directoryLength;
        le(tail, eocd, 0x06054b50L, 4);
        le(tail, eocd + 10, 1, 2);
        le(tail, eocd + 12, directoryLength, 4);
        le(tail, eocd + 16, directoryOffset, 4);
        VirtualObject apk = new VirtualObject(size, new byte[] {'P', 'K', 3, 4}, tail);
        assertEquals(FileType.APK, check(Purpose.TERMINAL_ANDROID_APK, apk));
        assertEquals(2, apk.gets);
        StripeError e = assertThrows(StripeError.class, () -> check(Purpose.PCI_DOCUMENT,
                new VirtualObject(size, new byte[] {'P', 'K', 3, 4}, tail)));
        assertEquals("file", e.param());
    }

    @Test
    void anArchiveWithoutACentralDirectoryIsAPlainZip() {
        VirtualObject broken = new VirtualObject(30_000_000L, new byte[] {'P', 'K', 3, 4}, new byte[0]);
        assertThrows(StripeError.class, () -> check(Purpose.TERMINAL_ANDROID_APK, broken));
    }

    /** A purpose that takes no text format refuses bytes without a signature from their first window alone. */
    @Test
    void noSignatureIsRefusedWithoutReadingTheRestWhereNoTextIsAccepted() {
        VirtualObject junk = new VirtualObject(200_000_000L, ascii("junk"), new byte[0]);
        StripeError e = assertThrows(StripeError.class, () -> check(Purpose.TERMINAL_ANDROID_APK, junk));
        assertEquals("file", e.param());
        assertEquals(1, junk.gets);
        assertTrue(junk.bytesRead <= RangedObject.WINDOW, "read " + junk.bytesRead);
    }

    private static void le(byte[] b, int at, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }
}
