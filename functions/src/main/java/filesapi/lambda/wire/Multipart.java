package filesapi.lambda.wire;

import filesapi.core.Bytes;
import filesapi.core.StripeError;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * multipart/form-data decoding of an in-memory body (API Gateway hands Lambda the whole body at once), with
 * mime4j's streaming parser. Strict parsing, so that a body cut short (no closing delimiter) is refused rather than
 * stored truncated; part headers are bounded so that a hostile body cannot make the parser hold much besides it.
 */
public final class Multipart {
    public record FilePart(String field, String filename, String contentType, Bytes contents) {
        /** The contents as an array of their own: a copy, unless the buffer has no spare room. */
        public byte[] bytes() {
            return contents.toArray();
        }
    }

    public record Form(List<Map.Entry<String, String>> fields, List<FilePart> files) {}

    /** RFC 2046 allows 70 characters; a little slack for clients that exceed it. */
    static final int MAX_BOUNDARY_LENGTH = 200;

    private static final MimeConfig CONFIG = MimeConfig.custom()
            .setStrictParsing(true)
            .setMaxHeaderCount(100)
            .setMaxHeaderLen(10_240)
            .setMaxLineLen(10_240)
            .setMaxContentLen(-1)
            .build();

    private Multipart() {}

    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("multipart/form-data");
    }

    public static Form decode(byte[] body, String contentType) {
        return decode(new ByteArrayInputStream(body), body.length, contentType);
    }

    /**
     * Parts with a file name, or named {@code file}, are files; every other part is a text parameter. Exceptions
     * other than the parser's own (such as {@link EventBody.NotPlainBase64}) pass through. {@code maxLength}, at
     * least the body's length, sizes the buffer that the first file is read into.
     */
    public static Form decode(InputStream body, long maxLength, String contentType) {
        // mime4j's RawField throws on a carriage return (out of bounds when it is the last character); a header
        // value holds no control characters anyway.
        if (contentType.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            throw invalid("the Content-Type header holds a control character");
        }
        String boundary = param(new RawField("Content-Type", contentType), "boundary");
        if (boundary == null || boundary.isEmpty()) {
            throw invalid("the Content-Type header names no boundary");
        }
        if (boundary.length() > MAX_BOUNDARY_LENGTH) {
            throw invalid("the boundary is longer than " + MAX_BOUNDARY_LENGTH + " characters");
        }
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        List<FilePart> files = new ArrayList<>();
        try {
            MimeTokenStream parts = new MimeTokenStream(CONFIG);
            parts.parseHeadless(body, contentType);
            if (parts.getState() != EntityState.T_START_MULTIPART) {
                throw invalid("the body could not be read as multipart");
            }
            // The form's own parts are opaque: a part that says it is multipart/mixed is contents, not more parts.
            parts.setRecursionMode(RecursionMode.M_FLAT);
            PartHeaders headers = new PartHeaders();
            boolean closed = false;
            for (EntityState state = parts.next(); state != EntityState.T_END_OF_STREAM; state = parts.next()) {
                switch (state) {
                    case T_START_BODYPART -> headers = new PartHeaders();
                    case T_FIELD -> headers.add(parts.getField());
                    case T_BODY -> {
                        if (headers.name == null) {
                            throw invalid("a part has no name in its Content-Disposition header");
                        }
                        boolean isFile = headers.filename != null || "file".equals(headers.name);
                        Bytes bytes;
                        try (InputStream in = parts.getInputStream()) {
                            // Only the first file gets a buffer the size of the body: many small file parts must
                            // not each claim one.
                            bytes = isFile && files.isEmpty() ? readInto(in, maxLength) : Bytes.of(in.readAllBytes());
                        }
                        if (isFile) {
                            files.add(new FilePart(headers.name, headers.filename, headers.contentType, bytes));
                        } else {
                            fields.add(Map.entry(headers.name, new String(bytes.array(), 0, bytes.length(),
                                    charsetOf(headers.contentType))));
                        }
                    }
                    case T_END_MULTIPART -> closed = true;
                    default -> { }
                }
            }
            if (!closed) {
                throw invalid("the body ends before its closing boundary");
            }
        } catch (IOException | MimeException | IllegalStateException | IllegalArgumentException e) {
            throw invalid(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        return new Form(fields, files);
    }

    private static Bytes readInto(InputStream in, long maxLength) throws IOException {
        byte[] buffer = new byte[(int) Math.min(maxLength, Integer.MAX_VALUE - 8)];
        int n = in.readNBytes(buffer, 0, buffer.length);
        if (n == buffer.length && in.read() != -1) {
            throw new IllegalStateException("a part is longer than the whole body");
        }
        return new Bytes(buffer, n);
    }

    private static StripeError invalid(String why) {
        // mime4j's messages end in a full stop of their own ("... EOF reached."); one sentence, one stop.
        return StripeError.invalid("Invalid multipart/form-data body: " + why.replaceAll("[.\\s]+$", "")
                + ". Send the file as a multipart/form-data part named 'file'.", null);
    }

    /** The headers of one part that the form cares about. */
    private static final class PartHeaders {
        String name;
        String filename;
        String contentType;

        void add(Field field) {
            RawField raw = field instanceof RawField r ? r : new RawField(field.getName(), field.getBody());
            if ("Content-Disposition".equalsIgnoreCase(field.getName())) {
                RawBody disposition = RawFieldParser.DEFAULT.parseRawBody(raw);
                if ("form-data".equalsIgnoreCase(disposition.getValue())) {
                    name = value(disposition, "name");
                    filename = value(disposition, "filename");
                }
            } else if ("Content-Type".equalsIgnoreCase(field.getName())) {
                contentType = field.getBody() == null ? null : field.getBody().trim();
            }
        }
    }

    private static String param(RawField field, String name) {
        return value(RawFieldParser.DEFAULT.parseRawBody(field), name);
    }

    private static String value(RawBody body, String name) {
        for (NameValuePair pair : body.getParams()) {
            if (name.equalsIgnoreCase(pair.getName())) {
                return pair.getValue();
            }
        }
        return null;
    }

    private static Charset charsetOf(String partContentType) {
        if (partContentType != null) {
            int at = partContentType.toLowerCase().indexOf("charset=");
            if (at >= 0) {
                try {
                    return Charset.forName(partContentType.substring(at + 8).replace("\"", "").trim());
                } catch (RuntimeException ignored) {
                    // An unknown charset falls back to UTF-8, what every Stripe client sends.
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
