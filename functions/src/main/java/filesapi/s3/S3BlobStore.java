package filesapi.s3;

import filesapi.core.Bytes;
import filesapi.core.files.BlobStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Utilities;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.GetUrlRequest;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Contents in S3. Presigned GETs are signed by the SDK's SigV4 signer with the service's injected clock (the SDK's
 * S3Presigner always signs with the system clock), so a URL's expiry is computed from the same "now" that decided
 * whether a link may be opened, and tests can move that clock. The URL, the region and the credentials are the S3
 * client's own: its endpoint resolution gives the partition's domain (amazonaws.com.cn, GovCloud), an endpoint
 * override with path-style access (LocalStack, S3Proxy), and the key's encoding.
 */
public final class S3BlobStore implements BlobStore {
    private final S3Client s3;
    private final S3Utilities urls;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final String region;
    private final String bucket;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    /** The part copies in flight; its threads end when idle, so a container between requests holds none. */
    private final ExecutorService copier;

    public S3BlobStore(S3Client s3, String bucket, Clock clock) {
        this.s3 = s3;
        this.urls = s3.utilities();
        this.credentials = s3.serviceClientConfiguration().credentialsProvider();
        this.region = s3.serviceClientConfiguration().region().id();
        this.bucket = bucket;
        this.clock = clock;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(COPY_THREADS, COPY_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "s3-part-copy");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.copier = pool;
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
                .uri(objectUri(key))
                .putRawQueryParameter("response-content-type", contentType)
                .putRawQueryParameter("response-content-disposition", contentDisposition)
                .build();
        return presign(request, ttl);
    }

    @Override
    public String presignPut(String key, long contentLength, Duration ttl) {
        // Headers on the request are signed (X-Amz-SignedHeaders=content-length;host).
        return presign(SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.PUT)
                .uri(objectUri(key))
                .putHeader("Content-Length", Long.toString(contentLength))
                .build(), ttl);
    }

    @Override
    public Long size(String key) {
        try {
            return s3.headObject(h -> h.bucket(bucket).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            // A HEAD has no body to name NoSuchKey: S3 answers a missing key 404, or 403 to a role that may not
            // list the bucket (the completing function may only read the upload prefix).
            if (e.statusCode() == 404 || e.statusCode() == 403) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        if (length <= 0) {
            return new byte[0];
        }
        return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1)).build()).asByteArrayUnsafe();
    }

    /**
     * Up to this size a copy is one CopyObject. S3 copies an object at some tens to hundreds of MB/s, so above it the
     * copy is made in parts that S3 copies at once (UploadPartCopy), and its time stays about that of one part.
     */
    static final long MULTIPART_COPY_ABOVE = 16L * 1024 * 1024;
    /** S3's smallest part but the last. */
    static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    /** Parts of a copy, at most: all of them in flight together on {@link #COPY_THREADS}. */
    static final int MAX_PARTS = 16;
    private static final int COPY_THREADS = MAX_PARTS;

    @Override
    public void copy(String fromKey, String toKey, long size, String contentType) {
        if (size <= MULTIPART_COPY_ABOVE) {
            s3.copyObject(c -> c.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket).destinationKey(toKey)
                    .metadataDirective(MetadataDirective.REPLACE).contentType(contentType));
            return;
        }
        String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(toKey).contentType(contentType))
                .uploadId();
        List<Future<CompletedPart>> parts = new ArrayList<>();
        try {
            long partBytes = partBytes(size);
            for (int part = 1; (part - 1) * partBytes < size; part++) {
                long first = (part - 1) * partBytes;
                long last = Math.min(size, first + partBytes) - 1;
                int number = part;
                parts.add(copier.submit(() -> CompletedPart.builder().partNumber(number)
                        .eTag(s3.uploadPartCopy(c -> c.sourceBucket(bucket).sourceKey(fromKey).destinationBucket(bucket)
                                .destinationKey(toKey).uploadId(uploadId).partNumber(number)
                                .copySourceRange("bytes=" + first + "-" + last)).copyPartResult().eTag())
                        .build()));
            }
            List<CompletedPart> completed = new ArrayList<>();
            for (Future<CompletedPart> part : parts) {
                completed.add(join(part));
            }
            s3.completeMultipartUpload(c -> c.bucket(bucket).key(toKey).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (RuntimeException e) {
            // A part still copying after the abort would be stored again: the abort waits for every part to end.
            // Parts left anyway cost storage until aborted (the lifecycle rule aborts what this leaves, after a day).
            parts.forEach(part -> part.cancel(false));
            for (Future<CompletedPart> part : parts) {
                try {
                    if (!part.isCancelled()) {
                        part.get();
                    }
                } catch (ExecutionException | RuntimeException ignored) {
                    // its failure, or the first one, is the one thrown
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                s3.abortMultipartUpload(a -> a.bucket(bucket).key(toKey).uploadId(uploadId));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    /** The part size: at least S3's minimum, and large enough that there are at most {@link #MAX_PARTS}. */
    static long partBytes(long size) {
        return Math.max(MIN_PART_BYTES, (size + MAX_PARTS - 1) / MAX_PARTS);
    }

    private static CompletedPart join(Future<CompletedPart> part) {
        try {
            return part.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying in parts", e);
        }
    }

    private URI objectUri(String key) {
        return URI.create(urls.getUrl(GetUrlRequest.builder().bucket(bucket).key(key).build()).toString());
    }

    private String presign(SdkHttpFullRequest request, Duration ttl) {
        // Resolved at each signing: after a SnapStart restore the role's credentials are new ones.
        return signer.sign(r -> r.identity(credentials.resolveIdentity().join())
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, ttl)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request().getUri().toString();
    }
}
