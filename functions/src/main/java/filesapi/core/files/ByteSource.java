package filesapi.core.files;

import filesapi.core.Bytes;
import java.util.Arrays;

/**
 * A file's bytes read by range, so a format rule reads only what it needs: the first bytes for a signature, the last
 * for a PDF's end-of-file marker or a ZIP's central directory. An upload in memory and an object in S3 (read with
 * ranged GETs) are both one, so {@link FileTypes} applies the same rules to both.
 */
public interface ByteSource {
    long size();

    /** Up to {@code length} bytes from {@code offset}; fewer where the file ends first. */
    byte[] read(long offset, int length);

    /** Every byte, for the rules that need them all (text formats: UTF-8 throughout, JSON that parses). */
    Bytes all();

    static ByteSource of(Bytes bytes) {
        return new ByteSource() {
            @Override
            public long size() {
                return bytes.length();
            }

            @Override
            public byte[] read(long offset, int length) {
                int from = (int) Math.min(Math.max(0, offset), bytes.length());
                int to = (int) Math.min((long) from + Math.max(0, length), bytes.length());
                return Arrays.copyOfRange(bytes.array(), from, to);
            }

            @Override
            public Bytes all() {
                return bytes;
            }
        };
    }
}
