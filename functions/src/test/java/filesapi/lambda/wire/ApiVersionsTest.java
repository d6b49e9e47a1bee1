package filesapi.lambda.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import filesapi.core.StripeError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionsTest {

    @ParameterizedTest
    @ValueSource(strings = {"2011-01-01", "2023-10-16", "2024-09-30.acacia", "2026-01-28.clover",
        "2026-07-29.dahlia", "2026-09-30.endive"})
    void knownVersionsAreServedAsSent(String version) {
        assertEquals(version, ApiVersions.resolve(version));
    }

    /** What clients released after us send: stripe-node 23.1.0 pins 2026-10-28.endive. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-10-01", "2026-10-28.endive", "2027-03-31.fig", "2031-01-15.preview"})
    void versionsNewerThanOursAreServed(String version) {
        assertEquals(version, ApiVersions.resolve(version));
    }

    /** Public-preview SDKs pin a dated preview version: stripe-java 33.5.0-beta.1 sends 2026-08-26.preview. */
    @ParameterizedTest
    @ValueSource(strings = {"2026-08-26.preview", "2024-09-30.preview", "2025-04-30.preview"})
    void previewVersionsOfTheNamedEraAreServed(String version) {
        assertEquals(version, ApiVersions.resolve(version));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-10-28.endive; files_beta=v1", "2026-10-28.endive;files_beta=v1;other_beta=v2",
        " 2026-10-28.endive ; files_beta=v1 "})
    void betaFlagsAreAcceptedAndLeftOutOfTheEcho(String header) {
        assertEquals("2026-10-28.endive", ApiVersions.resolve(header));
    }

    @ParameterizedTest
    @ValueSource(strings = {"banana", "2026-02-30.clover", "2026-07-29.clover", "2024-10-01", "2010-12-31",
        "26-10-28", "2026-10-28.Endive", "2026-10-28.", "2026-10-28.endive;", "2026-10-28.endive; beta",
        "2026-10-28.endive; =v1", "2026-10-28 endive", "2026-13-01.endive", "latest", "2024-09-29.preview",
        "2026-08-26.Preview", "2026-02-30.preview"})
    void malformedOrImpossibleVersionsAreRefused(String header) {
        StripeError e = assertThrows(StripeError.class, () -> ApiVersions.resolve(header));
        assertEquals(400, e.status());
        assertEquals("invalid_request_error", e.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void noVersionMeansTheDefault(String header) {
        assertEquals(ApiVersions.DEFAULT, ApiVersions.resolve(header));
        assertEquals(ApiVersions.DEFAULT, ApiVersions.resolve(null));
    }
}
