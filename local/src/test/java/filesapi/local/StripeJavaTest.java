package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.Stripe;
import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.PermissionException;
import com.stripe.model.File;
import com.stripe.model.FileLink;
import com.stripe.model.StripeObjectInterface;
import com.stripe.net.RequestOptions;
import com.stripe.param.FileCreateParams;
import com.stripe.param.FileLinkCreateParams;
import com.stripe.param.FileLinkListParams;
import com.stripe.param.FileLinkRetrieveParams;
import com.stripe.param.FileLinkUpdateParams;
import com.stripe.param.FileListParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official stripe-java client, with its API and files bases pointed at the local server over real HTTP. Nothing
 * here sets an API version: every request carries the one this stripe-java release pins ({@link Stripe#API_VERSION}),
 * as a user's would.
 */
class StripeJavaTest {
    private static LocalServer server;
    private static StripeClient stripe;

    @BeforeAll
    static void start() throws Exception {
        server = LocalServer.start(new LocalServer.Options(0, null,
                Path.of(System.getProperty("files.api.template")), TestApi.KEYS, "acct_A:acct_B", null, Clock.systemUTC()));
        stripe = client(TestApi.KEY_A);
    }

    static StripeClient client(String key) {
        return StripeClient.builder().setApiKey(key).setApiBase(server.baseUrl()).setFilesBase(server.baseUrl())
                .setMaxNetworkRetries(0).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void uploadedFileDownloadsByteIdenticalAndReadsBackTheSame(@TempDir Path dir) throws Exception {
        byte[] pdf = Samples.pdf(123_456);
        Path path = Files.write(dir.resolve("receipt.pdf"), pdf);
        File created = stripe.v1().files().create(FileCreateParams.builder()
                .setFile(path.toFile()).setPurpose(FileCreateParams.Purpose.DISPUTE_EVIDENCE).build());
        assertEquals("receipt.pdf", created.getFilename());
        assertEquals("pdf", created.getType());
        assertEquals(pdf.length, created.getSize());

        File retrieved = stripe.v1().files().retrieve(created.getId());
        assertEquals(created.toJson(), retrieved.toJson());
        File listed = stripe.v1().files().list(FileListParams.builder().setLimit(1L).build()).getData().get(0);
        assertEquals(created.getId(), listed.getId());
        assertEquals(created.getUrl(), listed.getUrl());
        assertEquals(created.getExpiresAt(), listed.getExpiresAt());

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(created.getUrl()))
                        .header("Authorization", "Bearer " + TestApi.KEY_A).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(pdf, download.body());
    }

    @Test
    void autoPaginationWalksEveryFile(@TempDir Path dir) throws Exception {
        StripeClient b = client(TestApi.KEY_B);
        List<String> uploaded = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            Path path = Files.write(dir.resolve("logo" + i + ".png"), Samples.png(200 + i));
            uploaded.add(0, b.v1().files().create(FileCreateParams.builder().setFile(path.toFile())
                    .setPurpose(FileCreateParams.Purpose.BUSINESS_LOGO).build()).getId());
        }
        List<String> walked = new ArrayList<>();
        for (File f : b.v1().files().list(FileListParams.builder().setLimit(3L)
                .setPurpose(FileListParams.Purpose.BUSINESS_LOGO).build()).autoPagingIterable()) {
            walked.add(f.getId());
        }
        assertEquals(uploaded.size(), walked.size());
        assertEquals(new java.util.HashSet<>(uploaded), new java.util.HashSet<>(walked));
    }

    @Test
    void aFileLinkServesTheBytesWithoutCredentialsUntilRevoked(@TempDir Path dir) throws Exception {
        byte[] png = Samples.png(40_000);
        Path path = Files.write(dir.resolve("logo.png"), png);
        File file = stripe.v1().files().create(FileCreateParams.builder().setFile(path.toFile())
                .setPurpose(FileCreateParams.Purpose.BUSINESS_LOGO).build());
        FileLink link = stripe.v1().fileLinks().create(FileLinkCreateParams.builder().setFile(file.getId())
                .putMetadata("order", "6735").build());
        assertEquals(file.getId(), link.getFile());
        assertEquals(false, link.getExpired());
        HttpClient anonymous = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<byte[]> opened = anonymous.send(HttpRequest.newBuilder(URI.create(link.getUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, opened.statusCode());
        assertArrayEquals(png, opened.body());

        FileLink revoked = stripe.v1().fileLinks().update(link.getId(), FileLinkUpdateParams.builder()
                .setExpiresAt(FileLinkUpdateParams.ExpiresAt.NOW).build());
        assertEquals(true, revoked.getExpired());
        assertEquals(link.getUrl(), revoked.getUrl());
        HttpResponse<byte[]> refused = anonymous.send(HttpRequest.newBuilder(URI.create(link.getUrl())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(404, refused.statusCode());

        List<String> listed = new ArrayList<>();
        stripe.v1().fileLinks().list(FileLinkListParams.builder().setFile(file.getId()).setExpired(true).build())
                .autoPagingIterable().forEach(l -> listed.add(l.getId()));
        assertEquals(List.of(link.getId()), listed);
        FileLink expanded = stripe.v1().fileLinks().retrieve(link.getId(),
                FileLinkRetrieveParams.builder().addExpand("file").build());
        assertEquals(file.getId(), expanded.getFileObject().getId());
    }

    @Test
    void requestOptionsIdempotencyConnectedAccountsAndVersionWork(@TempDir Path dir) throws Exception {
        Path path = Files.write(dir.resolve("e.pdf"), Samples.pdf(5000));
        FileCreateParams upload = FileCreateParams.builder().setFile(path.toFile())
                .setPurpose(FileCreateParams.Purpose.DISPUTE_EVIDENCE).build();
        File file = stripe.v1().files().create(upload);
        assertEquals(Stripe.API_VERSION, file.getLastResponse().headers().firstValue("Stripe-Version").orElseThrow());

        RequestOptions idempotent = RequestOptions.builder().setIdempotencyKey("stripe-java-" + file.getId()).build();
        FileLinkCreateParams params = FileLinkCreateParams.builder().setFile(file.getId()).build();
        FileLink first = stripe.v1().fileLinks().create(params, idempotent);
        FileLink replay = stripe.v1().fileLinks().create(params, idempotent);
        assertEquals(first.getId(), replay.getId());
        assertEquals("true", replay.getLastResponse().headers().firstValue("Idempotent-Replayed").orElseThrow());
        IdempotencyException conflict = assertThrows(IdempotencyException.class, () -> stripe.v1().fileLinks()
                .create(FileLinkCreateParams.builder().setFile(file.getId()).putMetadata("k", "v").build(),
                        idempotent));
        assertEquals(400, conflict.getStatusCode());

        RequestOptions asB = RequestOptions.builder().setStripeAccount("acct_B").build();
        File onB = stripe.v1().files().create(upload, asB);
        assertEquals(onB.getId(), client(TestApi.KEY_B).v1().files().retrieve(onB.getId()).getId());
        assertThrows(InvalidRequestException.class, () -> stripe.v1().files().retrieve(onB.getId()));
        assertThrows(PermissionException.class, () -> client(TestApi.KEY_B).v1().files().list(
                FileListParams.builder().build(), RequestOptions.builder().setStripeAccount("acct_A").build()));
    }

    /** The version stripe-java pins reaches the server and comes back in {@code Stripe-Version} on every endpoint. */
    @Test
    void theClientsDefaultVersionIsSentAndEchoedByEveryEndpoint(@TempDir Path dir) throws Exception {
        // The server's default applies only when no header is sent; echoing the client's pinned version (a
        // different one, unless a stripe-java release happens to pin the same) shows the client's header was served.
        Path path = Files.write(dir.resolve("versioned.pdf"), Samples.pdf(3000));
        File file = stripe.v1().files().create(FileCreateParams.builder().setFile(path.toFile())
                .setPurpose(FileCreateParams.Purpose.DISPUTE_EVIDENCE).build());
        assertEchoesDefaultVersion("upload", file);
        assertEchoesDefaultVersion("retrieve file", stripe.v1().files().retrieve(file.getId()));
        assertEchoesDefaultVersion("list files",
                stripe.v1().files().list(FileListParams.builder().setLimit(2L).build()));

        FileLink link = stripe.v1().fileLinks().create(FileLinkCreateParams.builder().setFile(file.getId()).build());
        assertEchoesDefaultVersion("create link", link);
        long expiresAt = java.time.Instant.now().plusSeconds(3600).getEpochSecond();
        FileLink updated = stripe.v1().fileLinks().update(link.getId(), FileLinkUpdateParams.builder()
                .putMetadata("case", "dp_1").setExpiresAt(expiresAt).build());
        assertEchoesDefaultVersion("update link", updated);
        assertEquals("dp_1", updated.getMetadata().get("case"));
        assertEquals(expiresAt, updated.getExpiresAt());
        var links = stripe.v1().fileLinks().list(FileLinkListParams.builder().setFile(file.getId()).build());
        assertEchoesDefaultVersion("list links", links);
        assertEquals(List.of(link.getId()), links.getData().stream().map(FileLink::getId).toList());

        InvalidRequestException missing = assertThrows(InvalidRequestException.class,
                () -> stripe.v1().files().retrieve("file_doesnotexist000000000000"));
        assertEquals(404, missing.getStatusCode());
        assertEquals("resource_missing", missing.getCode());
        assertTrue(missing.getRequestId().startsWith("req_"), missing.getRequestId());
    }

    private static void assertEchoesDefaultVersion(String call, StripeObjectInterface answer) {
        assertEquals(Stripe.API_VERSION, answer.getLastResponse().headers().firstValue("Stripe-Version")
                .orElseThrow(() -> new AssertionError(call + ": no Stripe-Version header")), call);
    }

    @Test
    void errorsSurfaceAsStripeExceptions() {
        InvalidRequestException missing = assertThrows(InvalidRequestException.class,
                () -> stripe.v1().files().retrieve("file_doesnotexist000000000000"));
        assertEquals("resource_missing", missing.getCode());
        assertEquals(404, missing.getStatusCode());
        AuthenticationException badKey = assertThrows(AuthenticationException.class,
                () -> client("sk_test_notakeynotakeynotakey00").v1().files().retrieve("file_x"));
        assertEquals(401, badKey.getStatusCode());
    }
}
