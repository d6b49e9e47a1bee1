package filesapi.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.UncheckedIOException;

/** One ObjectMapper per container; responses are built as ordered maps, so no bean introspection is needed. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();
    /** Stripe's layout: two-space indent, {@code "key": value}, {@code []} for an empty array. */
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator(""))
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE));
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private Json() {}

    /** Stripe pretty-prints its responses; so do we. */
    public static byte[] pretty(Object value) {
        try {
            return PRETTY.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
