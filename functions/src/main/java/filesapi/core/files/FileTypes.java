package filesapi.core.files;

import filesapi.core.Bytes;
import filesapi.core.Json;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Detects a file's format from its bytes, never from its name. Binary formats have signatures; text formats do
 * not, so once the bytes are known to be text (UTF-8 without NULs) the declared MIME type or extension chooses
 * between CSV, Markdown and plain text. A dozen signatures is all the purposes need, so this is ours rather than a
 * detection library that would cost start-up time on Lambda.
 *
 * <p>Every rule reads its file through a {@link ByteSource}: binary formats only by range (the first bytes, the last
 * 2 KB of a PDF, a ZIP's central directory), so an object in S3 is checked with a few ranged GETs whatever its size;
 * text formats need every byte.
 */
public final class FileTypes {
    private static final int ZIP_ENTRIES_TO_READ = 2_000;
    /** The bytes a binary signature is read from. */
    private static final int SIGNATURE_BYTES = 8;
    /** Where a PDF's %%EOF must be: within its last 2 KB. */
    private static final int PDF_TAIL_BYTES = 2048;
    /** The end-of-central-directory record (22 bytes) and the longest comment it may carry. */
    private static final int ZIP_TAIL_BYTES = 22 + 65_535;
    /** More than 2,000 entries' worth of central directory is never read. */
    private static final int ZIP_DIRECTORY_BYTES_TO_READ = 4 * 1024 * 1024;

    private FileTypes() {}

    public record Detected(FileType type, boolean hasMacros) {}

    public static Detected detect(Bytes bytes, String declaredContentType, String filename) {
        return detect(ByteSource.of(bytes), declaredContentType, filename);
    }

    /** The formats told apart only once every byte is read: they have no signature. */
    static final Set<FileType> TEXT = EnumSet.of(FileType.SVG, FileType.CSV, FileType.TXT, FileType.MARKDOWN,
            FileType.JSON, FileType.PEM);

    public static Detected detect(ByteSource source, String declaredContentType, String filename) {
        return detect(source, declaredContentType, filename, true);
    }

    /**
     * With {@code readText} false, bytes without a binary signature are not read further and detect as nothing: a
     * caller that accepts no {@link #TEXT} format need not read 200 MB to refuse them.
     */
    public static Detected detect(ByteSource source, String declaredContentType, String filename, boolean readText) {
        Bytes head = Bytes.of(source.read(0, SIGNATURE_BYTES));
        Detected binary = binary(head, source);
        return binary != null || !readText ? binary : text(source.all(), declaredContentType, filename);
    }

    /** The format a binary signature names, or null when the bytes have none (then they may be text). */
    private static Detected binary(Bytes bytes, ByteSource source) {
        if (startsWith(bytes, "%PDF-")) {
            return new Detected(FileType.PDF, false);
        }
        if (startsWith(bytes, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
            return new Detected(FileType.PNG, false);
        }
        if (startsWith(bytes, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return new Detected(FileType.JPG, false);
        }
        if (startsWith(bytes, "GIF87a") || startsWith(bytes, "GIF89a")) {
            return new Detected(FileType.GIF, false);
        }
        if (startsWith(bytes, new byte[] {'P', 'K', 3, 4})) {
            return zipFamily(source);
        }
        return null;
    }

    private static Detected text(Bytes bytes, String declaredContentType, String filename) {
        String text = asText(bytes);
        if (text == null) {
            return null;
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("\uFEFF")) {
            trimmed = trimmed.substring(1).strip();
        }
        if (trimmed.startsWith("-----BEGIN ")) {
            return new Detected(FileType.PEM, false);
        }
        if ((trimmed.startsWith("<svg") || trimmed.startsWith("<?xml")) && trimmed.contains("<svg")) {
            return new Detected(FileType.SVG, false);
        }
        if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && Json.isJson(trimmed)) {
            return new Detected(FileType.JSON, false);
        }
        String declared = declaredContentType == null ? "" : declaredContentType.toLowerCase(Locale.ROOT);
        String name = filename == null ? "" : filename.toLowerCase(Locale.ROOT);
        if (declared.startsWith("text/csv") || name.endsWith(".csv")) {
            return new Detected(FileType.CSV, false);
        }
        if (declared.startsWith("text/markdown") || name.endsWith(".md") || name.endsWith(".markdown")) {
            return new Detected(FileType.MARKDOWN, false);
        }
        return new Detected(FileType.TXT, false);
    }

    /** Structural sanity of a PDF: a header and an end-of-file marker near the end, as every writer emits. */
    public static boolean looksLikeCompletePdf(Bytes bytes) {
        return looksLikeCompletePdf(ByteSource.of(bytes));
    }

    public static boolean looksLikeCompletePdf(ByteSource source) {
        long from = Math.max(0, source.size() - PDF_TAIL_BYTES);
        byte[] tail = source.read(from, (int) (source.size() - from));
        return new String(tail, StandardCharsets.ISO_8859_1).contains("%%EOF");
    }

    /**
     * DOCX, XLSX and APK are ZIP archives told apart by the names of their entries, read from the central directory
     * (the archive's index, at its end, which is what Office and Android read too), so a 200 MB APK costs two reads
     * at its end. An archive without a readable central directory is a plain ZIP, which no purpose accepts.
     */
    private static Detected zipFamily(ByteSource source) {
        boolean word = false;
        boolean excel = false;
        boolean android = false;
        boolean macros = false;
        for (String name : zipEntryNames(source)) {
            word |= name.startsWith("word/");
            excel |= name.startsWith("xl/");
            android |= name.equals("AndroidManifest.xml") || name.equals("classes.dex");
            macros |= name.endsWith("vbaProject.bin");
        }
        if (android) {
            return new Detected(FileType.APK, false);
        }
        if (word) {
            return new Detected(FileType.DOCX, macros);
        }
        if (excel) {
            return new Detected(FileType.XLSX, macros);
        }
        return new Detected(FileType.ZIP, false);
    }

    /** The first entries' names from the central directory (ZIP64 included), or none when it cannot be read. */
    static List<String> zipEntryNames(ByteSource source) {
        long size = source.size();
        long tailStart = Math.max(0, size - ZIP_TAIL_BYTES);
        byte[] tail = source.read(tailStart, (int) (size - tailStart));
        int eocd = -1;
        for (int i = tail.length - 22; i >= 0; i--) {
            if (u32(tail, i) == 0x06054b50L && i + 22 + u16(tail, i + 20) <= tail.length) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            return List.of();
        }
        long directorySize = u32(tail, eocd + 12);
        long directoryOffset = u32(tail, eocd + 16);
        if ((directoryOffset == 0xFFFFFFFFL || directorySize == 0xFFFFFFFFL) && eocd >= 20
                && u32(tail, eocd - 20) == 0x07064b50L) {
            long zip64Record = u64(tail, eocd - 20 + 8);
            byte[] record = zip64Record >= 0 && zip64Record < size ? source.read(zip64Record, 56) : new byte[0];
            if (record.length < 56 || u32(record, 0) != 0x06064b50L) {
                return List.of();
            }
            directorySize = u64(record, 40);
            directoryOffset = u64(record, 48);
        }
        if (directoryOffset < 0 || directorySize < 0 || directoryOffset + directorySize > tailStart + eocd) {
            return List.of();
        }
        byte[] directory = source.read(directoryOffset, (int) Math.min(directorySize, ZIP_DIRECTORY_BYTES_TO_READ));
        List<String> names = new ArrayList<>();
        int at = 0;
        while (at + 46 <= directory.length && names.size() < ZIP_ENTRIES_TO_READ && u32(directory, at) == 0x02014b50L) {
            int nameLength = u16(directory, at + 28);
            int next = at + 46 + nameLength + u16(directory, at + 30) + u16(directory, at + 32);
            if (at + 46 + nameLength > directory.length) {
                break;
            }
            names.add(new String(directory, at + 46, nameLength, StandardCharsets.UTF_8));
            at = next;
        }
        return names;
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int at) {
        return u16(b, at) | (long) u16(b, at + 2) << 16;
    }

    private static long u64(byte[] b, int at) {
        return u32(b, at) | u32(b, at + 4) << 32;
    }

    private static String asText(Bytes bytes) {
        byte[] array = bytes.array();
        for (int i = 0; i < bytes.length(); i++) {
            if (array[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(array, 0, bytes.length()))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static boolean startsWith(Bytes bytes, String prefix) {
        return startsWith(bytes, prefix.getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean startsWith(Bytes bytes, byte[] prefix) {
        if (bytes.length() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes.array()[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
