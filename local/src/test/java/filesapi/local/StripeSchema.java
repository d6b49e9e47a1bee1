package filesapi.local;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates response bodies against Stripe's official OpenAPI fragment (a copy of
 * ../shared/spec/stripe-openapi-files.json in test resources), with OpenAPI 3.0 semantics such as {@code nullable}.
 */
public final class StripeSchema {
    private static final String DOC_URI = "https://local.invalid/stripe-openapi-files.json";
    public static final String FILE = "#/components/schemas/file";
    public static final String FILE_LINK = "#/components/schemas/file_link";
    public static final String ERROR = "#/components/schemas/error";
    public static final String FILE_LIST = "#/paths/~1v1~1files/get/responses/200/content/application~1json/schema";
    public static final String FILE_LINK_LIST =
            "#/paths/~1v1~1file_links/get/responses/200/content/application~1json/schema";

    private static final StripeSchema INSTANCE = new StripeSchema();

    private final SchemaRegistry registry;
    private final Map<String, Schema> cache = new ConcurrentHashMap<>();

    private StripeSchema() {
        try (InputStream in = StripeSchema.class.getResourceAsStream("/stripe-openapi-files.json")) {
            String doc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            registry = SchemaRegistry.withDialect(Dialects.getOpenApi30(), b -> b.schemas(Map.of(DOC_URI, doc)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static StripeSchema get() {
        return INSTANCE;
    }

    public List<Error> validate(String pointer, String json) {
        Schema schema = cache.computeIfAbsent(pointer, p -> {
            Schema s = registry.getSchema(SchemaLocation.of(DOC_URI + p));
            s.initializeValidators();
            return s;
        });
        return schema.validate(json, InputFormat.JSON);
    }
}
