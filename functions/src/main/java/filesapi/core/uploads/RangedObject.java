package filesapi.core.uploads;

import filesapi.core.Bytes;
import filesapi.core.files.BlobStore;
import filesapi.core.files.ByteSource;
import java.util.ArrayList;
import java.util.List;

/**
 * An object in S3 read by ranged GETs, at least {@link #WINDOW} bytes at a time, and each window kept: a format check
 * of a PDF costs one GET at the start and one at the end, of a ZIP one more for its central directory, whatever the
 * object's size. Only text formats, which have no signature, read it all.
 */
final class RangedObject implements ByteSource {
    static final int WINDOW = 128 * 1024;

    private record Window(long offset, byte[] bytes) {
        boolean covers(long from, long to) {
            return from >= offset && to <= offset + bytes.length;
        }
    }

    private final BlobStore blobs;
    private final String key;
    private final long size;
    private final List<Window> windows = new ArrayList<>();
    private int gets;

    RangedObject(BlobStore blobs, String key, long size) {
        this.blobs = blobs;
        this.key = key;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public byte[] read(long offset, int length) {
        long from = Math.min(Math.max(0, offset), size);
        long to = Math.min(from + Math.max(0, length), size);
        if (from == to) {
            return new byte[0];
        }
        for (Window w : windows) {
            if (w.covers(from, to)) {
                return slice(w, from, to);
            }
        }
        // A short read near the end takes the whole tail window, where the next rule's read usually falls.
        long start = to - from < WINDOW && size - from < WINDOW ? Math.max(0, size - WINDOW) : from;
        long end = Math.min(size, Math.max(to, start + WINDOW));
        Window w = new Window(start, blobs.getRange(key, start, (int) (end - start)));
        gets++;
        if (w.bytes.length < end - start) {
            throw new IllegalStateException("S3 returned " + w.bytes.length + " bytes of " + key + " for a range of "
                    + (end - start) + "; the object changed while it was checked");
        }
        windows.add(w);
        return slice(w, from, to);
    }

    @Override
    public Bytes all() {
        return Bytes.of(read(0, (int) Math.min(size, Integer.MAX_VALUE - 8)));
    }

    /** Ranged GETs made so far. */
    int gets() {
        return gets;
    }

    private static byte[] slice(Window w, long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        System.arraycopy(w.bytes, (int) (from - w.offset), out, 0, out.length);
        return out;
    }
}
