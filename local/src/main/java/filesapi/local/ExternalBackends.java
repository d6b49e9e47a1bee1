package filesapi.local;

import filesapi.lambda.AwsClients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * DynamoDB and S3 somewhere else: a LocalStack or moto_server a team already runs, or a real account, reached with
 * {@link AwsClients#fromEnvironment()} (the default credentials chain, {@code AWS_REGION}, {@code AWS_ENDPOINT_URL*}).
 * The tables and the bucket are named by the user; they are created, as template.yaml declares them, only when asked,
 * so a mistyped name against a real account fails at start instead of serving from a new, empty table.
 */
public final class ExternalBackends implements AutoCloseable {
    /** The names the server uses, and whether to create what is missing. */
    public record Settings(String table, String listsTable, String bucket, boolean create) {
        /** Read from the options' values: {@code table}, {@code lists-table}, {@code bucket}, {@code create}. */
        static Settings from(Map<String, String> values) {
            String table = blankToNull(values.get("table"));
            String bucket = blankToNull(values.get("bucket"));
            if (table == null || bucket == null) {
                return null;
            }
            String lists = blankToNull(values.get("lists-table"));
            return new Settings(table, lists == null ? filesapi.lambda.Config.listsTable(table) : lists, bucket,
                    Boolean.parseBoolean(values.get("create")));
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }

    private final AwsClients clients;

    private ExternalBackends(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * Checks that both tables and the bucket exist, creating the missing ones when {@code settings.create()}.
     *
     * @throws IllegalStateException naming what is missing, when it may not be created
     */
    public static ExternalBackends open(TemplateModel template, AwsClients clients, Settings settings) {
        try {
            List<String> missing = missing(clients, settings);
            if (!missing.isEmpty()) {
                if (!settings.create()) {
                    throw new IllegalStateException(String.join(" and ", missing) + " not found"
                            + where(clients) + "; pass --create (or FILES_API_CREATE=true) to create "
                            + (missing.size() == 1 ? "it" : "them") + " as template.yaml declares them");
                }
                create(template, clients, settings);
            }
            return new ExternalBackends(clients);
        } catch (RuntimeException e) {
            clients.dynamo().close();
            clients.s3().close();
            throw e;
        }
    }

    /** What of the settings' tables and bucket does not exist yet, as a user would name it. */
    static List<String> missing(AwsClients clients, Settings settings) {
        List<String> missing = new ArrayList<>();
        for (String table : List.of(settings.table(), settings.listsTable())) {
            if (!tableExists(clients.dynamo(), table)) {
                missing.add("table " + table);
            }
        }
        if (!bucketExists(clients.s3(), settings.bucket())) {
            missing.add("bucket " + settings.bucket());
        }
        return missing;
    }

    /** Creates what is missing: both tables from the template (waiting until they are active) and the bucket. */
    static void create(TemplateModel template, AwsClients clients, Settings settings) {
        DynamoDbClient dynamo = clients.dynamo();
        if (!tableExists(dynamo, settings.listsTable())) {
            dynamo.createTable(template.createListsTable(settings.listsTable()));
        }
        boolean newTable = !tableExists(dynamo, settings.table());
        if (newTable) {
            dynamo.createTable(template.createTable(settings.table()));
        }
        for (String table : List.of(settings.table(), settings.listsTable())) {
            dynamo.waiter().waitUntilTableExists(d -> d.tableName(table));
        }
        String ttl = template.ttlAttribute();
        if (newTable && ttl != null) {
            dynamo.updateTimeToLive(u -> u.tableName(settings.table())
                    .timeToLiveSpecification(t -> t.attributeName(ttl).enabled(true)));
        }
        if (!bucketExists(clients.s3(), settings.bucket())) {
            Region region = clients.s3().serviceClientConfiguration().region();
            clients.s3().createBucket(b -> {
                b.bucket(settings.bucket());
                // us-east-1 refuses a location constraint naming itself; every other region needs one.
                if (region != null && !region.equals(Region.US_EAST_1)) {
                    b.createBucketConfiguration(c -> c.locationConstraint(region.id()));
                }
            });
        }
    }

    private static boolean tableExists(DynamoDbClient dynamo, String table) {
        try {
            dynamo.describeTable(d -> d.tableName(table));
            return true;
        } catch (ResourceNotFoundException e) {
            return false;
        }
    }

    private static boolean bucketExists(S3Client s3, String bucket) {
        try {
            s3.headBucket(h -> h.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Where DynamoDB was asked: the endpoint (given to the client or, as the SDK reads it, the environment's). */
    private static String where(AwsClients clients) {
        String endpoint = clients.dynamo().serviceClientConfiguration().endpointOverride().map(Object::toString)
                .orElse(System.getenv("AWS_ENDPOINT_URL_DYNAMODB") != null ? System.getenv("AWS_ENDPOINT_URL_DYNAMODB")
                        : System.getenv("AWS_ENDPOINT_URL"));
        return endpoint != null && !endpoint.isBlank() ? " at " + endpoint
                : " in " + clients.dynamo().serviceClientConfiguration().region();
    }

    public AwsClients clients() {
        return clients;
    }

    @Override
    public void close() {
        clients.dynamo().close();
        clients.s3().close();
    }
}
