package filesapi.blob;

import filesapi.api.Bytes;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Contents in S3. Presigned GETs are signed by the SDK's SigV4 signer with the service's injected clock (the SDK's
 * S3Presigner always signs with the system clock), so a URL's expiry is computed from the same "now" that decided
 * whether a link may be opened, and tests can move that clock.
 */
public final class S3BlobStore implements BlobStore {
    private final S3Client s3;
    private final S3Location location;
    private final String bucket;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public S3BlobStore(S3Client s3, S3Location location, String bucket, Clock clock) {
        this.s3 = s3;
        this.location = location;
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public void put(String key, Bytes contents, String contentType) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build(),
                // fromBytes would copy the contents first (4 MB, about 1 ms); nothing changes them meanwhile.
                RequestBody.fromContentProvider(contents.length() == contents.array().length
                        ? ContentStreamProvider.fromByteArrayUnsafe(contents.array())
                        : contents::stream, contents.length(), contentType));
    }

    @Override
    public byte[] get(String key) {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build());
            return object.asByteArrayUnsafe();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    @Override
    public String presignGet(String key, Duration ttl, String contentType, String contentDisposition) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(location.objectUri(bucket, key))
                .putRawQueryParameter("response-content-type", contentType)
                .putRawQueryParameter("response-content-disposition", contentDisposition)
                .build();
        return signer.sign(r -> r.identity(location.credentials().resolveCredentials())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, location.region().id())
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, ttl)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request().getUri().toString();
    }
}
