package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.File;
import com.stripe.model.FileLink;
import com.stripe.param.FileCreateParams;
import com.stripe.param.FileLinkCreateParams;
import filesapi.local.FilesApiExtension;
import filesapi.local.FilesApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(FilesApiExtension.class) // one server for the class, reset before each test
class EvidenceTest {
    StripeClient stripe;

    @BeforeEach
    void connect(FilesApiServer server) {
        stripe = StripeClient.builder().setApiKey(server.secretKey())
                .setApiBase(server.url()).setFilesBase(server.url()).build();
    }

    @Test
    void evidenceUploadsAndItsLinkExpires(FilesApiServer server, @TempDir Path dir) throws Exception {
        Path pdf = Files.writeString(dir.resolve("evidence.pdf"), "%PDF-1.4\n%%EOF\n");
        File file = stripe.v1().files().create(FileCreateParams.builder().setFile(pdf.toFile())
                .setPurpose(FileCreateParams.Purpose.DISPUTE_EVIDENCE).build());
        assertEquals("pdf", file.getType());
        FileLink link = stripe.v1().fileLinks().create(FileLinkCreateParams.builder().setFile(file.getId())
                .setExpiresAt(server.clock().instant().plus(Duration.ofDays(1)).getEpochSecond()).build());

        server.clock().advance(Duration.ofDays(2)); // no waiting: the server's clock moves
        assertTrue(stripe.v1().fileLinks().retrieve(link.getId()).getExpired());
        server.clock().advance(Duration.ofDays(270)); // dispute evidence expires after 270 days
        assertThrows(InvalidRequestException.class, () -> stripe.v1().fileLinks().create(
                FileLinkCreateParams.builder().setFile(file.getId()).build()));
    }

    @Test
    void eachTestStartsEmpty() throws Exception {
        assertEquals(0, stripe.v1().files().list().getData().size());
    }
}
