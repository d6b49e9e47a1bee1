package filesapi.admin;

import filesapi.lambda.AwsClients;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Seeds a deployed table and bucket with {@link SampleData}, so every event in {@code events/} works as it is with
 * {@code sam local invoke}. Uses the caller's AWS credentials; region from {@code --region} or the environment.
 */
public final class SamplesCommand {
    static final String USAGE = "usage: samples --table NAME --bucket NAME [--region REGION]"
            + "   (defaults: $TABLE_NAME, $BUCKET_NAME, $AWS_REGION)\n";

    private SamplesCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), null, System.err));
    }

    /** @param aws the clients to use, or null to build them from the environment */
    public static int run(String[] args, Map<String, String> env, AwsClients aws, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (i + 1 >= args.length || !(name.equals("table") || name.equals("bucket") || name.equals("region"))) {
                err.print(USAGE);
                return 2;
            }
            options.put(name, args[i + 1]);
        }
        String table = options.getOrDefault("table", env.get("TABLE_NAME"));
        String bucket = options.getOrDefault("bucket", env.get("BUCKET_NAME"));
        if (table == null || bucket == null) {
            err.print(USAGE);
            return 2;
        }
        Map<String, String> withRegion = new HashMap<>(env);
        if (options.containsKey("region")) {
            withRegion.put("AWS_REGION", options.get("region"));
        }
        SampleData.seed(aws != null ? aws : AwsClients.from(withRegion), table, bucket, Clock.systemUTC());
        err.println("Seeded " + table + " and " + bucket + ": key " + SampleData.KEY.substring(0, 12) + "... for "
                + SampleData.ACCOUNT + ", file " + SampleData.FILE_ID + ", links " + SampleData.LINK_ID + " and "
                + SampleData.EXPIRED_LINK_ID + " (expired). The sample events now work as they are.");
        return 0;
    }
}
