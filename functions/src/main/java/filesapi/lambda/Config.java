package filesapi.lambda;

import java.time.Duration;
import java.util.Map;

/**
 * Settings from the environment, as template.yaml sets them.
 *
 * @param listsTableName the table of list entries (see README, "Table design"); by default the table's name + "-lists"
 * @param publicBaseUrl base of the URLs the API hands out (a custom domain); when blank, the request's host is used
 * @param linkRedirectTtl the longest a presigned URL minted by opening a file link lives
 */
public record Config(String tableName, String listsTableName, String bucketName, String publicBaseUrl,
                     Duration linkRedirectTtl) {

    public Config(String tableName, String bucketName, String publicBaseUrl, Duration linkRedirectTtl) {
        this(tableName, listsTable(tableName), bucketName, publicBaseUrl, linkRedirectTtl);
    }

    public static String listsTable(String tableName) {
        return tableName + "-lists";
    }

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        String table = env.getOrDefault("TABLE_NAME", "files-api");
        return new Config(
                table,
                env.getOrDefault("LISTS_TABLE_NAME", listsTable(table)),
                env.getOrDefault("BUCKET_NAME", "files-api"),
                env.getOrDefault("PUBLIC_BASE_URL", ""),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("LINK_REDIRECT_TTL", "300"))));
    }
}
