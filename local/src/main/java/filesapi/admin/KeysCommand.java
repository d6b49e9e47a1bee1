package filesapi.admin;

import filesapi.core.Caller;
import filesapi.core.auth.ApiKeys;
import filesapi.dynamodb.DynamoApiKeyStore;
import filesapi.dynamodb.DynamoConnectionStore;
import java.io.PrintStream;
import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Provisions keys and connections in a deployed table, with the caller's own AWS credentials (the default chain:
 * environment, profile, SSO, instance role). A created key is printed once, on stdout alone, so it can be captured.
 */
public final class KeysCommand {
    static final String USAGE = """
            usage: keys create     --account acct_... --mode test|live [--kind secret|restricted|publishable]
                                   [--files none|read|write]                (a restricted key's permission)
                   keys import     --account acct_... --key sk_test_... [--files ...]  (a key you already have)
                   keys revoke     --key sk_...
                   keys connect    --platform acct_... --account acct_...   (the platform may use Stripe-Account)
                   keys disconnect --platform acct_... --account acct_...
            common options: --table NAME (default: $TABLE_NAME)  --region REGION (default: the SDK's region chain)
            """;

    private KeysCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), null, System.out, System.err));
    }

    /**
     * @param dynamo the client to use, or null to build one from the environment and {@code --region}
     * @return the exit code: 0 done, 1 nothing to revoke or disconnect or AWS could not be used, 2 bad usage
     */
    public static int run(String[] args, Map<String, String> env, DynamoDbClient dynamo, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            err.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String command = args[0];
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                err.println("expected --option value, got '" + args[i] + "'");
                err.print(USAGE);
                return 2;
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        Set<String> allowed = switch (command) {
            case "create" -> Set.of("account", "mode", "kind", "files", "table", "region");
            case "import" -> Set.of("account", "key", "files", "table", "region");
            case "revoke" -> Set.of("key", "table", "region");
            case "connect", "disconnect" -> Set.of("platform", "account", "table", "region");
            default -> null;
        };
        if (allowed == null) {
            err.println("unknown command '" + command + "'");
            err.print(USAGE);
            return 2;
        }
        for (String name : options.keySet()) {
            if (!allowed.contains(name)) {
                err.println("'" + command + "' takes no --" + name);
                return 2;
            }
        }
        String table = options.getOrDefault("table", env.get("TABLE_NAME"));
        if (table == null || table.isBlank()) {
            err.println("name the table with --table (the stack's TableName output) or TABLE_NAME");
            return 2;
        }
        DynamoDbClient client = null;
        try {
            client = dynamo != null ? dynamo : client(options.get("region"));
            ApiKeys keys = new ApiKeys(new DynamoApiKeyStore(client, table), new DynamoConnectionStore(client, table),
                    Clock.systemUTC());
            return switch (command) {
                case "create" -> create(keys, options, out, err);
                case "import" -> {
                    keys.register(required(options, "key"), required(options, "account"), files(options));
                    err.println("Stored the hash of " + options.get("key").substring(0, 8) + "... for "
                            + options.get("account") + ".");
                    yield 0;
                }
                case "revoke" -> report(keys.revoke(required(options, "key")), "Revoked the key.",
                        "No such key is stored.", err);
                case "connect" -> {
                    keys.connect(required(options, "platform"), required(options, "account"));
                    err.println(options.get("platform") + " may now act on " + options.get("account")
                            + " with Stripe-Account.");
                    yield 0;
                }
                default -> report(keys.disconnect(required(options, "platform"), required(options, "account")),
                        "Disconnected.", "There was no such connection.", err);
            };
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        } catch (SdkException e) {
            err.println(awsFailure(e, "no table '" + table + "' in " + options.getOrDefault("region",
                    "the default region") + ": give the stack's TableName output with --table and its region with"
                    + " --region"));
            return 1;
        } finally {
            if (dynamo == null && client != null) {
                client.close();
            }
        }
    }

    /**
     * One line for a failure of AWS, which the SDK words over many lines (every provider it tried), so a user knows
     * what to do; {@code noSuchTable} is the line for a table that is not there.
     */
    static String awsFailure(SdkException e, String noSuchTable) {
        if (e instanceof ResourceNotFoundException) {
            return noSuchTable;
        }
        if (e instanceof AwsServiceException refused && refused.awsErrorDetails() != null) {
            return "AWS refused the request: " + refused.awsErrorDetails().errorCode() + ": "
                    + refused.awsErrorDetails().errorMessage();
        }
        return clientFailure(e);
    }

    private static String clientFailure(SdkException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unable to load region")) {
            return "no AWS region: pass --region, or set AWS_REGION (or a region in your AWS profile)";
        }
        if (message.contains("Unable to load credentials")) {
            return "no AWS credentials: set AWS_PROFILE, run `aws configure` or `aws sso login`, or set"
                    + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
        }
        return "cannot reach DynamoDB: " + message.lines().findFirst().orElse(message);
    }

    private static int create(ApiKeys keys, Map<String, String> options, PrintStream out, PrintStream err) {
        String mode = required(options, "mode");
        if (!mode.equals("test") && !mode.equals("live")) {
            throw new IllegalArgumentException("--mode is test or live");
        }
        Caller.KeyKind kind;
        try {
            kind = Caller.KeyKind.valueOf(options.getOrDefault("kind", "secret").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kind is secret, restricted or publishable");
        }
        String account = required(options, "account");
        String key = keys.create(account, mode.equals("live"), kind, files(options));
        out.println(key);
        err.println("Created a " + kind.name().toLowerCase(Locale.ROOT) + " " + mode + " key for " + account
                + ". It is shown this once; only its SHA-256 is stored.");
        return 0;
    }

    private static Caller.Access files(Map<String, String> options) {
        String files = options.get("files");
        if (files == null) {
            return null;
        }
        Caller.Access access = Caller.Access.named(files.toLowerCase(Locale.ROOT));
        if (access == null) {
            throw new IllegalArgumentException("--files is none, read or write");
        }
        return access;
    }

    private static int report(boolean done, String yes, String no, PrintStream err) {
        err.println(done ? yes : no);
        return done ? 0 : 1;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static DynamoDbClient client(String region) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null) {
            builder.region(Region.of(region));
        }
        return builder.build();
    }
}
