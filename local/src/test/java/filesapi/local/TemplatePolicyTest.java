package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.AwsClients;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Config;
import filesapi.lambda.Services;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, read from template.yaml: each function holds exactly the IAM actions of the AWS operations its
 * handler declares ({@link ApiHandler#operations}), each on what the operation acts on (the table, the lists table, the
 * bucket or its objects; never "*"), and the bucket can never be reached publicly.
 */
class TemplatePolicyTest {
    /** How the template names what a statement grants on. */
    private static final Map<String, AwsOperation.Resource> RESOURCES = Map.of(
            "FilesTable.Arn", AwsOperation.Resource.TABLE,
            "FileListsTable.Arn", AwsOperation.Resource.LISTS_TABLE,
            "FilesBucket.Arn", AwsOperation.Resource.BUCKET,
            "${FilesBucket.Arn}/*", AwsOperation.Resource.OBJECTS,
            "${FilesBucket.Arn}/uploads/*", AwsOperation.Resource.UPLOADS);

    private static JsonNode template() throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(
                Path.of(System.getProperty("files.api.template", "../template.yaml")).toFile());
    }

    /** A handler's operations depend on its class alone; it is built over clients that are never called. */
    private static final Services UNUSED = Services.create(new Config("t", "b", "", Duration.ofSeconds(300)),
            AwsClients.from(Map.of("AWS_REGION", "us-east-1")), Clock.systemUTC());

    private static Set<String> declaredGrants(String handlerClass) {
        Set<String> grants = new TreeSet<>();
        for (AwsOperation operation : ((ApiHandler) LocalServer.instantiate(handlerClass, UNUSED)).operations()) {
            operation.grants().forEach(grant -> grants.add(grant.action() + " on " + grant.on()));
        }
        return grants;
    }

    @Test
    void everyFunctionHoldsExactlyTheActionsOfTheOperationsItsHandlerDeclares() throws Exception {
        List<String> problems = new ArrayList<>();
        int functions = 0;
        Iterator<Map.Entry<String, JsonNode>> resources = template().path("Resources").properties().iterator();
        while (resources.hasNext()) {
            Map.Entry<String, JsonNode> r = resources.next();
            if (!r.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                continue;
            }
            functions++;
            JsonNode props = r.getValue().path("Properties");
            Set<String> needs = declaredGrants(props.path("Handler").asText().split("::")[0]);
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
                    for (JsonNode resource : iterable(statement.path("Resource"))) {
                        AwsOperation.Resource on = RESOURCES.get(resource.asText());
                        if (on == null) {
                            problems.add(r.getKey() + ": Resource " + resource + " is none of " + RESOURCES.keySet());
                        }
                        for (JsonNode action : iterable(statement.path("Action"))) {
                            holds.add(action.asText() + " on " + on);
                            if (action.asText().contains("*")) {
                                problems.add(r.getKey() + ": wildcard action " + action.asText());
                            }
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
        assertEquals(TestApi.template().routes().size(), functions, "one function per route");
        assertEquals(List.of(), problems);
    }

    @Test
    void theBucketIsNeverPublic() throws Exception {
        JsonNode resources = template().path("Resources");
        int buckets = 0;
        Iterator<Map.Entry<String, JsonNode>> all = resources.properties().iterator();
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
