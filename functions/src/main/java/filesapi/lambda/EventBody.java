package filesapi.lambda;

import filesapi.core.StripeError;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A request body as the API Gateway event carries it: text, or base64 (how API Gateway hands Lambda every binary
 * body, multipart uploads included). A base64 body is decoded once as a whole when asked for its bytes, or chunk by
 * chunk as a reader pulls it ({@link #stream()}), so that a 4 MB upload is not copied whole three times before the
 * multipart parser sees it.
 */
public final class EventBody {
    /** Base64 characters decoded per chunk: a multiple of 4, small enough to stay in the CPU cache. */
    static final int CHUNK_CHARS = 32 * 1024;

    static final EventBody EMPTY = new EventBody(null, false);

    private final String text;
    private final boolean base64;
    private byte[] bytes;

    EventBody(String text, boolean base64) {
        this.text = text;
        this.base64 = base64;
    }

    public boolean isEmpty() {
        return text == null || text.isEmpty();
    }

    /**
     * The decoded size, without decoding: exact for base64 as API Gateway sends it, an upper bound for base64 with
     * line breaks.
     */
    public long length() {
        if (isEmpty()) {
            return 0;
        }
        if (bytes != null) {
            return bytes.length;
        }
        if (!base64) {
            return bytes().length;
        }
        int chars = text.length();
        int padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
        return (long) chars / 4 * 3 + (chars % 4 == 0 ? 0 : chars % 4 - 1) - padding;
    }

    /** Whether the decoded body is longer than {@code max} bytes, decoding only when the size is not exact. */
    public boolean longerThan(long max) {
        return length() > max && bytes().length > max;
    }

    /** The whole body, decoded once. A base64 body with line breaks or stray characters gets the MIME decoder. */
    public byte[] bytes() {
        if (bytes == null) {
            if (isEmpty()) {
                bytes = new byte[0];
            } else if (!base64) {
                bytes = text.getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    bytes = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException notPlain) {
                    try {
                        bytes = Base64.getMimeDecoder().decode(text);
                    } catch (IllegalArgumentException e) {
                        throw undecodable();
                    }
                }
            }
        }
        return bytes;
    }

    /**
     * The body as a stream. A plain base64 body is decoded as it is read; if it turns out not to be plain base64
     * the stream throws {@link NotPlainBase64}, and the reader starts again from {@link #bytes()}.
     */
    public InputStream stream() {
        return bytes != null || !base64 || isEmpty() ? new ByteArrayInputStream(bytes()) : new Decoding(text);
    }

    static StripeError undecodable() {
        return StripeError.invalid("The request body could not be decoded.", null);
    }

    /** Thrown by {@link #stream()} on base64 that the basic decoder refuses (line breaks, stray characters). */
    public static final class NotPlainBase64 extends RuntimeException {
        NotPlainBase64() {
            super("not plain base64", null, false, false);
        }
    }

    private static final class Decoding extends InputStream {
        private final String encoded;
        private final byte[] chunk = new byte[CHUNK_CHARS];
        private final byte[] decoded = new byte[CHUNK_CHARS / 4 * 3];
        private int next;
        private int pos;
        private int limit;

        Decoding(String encoded) {
            this.encoded = encoded;
        }

        @Override
        public int read() {
            if (pos == limit && !fill()) {
                return -1;
            }
            return decoded[pos++] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (pos == limit && !fill()) {
                return -1;
            }
            int n = Math.min(length, limit - pos);
            System.arraycopy(decoded, pos, into, offset, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return limit - pos;
        }

        /**
         * Copies the characters' low bytes into a reused buffer (substring and getBytes, which allocate and copy
         * twice, took 1.4 of 1.9 ms for a 4 MB upload). A character from 0x80 to 0xFF stays a byte the decoder
         * refuses. One above 0xFF loses its high byte and may decode as a letter; the MIME decoder such a body
         * used to get dropped it instead. Either way a body that is not base64 (API Gateway sends only ASCII here)
         * becomes garbage that the multipart parser or the type check then refuses, as before.
         */
        @SuppressWarnings("deprecation")
        private boolean fill() {
            while (next < encoded.length()) {
                int end = Math.min(encoded.length(), next + CHUNK_CHARS);
                encoded.getBytes(next, end, chunk, 0);
                int length = end - next;
                next = end;
                try {
                    limit = Base64.getDecoder().decode(length == chunk.length ? chunk
                            : java.util.Arrays.copyOf(chunk, length), decoded);
                } catch (IllegalArgumentException e) {
                    throw new NotPlainBase64();
                }
                pos = 0;
                if (limit > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public String toString() {
        return "EventBody[" + (base64 ? "base64, " : "") + (text == null ? 0 : text.length()) + " chars]";
    }
}
