package filesapi.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** Presigned GETs point where the S3 client would send the request, signed for its region at the injected time. */
class S3BlobStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String KEY = "keep/acct_1/test/file_1";

    private static S3ClientBuilder client(String region) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")));
    }

    private static URI presign(S3Client s3, String key) {
        try (s3) {
            return URI.create(new S3BlobStore(s3, "files-bucket", CLOCK).presignGet(key, Duration.ofSeconds(300),
                    "application/pdf", "attachment; filename=\"a.pdf\""));
        }
    }

    private static Map<String, String> query(URI url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    @ParameterizedTest
    @CsvSource({
        "us-east-1, files-bucket.s3.amazonaws.com",
        "eu-west-1, files-bucket.s3.eu-west-1.amazonaws.com",
        "cn-north-1, files-bucket.s3.cn-north-1.amazonaws.com.cn",
        "us-gov-west-1, files-bucket.s3.us-gov-west-1.amazonaws.com"})
    void pointsAtTheBucketInItsRegionsPartitionAndSignsForThatRegion(String region, String host) {
        URI url = presign(client(region).build(), KEY);
        assertEquals("https", url.getScheme());
        assertEquals(host, url.getHost());
        assertEquals("/" + KEY, url.getRawPath());
        Map<String, String> query = query(url);
        assertEquals("AWS4-HMAC-SHA256", query.get("X-Amz-Algorithm"));
        assertEquals("AKIDEXAMPLE/20260102/" + region + "/s3/aws4_request", query.get("X-Amz-Credential"));
        assertEquals("20260102T030405Z", query.get("X-Amz-Date"), "signed at the injected clock's time");
        assertEquals("300", query.get("X-Amz-Expires"));
        assertEquals("host", query.get("X-Amz-SignedHeaders"));
        assertEquals("application/pdf", query.get("response-content-type"));
        assertEquals("attachment; filename=\"a.pdf\"", query.get("response-content-disposition"));
        assertEquals(64, query.get("X-Amz-Signature").length());
    }

    @Test
    void usesAnEndpointOverrideWithPathStyleAccess() {
        URI url = presign(client("us-east-1").endpointOverride(URI.create("http://127.0.0.1:9000"))
                .forcePathStyle(true).build(), KEY);
        assertEquals("http://127.0.0.1:9000/files-bucket/" + KEY, url.toString().substring(0, url.toString()
                .indexOf('?')));
        assertEquals("AKIDEXAMPLE/20260102/us-east-1/s3/aws4_request", query(url).get("X-Amz-Credential"));
    }

    @Test
    void encodesTheKeyOnceAndKeepsItsSlashes() {
        URI url = presign(client("eu-west-1").build(), "keep/a b+c/ü%&?.pdf");
        assertEquals("/keep/a%20b%2Bc/%C3%BC%25%26%3F.pdf", url.getRawPath());
        assertEquals("/keep/a b+c/ü%&?.pdf", url.getPath());
    }

    /** Parts of at least S3's 5 MiB (the last may be less), never more than 16 of them, whatever the size. */
    @ParameterizedTest
    @CsvSource({"16777217, 5242880, 4", "20000000, 5242880, 4", "40000000, 5242880, 8", "200000000, 12500000, 16",
        "209715200, 13107200, 16"})
    void aCopyInPartsHasFewPartsOfAtLeastFiveMebibytes(long size, long partBytes, int parts) {
        assertEquals(partBytes, S3BlobStore.partBytes(size));
        assertEquals(parts, (size + partBytes - 1) / partBytes);
    }
}
