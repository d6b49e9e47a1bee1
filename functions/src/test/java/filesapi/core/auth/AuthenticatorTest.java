package filesapi.core.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.StripeError;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
    @Test
    void bearerAndBasicCarryTheKey() {
        assertEquals("sk_test_abc", Authenticator.keyOf("Bearer sk_test_abc"));
        String basic = Base64.getEncoder().encodeToString("sk_test_abc:".getBytes(StandardCharsets.UTF_8));
        assertEquals("sk_test_abc", Authenticator.keyOf("Basic " + basic));
        assertEquals("sk_test_abc", Authenticator.keyOf("Basic sk_test_abc"));
        StripeError none = assertThrows(StripeError.class, () -> Authenticator.keyOf(null));
        assertEquals(401, none.status());
        assertTrue(none.getMessage().startsWith("You did not provide an API key."));
        StripeError empty = assertThrows(StripeError.class, () -> Authenticator.keyOf("Bearer "));
        assertTrue(empty.getMessage().contains("\"null\""));
        assertEquals(401, assertThrows(StripeError.class, () -> Authenticator.keyOf("Digest x")).status());
    }

    @Test
    void keysAreMaskedLikeStripeDoes() {
        assertEquals("sk_test_********************1234", Authenticator.mask("sk_test_abcdefghijklmnopqrst1234"));
        assertEquals("****", Authenticator.mask("abcd"));
    }
}
