package filesapi;

import java.time.Duration;
import java.util.Map;

/**
 * Settings from the environment, as template.yaml sets them.
 *
 * @param publicBaseUrl base of the URLs the API hands out (a custom domain); when blank, the request's host is used
 * @param linkRedirectTtl the longest a presigned URL minted by opening a file link lives
 */
public record Config(String tableName, String bucketName, String publicBaseUrl, Duration linkRedirectTtl) {

    public static Config fromEnvironment() {
        return from(System.getenv());
    }

    public static Config from(Map<String, String> env) {
        return new Config(
                env.getOrDefault("TABLE_NAME", "files-api"),
                env.getOrDefault("BUCKET_NAME", "files-api"),
                env.getOrDefault("PUBLIC_BASE_URL", ""),
                Duration.ofSeconds(Long.parseLong(env.getOrDefault("LINK_REDIRECT_TTL", "300"))));
    }
}
