package filesapi.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import filesapi.core.StripeError;
import filesapi.lambda.wire.WireFormatTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventBodyTest {
    private static final int CHUNK_BYTES = EventBody.CHUNK_CHARS / 4 * 3;

    @Test
    void chunkedDecodingGivesTheSameBytesAsDecodingWhole() throws IOException {
        Random random = new Random(7);
        int[] sizes = {0, 1, 2, 3, 4, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, CHUNK_BYTES + 2, 3 * CHUNK_BYTES,
                1_000_003};
        for (int size : sizes) {
            byte[] original = new byte[size];
            random.nextBytes(original);
            for (String encoded : new String[] {Base64.getEncoder().encodeToString(original),
                    Base64.getEncoder().withoutPadding().encodeToString(original)}) {
                EventBody body = new EventBody(encoded, true);
                assertEquals(size, body.length(), "length without decoding, size " + size);
                byte[] streamed;
                try (InputStream in = body.stream()) {
                    streamed = in.readAllBytes();
                }
                assertArrayEquals(original, streamed, "size " + size);
                assertArrayEquals(original, body.bytes(), "size " + size);
            }
        }
    }

    @Test
    void base64WithLineBreaksIsRefusedByTheStreamAndReadWholeByTheMimeDecoder() throws IOException {
        byte[] original = new byte[100_000];
        new Random(8).nextBytes(original);
        String wrapped = Base64.getMimeEncoder().encodeToString(original);
        EventBody body = new EventBody(wrapped, true);
        try (InputStream in = body.stream()) {
            assertThrows(EventBody.NotPlainBase64.class, in::readAllBytes);
        }
        assertTrue(body.length() >= original.length, "an upper bound");
        assertArrayEquals(original, body.bytes());
        assertFalse(body.longerThan(original.length));
        assertTrue(body.longerThan(original.length - 1));
    }

    @Test
    void nonAsciiCharactersAreRefusedByTheStreamAndLeftToTheMimeDecoder() {
        EventBody body = new EventBody("QUJD\u00c1UJD", true);
        assertThrows(EventBody.NotPlainBase64.class, () -> body.stream().readAllBytes());
        assertArrayEquals(Base64.getMimeDecoder().decode("QUJDUJD"), body.bytes());
    }

    @Test
    void aMultipartUploadWithLineBrokenBase64StillDecodes() {
        byte[] multipart = WireFormatTest.multipart("XyZ",
                "Content-Disposition: form-data; name=\"purpose\"", "dispute_evidence",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"", "%PDF-1.4 " + "x".repeat(500));
        for (String encoded : new String[] {Base64.getEncoder().encodeToString(multipart),
                Base64.getMimeEncoder().encodeToString(multipart)}) {
            APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
                    .withHeaders(Map.of("content-type", "multipart/form-data; boundary=XyZ"))
                    .withBody(encoded).withIsBase64Encoded(true).build();
            ApiRequest request = ApiRequest.from(event, "req_test", null);
            assertEquals("dispute_evidence", request.form().string("purpose"));
            assertEquals(509, request.multipart().files().get(0).bytes().length);
        }
    }

    @Test
    void textBodiesAreUtf8AndUndecodableBase64IsAStripeError() {
        EventBody text = new EventBody("purpose=été", false);
        assertArrayEquals("purpose=été".getBytes(StandardCharsets.UTF_8), text.bytes());
        assertEquals(text.bytes().length, text.length());
        StripeError e = assertThrows(StripeError.class, () -> new EventBody("=QQQ", true).bytes());
        assertEquals(400, e.status());
        assertTrue(EventBody.EMPTY.isEmpty());
        assertEquals(0, EventBody.EMPTY.bytes().length);
    }
}
