package filesapi.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.RequestContext;

/** multipart/form-data decoding of an in-memory body (API Gateway hands Lambda the whole body at once). */
public final class Multipart {
    public record FilePart(String field, String filename, String contentType, byte[] bytes) {}

    public record Form(List<Map.Entry<String, String>> fields, List<FilePart> files) {}

    private Multipart() {}

    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("multipart/form-data");
    }

    /** Parts with a file name, or named {@code file}, are files; every other part is a text parameter. */
    public static Form decode(byte[] body, String contentType) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        List<FilePart> files = new ArrayList<>();
        try {
            FileItemInputIterator items = new BytesUpload().getItemIterator(new BytesContext(body, contentType));
            while (items.hasNext()) {
                FileItemInput item = items.next();
                byte[] bytes;
                try (InputStream in = item.getInputStream()) {
                    bytes = in.readAllBytes();
                }
                String name = item.getFieldName();
                if (name == null) {
                    throw StripeError.invalid("Invalid multipart/form-data body: a part has no name in its"
                            + " Content-Disposition header.", null);
                }
                if (!item.isFormField() || "file".equals(name)) {
                    files.add(new FilePart(name, item.getName(), item.getContentType(), bytes));
                } else {
                    fields.add(Map.entry(name, new String(bytes, charsetOf(item.getContentType()))));
                }
            }
        } catch (IOException | IllegalStateException e) {
            throw StripeError.invalid("Invalid multipart/form-data body: " + e.getMessage()
                    + ". Send the file as a multipart/form-data part named 'file'.", null);
        } catch (InvalidPathException e) {
            // The parser refuses file names with NUL and similar characters (found by FuzzTest).
            throw StripeError.invalid("Invalid multipart/form-data body: a part's file name contains characters"
                    + " that are not allowed (such as NUL).", "file");
        }
        return new Form(fields, files);
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

    private static final class BytesUpload extends AbstractFileUpload<byte[], DiskFileItem, DiskFileItemFactory> {
        BytesUpload() {
            setHeaderCharset(StandardCharsets.UTF_8);
        }

        @Override
        public FileItemInputIterator getItemIterator(byte[] request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(byte[] request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<DiskFileItem> parseRequest(byte[] request) {
            throw new UnsupportedOperationException();
        }
    }

    private record BytesContext(byte[] body, String contentType) implements RequestContext {
        @Override
        public String getCharacterEncoding() {
            return StandardCharsets.UTF_8.name();
        }

        @Override
        public long getContentLength() {
            return body.length;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public InputStream getInputStream() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }
}
