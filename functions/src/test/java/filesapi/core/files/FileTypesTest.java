package filesapi.core.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Bytes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class FileTypesTest {
    static byte[] zip(String... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (String e : entries) {
                zip.putNextEntry(new ZipEntry(e));
                zip.write(1);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static FileType detect(byte[] bytes, String declared, String name) {
        FileTypes.Detected d = FileTypes.detect(Bytes.of(bytes), declared, name);
        return d == null ? null : d.type();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void binaryFormatsComeFromTheirSignatureNotTheirName() throws IOException {
        assertEquals(FileType.PDF, detect(ascii("%PDF-1.7\n%%EOF\n"), "image/png", "x.png"));
        assertEquals(FileType.PNG, detect(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0}, null, "x.pdf"));
        assertEquals(FileType.JPG, detect(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, null, null));
        assertEquals(FileType.GIF, detect(ascii("GIF89a...."), null, null));
        assertEquals(FileType.DOCX, detect(zip("[Content_Types].xml", "word/document.xml"), null, "a.pdf"));
        assertEquals(FileType.XLSX, detect(zip("[Content_Types].xml", "xl/workbook.xml"), null, null));
        assertEquals(FileType.APK, detect(zip("AndroidManifest.xml", "classes.dex"), null, null));
        assertEquals(FileType.ZIP, detect(zip("a.txt"), null, "a.docx"));
        assertTrue(FileTypes.detect(Bytes.of(zip("word/document.xml", "word/vbaProject.bin")), null, null)
                .hasMacros());
        assertNull(detect(new byte[] {0, 1, 2, 3}, "application/pdf", "a.pdf"));
    }

    @Test
    void textFormatsUseContentFirstThenTheDeclaredType() {
        assertEquals(FileType.JSON, detect(ascii(" {\"a\": [1, 2]}"), "text/plain", "a.txt"));
        assertEquals(FileType.PEM, detect(ascii("-----BEGIN CERTIFICATE-----\nMIIB\n"), null, null));
        assertEquals(FileType.SVG, detect(ascii("<?xml version=\"1.0\"?><svg xmlns=\"x\"></svg>"), null, null));
        assertEquals(FileType.CSV, detect(ascii("a,b\n1,2\n"), "text/csv", null));
        assertEquals(FileType.CSV, detect(ascii("a,b\n1,2\n"), null, "data.CSV"));
        assertEquals(FileType.MARKDOWN, detect(ascii("# Terms\n"), null, "terms.md"));
        assertEquals(FileType.TXT, detect(ascii("{not json"), null, null));
    }

    @Test
    void pdfsWithoutAnEndMarkerAreIncomplete() {
        assertTrue(FileTypes.looksLikeCompletePdf(Bytes.of(ascii("%PDF-1.4\n1 0 obj\n%%EOF\n"))));
        assertEquals(false, FileTypes.looksLikeCompletePdf(Bytes.of(ascii("%PDF-1.4\n1 0 obj\n"))));
    }
}
