package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import filesapi.core.Bytes;
import filesapi.core.ContentDisposition;
import filesapi.s3.S3BlobStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** S3Proxy checks SigV4 as S3 does: a presigned URL for a key that needs encoding opens, and only as signed. */
class PresignedUrlTest {
    private static HttpResponse<byte[]> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aKeyWithSpacesPlusPercentAndNonAsciiOpensWithItsSignatureAndNotWithAnother() throws Exception {
        try (EmbeddedBackends backends = EmbeddedBackends.start(TestApi.template(), "presign", "presign", null)) {
            S3BlobStore blobs = new S3BlobStore(backends.clients().s3(), "presign", Clock.systemUTC());
            byte[] contents = Samples.pdf(500);
            String key = "keep/a b+c/ü%&.pdf";
            blobs.put(key, Bytes.of(contents), "application/pdf");
            String url = blobs.presignGet(key, Duration.ofSeconds(60), "application/pdf",
                    ContentDisposition.attachment("ü.pdf"));

            HttpResponse<byte[]> object = get(url);
            assertEquals(200, object.statusCode(), new String(object.body()));
            assertArrayEquals(contents, object.body());
            assertEquals(403, get(url.replace("%C3%BC", "u")).statusCode(), "a URL for another key is refused");
        }
    }
}
