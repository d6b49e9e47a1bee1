package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, read from template.yaml: each function may hold only the actions its endpoint needs, on the
 * table or bucket (never "*"), and the bucket can never be reached publicly.
 */
class TemplatePolicyTest {
    /** What each handler's code paths call (idempotency records included for the POST endpoints). */
    private static final Map<String, Set<String>> NEEDS = Map.of(
            "filesapi.files.CreateFileHandler",
            Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "s3:PutObject", "s3:DeleteObject"),
            "filesapi.files.RetrieveFileHandler", Set.of("dynamodb:GetItem", "dynamodb:Query"),
            "filesapi.files.ListFilesHandler", Set.of("dynamodb:GetItem", "dynamodb:Query"),
            "filesapi.files.FileContentsHandler", Set.of("dynamodb:GetItem", "s3:GetObject"),
            "filesapi.links.CreateFileLinkHandler", Set.of("dynamodb:GetItem", "dynamodb:PutItem",
                    "dynamodb:UpdateItem"),
            "filesapi.links.UpdateFileLinkHandler", Set.of("dynamodb:GetItem", "dynamodb:PutItem",
                    "dynamodb:UpdateItem"),
            "filesapi.links.RetrieveFileLinkHandler", Set.of("dynamodb:GetItem"),
            "filesapi.links.ListFileLinksHandler", Set.of("dynamodb:GetItem", "dynamodb:Query"),
            "filesapi.links.OpenFileLinkHandler", Set.of("dynamodb:GetItem", "s3:GetObject"),
            "filesapi.api.NotFoundHandler", Set.of());

    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(
                Path.of(System.getProperty("files.api.template", "../template.yaml")).toFile());
    }

    @Test
    void everyFunctionHoldsExactlyWhatItsEndpointNeeds() throws Exception {
        List<String> problems = new ArrayList<>();
        int functions = 0;
        Iterator<Map.Entry<String, JsonNode>> resources = template().path("Resources").fields();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            if (!r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            functions++;
            JsonNode props = r.getValue().path("Properties");
            String handler = props.path("Handler").asText().split("::")[0];
            Set<String> needs = NEEDS.get(handler);
            if (needs == null) {
                problems.add(r.getKey() + ": handler " + handler + " has no entry in this test");
                continue;
            }
            Set<String> holds = new TreeSet<>();
            for (JsonNode policy : props.path("Policies")) {
                if (!policy.has("Statement")) {
                    problems.add(r.getKey() + ": uses a managed or template policy " + policy
                            + " whose actions this test cannot see");
                    continue;
                }
                for (JsonNode statement : policy.path("Statement")) {
                    if (!statement.path("Effect").asText().equals("Allow")) {
                        continue;
                    }
                    for (JsonNode action : iterable(statement.path("Action"))) {
                        holds.add(action.asText());
                        if (action.asText().contains("*")) {
                            problems.add(r.getKey() + ": wildcard action " + action.asText());
                        }
                    }
                    for (JsonNode resource : iterable(statement.path("Resource"))) {
                        if (resource.isTextual() && resource.asText().equals("*")) {
                            problems.add(r.getKey() + ": Resource \"*\"");
                        }
                    }
                }
            }
            Set<String> extra = new TreeSet<>(holds);
            extra.removeAll(needs);
            Set<String> missing = new TreeSet<>(needs);
            missing.removeAll(holds);
            if (!extra.isEmpty()) {
                problems.add(r.getKey() + ": holds more than it needs " + extra);
            }
            if (!missing.isEmpty()) {
                problems.add(r.getKey() + ": lacks " + missing + " (its endpoint would fail when deployed)");
            }
        }
        assertEquals(NEEDS.size(), functions, "one function per handler");
        assertEquals(List.of(), problems);
    }

    @Test
    void theBucketIsNeverPublic() throws Exception {
        JsonNode resources = template().path("Resources");
        int buckets = 0;
        Iterator<Map.Entry<String, JsonNode>> all = resources.fields();
        while (all.hasNext()) {
            JsonNode r = all.next().getValue();
            String type = r.path("Type").asText();
            if (type.equals("AWS::S3::Bucket")) {
                buckets++;
                JsonNode block = r.path("Properties").path("PublicAccessBlockConfiguration");
                for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                        "RestrictPublicBuckets")) {
                    assertTrue(block.path(flag).asBoolean(), flag);
                }
                assertFalse(r.path("Properties").path("BucketEncryption").isMissingNode(), "encryption");
                assertFalse(r.path("Properties").has("AccessControl"), "no canned ACL");
            }
            if (type.equals("AWS::S3::BucketPolicy")) {
                for (JsonNode statement : r.path("Properties").path("PolicyDocument").path("Statement")) {
                    boolean anyone = statement.path("Principal").asText().equals("*")
                            || statement.path("Principal").path("AWS").asText().equals("*");
                    assertFalse(anyone && statement.path("Effect").asText().equals("Allow"),
                            "a bucket policy must not allow everyone: " + statement);
                }
            }
        }
        assertEquals(1, buckets);
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        return node.isArray() ? node : List.of(node);
    }
}
