package filesapi.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/**
 * What the local server takes from template.yaml: each function's HTTP route and handler class, and the table's
 * keys and indexes. Reading them from the template keeps the local server and a deployment from drifting apart.
 */
public record TemplateModel(List<Route> routes, JsonNode table, JsonNode listsTable, CorsPolicy cors) {

    /** One function's route; {@code path} is {@code $default} for the catch-all route. */
    public record Route(String function, String method, String path, String handlerClass) {}

    public static TemplateModel load(Path template) throws IOException {
        try (InputStream in = Files.newInputStream(template)) {
            return parse(in);
        }
    }

    public static TemplateModel parse(InputStream yaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        List<Route> routes = new ArrayList<>();
        JsonNode table = null;
        JsonNode listsTable = null;
        CorsPolicy cors = null;
        Iterator<Map.Entry<String, JsonNode>> resources = root.path("Resources").properties().iterator();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> resource = resources.next();
            String type = resource.getValue().path("Type").asText();
            JsonNode props = resource.getValue().path("Properties");
            if (type.equals("AWS::DynamoDB::Table") && resource.getKey().equals("FilesTable")) {
                table = props;
            }
            if (type.equals("AWS::DynamoDB::Table") && resource.getKey().equals("FileListsTable")) {
                listsTable = props;
            }
            if (type.equals("AWS::Serverless::HttpApi") && props.has("CorsConfiguration")) {
                cors = cors(props.path("CorsConfiguration"), root.path("Parameters"));
            }
            if (!type.equals("AWS::Serverless::Function")) {
                continue;
            }
            String handler = props.path("Handler").asText();
            String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
            Iterator<JsonNode> events = props.path("Events").elements();
            while (events.hasNext()) {
                JsonNode event = events.next();
                if (event.path("Type").asText().equals("HttpApi")) {
                    JsonNode p = event.path("Properties");
                    routes.add(new Route(resource.getKey(), p.path("Method").asText("ANY").toUpperCase(),
                            p.path("Path").asText("$default"), handlerClass));
                }
            }
        }
        if (table == null || listsTable == null) {
            throw new IOException("template lacks the AWS::DynamoDB::Table FilesTable or FileListsTable");
        }
        return new TemplateModel(List.copyOf(routes), table, listsTable, cors);
    }

    /**
     * A CorsConfiguration of literal lists, whose AllowOrigins may instead be {@code !Ref} to a comma-delimited
     * parameter (the YAML reader keeps a tagged scalar's text, the parameter's name), read at its default.
     */
    private static CorsPolicy cors(JsonNode config, JsonNode parameters) throws IOException {
        JsonNode origins = config.path("AllowOrigins");
        List<String> allowOrigins;
        if (origins.isTextual()) {
            JsonNode parameter = parameters.path(origins.asText());
            if (!parameter.has("Default")) {
                throw new IOException("CorsConfiguration.AllowOrigins names parameter " + origins.asText()
                        + ", which the template does not declare with a Default");
            }
            allowOrigins = CorsPolicy.origins(parameter.path("Default").asText());
        } else {
            allowOrigins = strings(origins);
        }
        return new CorsPolicy(allowOrigins, strings(config.path("AllowMethods")), strings(config.path("AllowHeaders")),
                strings(config.path("ExposeHeaders")),
                config.has("MaxAge") ? config.path("MaxAge").asInt() : null);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return List.copyOf(values);
    }

    /** The template's table as a CreateTable request, for the emulator and for LocalStack. */
    public CreateTableRequest createTable(String tableName) {
        return createTable(table, tableName);
    }

    /** The template's lists table as a CreateTable request. */
    public CreateTableRequest createListsTable(String tableName) {
        return createTable(listsTable, tableName);
    }

    private static CreateTableRequest createTable(JsonNode table, String tableName) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        table.path("AttributeDefinitions").forEach(a -> attributes.add(AttributeDefinition.builder()
                .attributeName(a.path("AttributeName").asText())
                .attributeType(a.path("AttributeType").asText()).build()));
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        table.path("GlobalSecondaryIndexes").forEach(i -> indexes.add(GlobalSecondaryIndex.builder()
                .indexName(i.path("IndexName").asText())
                .keySchema(keySchema(i.path("KeySchema")))
                .projection(Projection.builder().projectionType(i.path("Projection").path("ProjectionType").asText())
                        .build())
                .build()));
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attributes)
                .keySchema(keySchema(table.path("KeySchema")));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    public String ttlAttribute() {
        return table.path("TimeToLiveSpecification").path("AttributeName").asText(null);
    }

    private static List<KeySchemaElement> keySchema(JsonNode schema) {
        List<KeySchemaElement> keys = new ArrayList<>();
        schema.forEach(k -> keys.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                .keyType(k.path("KeyType").asText()).build()));
        return keys;
    }
}
