package filesapi.admin;

import filesapi.dynamodb.ListsBackfill;
import filesapi.lambda.AwsClients;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Gives the files and links a deployed stack stored before its lists table existed their list entries; run once
 * after deploying the version that added the table (README, "Table design"). Uses the caller's AWS credentials.
 */
public final class ListsBackfillCommand {
    static final String USAGE = "usage: lists-backfill --table NAME --lists-table NAME [--region REGION]"
            + "   (the stack's TableName and ListsTableName outputs; defaults: $TABLE_NAME, $LISTS_TABLE_NAME,"
            + " $AWS_REGION)\n";

    private ListsBackfillCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), null, System.err));
    }

    /** @param dynamo the client to use, or null to build one from the environment */
    public static int run(String[] args, Map<String, String> env, DynamoDbClient dynamo, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (i + 1 >= args.length || !(name.equals("table") || name.equals("lists-table") || name.equals("region"))) {
                err.print(USAGE);
                return 2;
            }
            options.put(name, args[i + 1]);
        }
        String table = options.getOrDefault("table", env.get("TABLE_NAME"));
        // Deployed names are generated, so the lists table's cannot be derived from the table's.
        String lists = options.getOrDefault("lists-table", env.get("LISTS_TABLE_NAME"));
        if (table == null || lists == null) {
            err.print(USAGE);
            return 2;
        }
        Map<String, String> withRegion = new HashMap<>(env);
        if (options.containsKey("region")) {
            withRegion.put("AWS_REGION", options.get("region"));
        }
        ListsBackfill.Result result;
        try {
            result = ListsBackfill.run(dynamo != null ? dynamo : AwsClients.from(withRegion).dynamo(), table, lists);
        } catch (SdkException e) {
            err.println(KeysCommand.awsFailure(e, "no table '" + table + "' or '" + lists + "' in "
                    + withRegion.getOrDefault("AWS_REGION", "the default region")
                    + ": give the stack's TableName and ListsTableName outputs"));
            return 1;
        }
        err.println("Backfilled " + lists + " from " + table + ": " + result.objects() + " files and links, "
                + result.written() + " entries written (the others existed).");
        return 0;
    }
}
