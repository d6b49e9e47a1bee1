package filesapi.core.files;

import filesapi.core.Bytes;
import filesapi.core.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Detects a file's format from its bytes, never from its name. Binary formats have signatures; text formats do
 * not, so once the bytes are known to be text (UTF-8 without NULs) the declared MIME type or extension chooses
 * between CSV, Markdown and plain text. A dozen signatures is all the purposes need, so this is ours rather than a
 * detection library that would cost start-up time on Lambda.
 */
public final class FileTypes {
    private static final int ZIP_ENTRIES_TO_READ = 2_000;

    private FileTypes() {}

    public record Detected(FileType type, boolean hasMacros) {}

    public static Detected detect(Bytes bytes, String declaredContentType, String filename) {
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
            return zipFamily(bytes);
        }
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
        int from = Math.max(0, bytes.length() - 2048);
        String tail = new String(bytes.array(), from, bytes.length() - from, StandardCharsets.ISO_8859_1);
        return tail.contains("%%EOF");
    }

    private static Detected zipFamily(Bytes bytes) {
        boolean word = false;
        boolean excel = false;
        boolean android = false;
        boolean macros = false;
        try (ZipInputStream zip = new ZipInputStream(bytes.stream())) {
            ZipEntry entry;
            int seen = 0;
            while ((entry = zip.getNextEntry()) != null && seen++ < ZIP_ENTRIES_TO_READ) {
                String name = entry.getName();
                word |= name.startsWith("word/");
                excel |= name.startsWith("xl/");
                android |= name.equals("AndroidManifest.xml") || name.equals("classes.dex");
                macros |= name.endsWith("vbaProject.bin");
            }
        } catch (IOException | IllegalArgumentException e) {
            return new Detected(FileType.ZIP, false);
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
