package filesapi.core;

import java.nio.charset.StandardCharsets;

/**
 * {@code attachment} with a file name that cannot break the header or a presigned signature: an ASCII fallback
 * without quotes, separators or control characters, and the exact name as RFC 5987 {@code filename*}.
 */
public final class ContentDisposition {
    private ContentDisposition() {}

    public static String attachment(String filename) {
        String name = filename == null || filename.isBlank() ? "download" : filename;
        StringBuilder ascii = new StringBuilder();
        boolean exact = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '/' && c != ';' && c != '%') {
                ascii.append(c);
            } else {
                ascii.append('_');
                exact = false;
            }
        }
        String header = "attachment; filename=\"" + ascii + "\"";
        return exact ? header : header + "; filename*=UTF-8''" + percentEncode(name);
    }

    private static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean attrChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "!#$&+-.^_`|~".indexOf(c) >= 0;
            if (attrChar) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }
}
