package filesapi.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Small files of the formats the purposes accept, with a given size and deterministic contents. */
public final class Samples {
    private Samples() {}

    public static byte[] png(int size) {
        byte[] bytes = random(size, size);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(signature, 0, bytes, 0, signature.length);
        return bytes;
    }

    public static byte[] jpg(int size) {
        byte[] bytes = random(size, size + 1);
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xD8;
        bytes[2] = (byte) 0xFF;
        return bytes;
    }

    public static byte[] pdf(int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] tail = "\ntrailer\n<<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        int fill = Math.max(0, size - out.size() - tail.length);
        byte[] filler = new byte[fill];
        java.util.Arrays.fill(filler, (byte) ' ');
        out.writeBytes(filler);
        out.writeBytes(tail);
        return out.toByteArray();
    }

    public static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
