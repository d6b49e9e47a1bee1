package filesapi.blob;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Where presigned URLs point and what signs them. With no endpoint, the bucket's virtual-hosted AWS address; with
 * an endpoint (LocalStack, S3Proxy), path-style URLs on it.
 */
public record S3Location(AwsCredentialsProvider credentials, Region region, URI endpoint) {
    public URI objectUri(String bucket, String key) {
        if (endpoint == null) {
            return URI.create("https://" + bucket + ".s3." + region.id() + ".amazonaws.com/" + key);
        }
        String base = endpoint.toString().endsWith("/") ? endpoint.toString() : endpoint + "/";
        return URI.create(base + bucket + "/" + key);
    }
}
