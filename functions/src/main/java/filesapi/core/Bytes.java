package filesapi.core;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The first {@code length} bytes of {@code array}. An uploaded file is read straight into a buffer sized for the
 * whole request, and handed on as it is: trimming it would be one more copy of up to 4 MB.
 */
public record Bytes(byte[] array, int length) {
    public Bytes {
        if (length < 0 || length > array.length) {
            throw new IllegalArgumentException("length " + length + " outside an array of " + array.length);
        }
    }

    public static Bytes of(byte[] array) {
        return new Bytes(array, array.length);
    }

    public InputStream stream() {
        return new ByteArrayInputStream(array, 0, length);
    }

    /** A copy of exactly the bytes, or the array itself when it has no spare room. */
    public byte[] toArray() {
        return length == array.length ? array : Arrays.copyOf(array, length);
    }
}
