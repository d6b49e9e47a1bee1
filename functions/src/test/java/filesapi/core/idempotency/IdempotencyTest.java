package filesapi.core.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.fakes.InMemoryIdempotencyStore;
import filesapi.core.fakes.SettableClock;
import filesapi.core.idempotency.IdempotencyStore.StoredResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stripe's idempotent requests over the in-memory store, with a clock moved by hand. */
class IdempotencyTest {
    private static final Tenant TENANT = new Tenant("acct_idem", false);
    private static final String ENDPOINT = "POST /v1/file_links";
    private static final StoredResponse OK = new StoredResponse(200, Map.of("Content-Type", "application/json"),
            "{\"id\": \"link_1\"}", "req_first");

    private final SettableClock clock = SettableClock.at(1_700_000_000L);
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore();
    private final Idempotency idempotency = new Idempotency(store, clock);

    @BeforeAll
    static void quiet() {
        Log.quiet(true);
    }

    private Idempotency.Claim claim(String key, String digest) {
        return idempotency.claim(TENANT, key, ENDPOINT, () -> digest);
    }

    /** Claims a free key, giving the claim the request then runs under. */
    private Idempotency.Execute executing(String key, String digest) {
        return assertInstanceOf(Idempotency.Execute.class, claim(key, digest));
    }

    @Test
    void theFirstRequestExecutesAndARetryReplaysItsResponse() {
        idempotency.finish(executing("k", "d"), OK);
        assertEquals(new Idempotency.Replay(OK), claim("k", "d"));
        clock.advanceSeconds(Idempotency.LEASE_SECONDS + 1);
        assertEquals(new Idempotency.Replay(OK), claim("k", "d"), "a kept response outlives the lease");
    }

    @Test
    void errorsTheEndpointAnsweredWithAreReplayedToo() {
        Idempotency.Execute held = executing("k", "d");
        StoredResponse notFound = new StoredResponse(400, Map.of(), "{\"error\": {}}", "req_first");
        idempotency.finish(held, notFound);
        assertEquals(new Idempotency.Replay(notFound), claim("k", "d"));
    }

    @Test
    void otherParametersOrAnotherEndpointWithTheKeyAreRefused() {
        idempotency.finish(executing("k", "d"), OK);
        StripeError params = assertThrows(StripeError.class, () -> claim("k", "other"));
        assertEquals(400, params.status());
        assertEquals(StripeError.IDEMPOTENCY_ERROR, params.type());
        assertEquals(null, params.code());
        StripeError endpoint = assertThrows(StripeError.class,
                () -> idempotency.claim(TENANT, "k", "POST /v1/files", () -> "d"));
        assertEquals(400, endpoint.status());
        assertEquals(StripeError.IDEMPOTENCY_ERROR, endpoint.type());
    }

    private static Supplier<String> hashingRefused() {
        return () -> {
            throw new AssertionError("a request whose files are compared hashes them only to keep an error");
        };
    }

    @Test
    void aClaimComparingFilesIsJudgedByItsDigestInFlightAndByTheStoredFilesOnceASuccessIsKept() {
        Idempotency.Execute first = assertInstanceOf(Idempotency.Execute.class,
                idempotency.claimComparingFiles(TENANT, "k", ENDPOINT, "names", hashingRefused(), kept -> true));
        StripeError inUse = assertThrows(StripeError.class,
                () -> idempotency.claimComparingFiles(TENANT, "k", ENDPOINT, "names", hashingRefused(), kept -> true));
        assertEquals(409, inUse.status(), "in flight only the digest without files is known, and it matches");
        assertEquals(400, assertThrows(StripeError.class, () -> idempotency.claimComparingFiles(TENANT, "k", ENDPOINT,
                "other names", hashingRefused(), kept -> true)).status());
        idempotency.finish(first, OK, hashingRefused());

        AtomicInteger compared = new AtomicInteger();
        assertEquals(new Idempotency.Replay(OK), idempotency.claimComparingFiles(TENANT, "k", ENDPOINT, "names",
                hashingRefused(), kept -> compared.incrementAndGet() > 0 && kept.equals(OK)));
        StripeError otherFile = assertThrows(StripeError.class, () -> idempotency.claimComparingFiles(TENANT, "k",
                ENDPOINT, "names", hashingRefused(), kept -> compared.incrementAndGet() < 0));
        assertEquals(400, otherFile.status(), "another file of the same names never replays this one's result");
        assertEquals(StripeError.IDEMPOTENCY_ERROR, otherFile.type());
        assertEquals(2, compared.get());
        assertEquals(400, assertThrows(StripeError.class, () -> idempotency.claimComparingFiles(TENANT, "k", ENDPOINT,
                "other names", hashingRefused(), kept -> compared.incrementAndGet() > 0)).status());
        assertEquals(2, compared.get(), "other names are refused without reading the stored file");
        assertEquals(400, assertThrows(StripeError.class, () -> claim("k", "names")).status(),
                "a request without files never matches one with");
    }

    @Test
    void anErrorKeptForAClaimComparingFilesKeepsTheFullDigest() {
        Idempotency.Execute first = assertInstanceOf(Idempotency.Execute.class,
                idempotency.claimComparingFiles(TENANT, "k", ENDPOINT, "names", () -> "full", kept -> true));
        StoredResponse refused = new StoredResponse(400, Map.of(), "{\"error\": {}}", "req_first");
        idempotency.finish(first, refused, () -> "full");
        assertEquals(new Idempotency.Replay(refused), idempotency.claimComparingFiles(TENANT, "k", ENDPOINT, "names",
                () -> "full", kept -> false), "nothing was stored to compare: the digest decides");
        assertEquals(400, assertThrows(StripeError.class, () -> idempotency.claimComparingFiles(TENANT, "k", ENDPOINT,
                "names", () -> "other file, same names", kept -> true)).status());
    }

    @Test
    void aKeyInUseByARequestInFlightIsAConflict() {
        claim("k", "d");
        StripeError inUse = assertThrows(StripeError.class, () -> claim("k", "d"));
        assertEquals(409, inUse.status());
        assertEquals(StripeError.IDEMPOTENCY_ERROR, inUse.type());
        assertEquals("idempotency_key_in_use", inUse.code());
        assertEquals(400, assertThrows(StripeError.class, () -> claim("k", "other")).status(),
                "other parameters are refused as such even while in flight");
    }

    @Test
    void aClaimLeftInFlightPastItsLeaseIsTakenOver() {
        claim("k", "d");
        clock.advanceSeconds(Idempotency.LEASE_SECONDS);
        assertEquals(409, assertThrows(StripeError.class, () -> claim("k", "d")).status());
        clock.advanceSeconds(1);
        assertInstanceOf(Idempotency.Execute.class, claim("k", "d"));
    }

    @Test
    void aRequestThatOutlivedItsLeaseNeitherKeepsItsResponseNorFreesTheKeyOfTheOneThatTookItOver() {
        Idempotency.Execute late = executing("k", "d");
        clock.advanceSeconds(Idempotency.LEASE_SECONDS + 1);
        Idempotency.Execute taker = executing("k", "d");
        idempotency.finish(late, OK);
        idempotency.release(late);
        assertEquals(409, assertThrows(StripeError.class, () -> claim("k", "d")).status(), "still the taker's");
        StoredResponse takers = new StoredResponse(200, Map.of(), "{\"id\": \"link_2\"}", "req_taker");
        idempotency.finish(taker, takers);
        assertEquals(new Idempotency.Replay(takers), claim("k", "d"));
    }

    @Test
    void aKeptResponseLastsItsRetentionThenTheKeyIsNew() {
        idempotency.finish(executing("k", "d"), OK);
        clock.advanceSeconds(Idempotency.RETENTION_SECONDS);
        assertInstanceOf(Idempotency.Replay.class, claim("k", "d"));
        clock.advanceSeconds(1);
        assertInstanceOf(Idempotency.Execute.class, claim("k", "other"));
    }

    @Test
    void aReleasedKeyRunsAgainEvenWithOtherParameters() {
        idempotency.release(executing("k", "d"));
        assertInstanceOf(Idempotency.Execute.class, claim("k", "corrected"));
    }

    @Test
    void aThrottledAnswerIsNeverKeptAndFreesTheKey() {
        idempotency.finish(executing("k", "d"), new StoredResponse(429, Map.of(), "{\"error\": {}}", "req_first"));
        assertEquals(InMemoryIdempotencyStore.State.RELEASED, store.entry(TENANT, "k").state());
        assertInstanceOf(Idempotency.Execute.class, claim("k", "d"));
    }

    @Test
    void aResponseThatCannotBeKeptFreesTheKeyInstead() {
        IdempotencyStore failingComplete = new IdempotencyStore() {
            @Override
            public Claim claim(Tenant t, String k, String e, String d, long now, long lease, long retention) {
                return store.claim(t, k, e, d, now, lease, retention);
            }

            @Override
            public boolean complete(Tenant t, String k, String token, StoredResponse r, String d) {
                throw new IllegalStateException("DynamoDB is down");
            }

            @Override
            public void release(Tenant t, String k, String token) {
                store.release(t, k, token);
            }
        };
        Idempotency flaky = new Idempotency(failingComplete, clock);
        Idempotency.Claim held = flaky.claim(TENANT, "k", ENDPOINT, () -> "d");
        flaky.finish((Idempotency.Execute) held, OK); // does not throw: the endpoint's answer stands
        assertInstanceOf(Idempotency.Execute.class, flaky.claim(TENANT, "k", ENDPOINT, () -> "d"));
    }

    @Test
    void aKeyTooLongIsRefusedBeforeItsParametersAreDigested() {
        AtomicInteger digests = new AtomicInteger();
        String key = "k".repeat(Idempotency.MAX_KEY_LENGTH + 1);
        StripeError tooLong = assertThrows(StripeError.class, () -> idempotency.claim(TENANT, key, ENDPOINT, () -> {
            digests.incrementAndGet();
            return "d";
        }));
        assertEquals(400, tooLong.status());
        assertEquals(StripeError.INVALID_REQUEST, tooLong.type());
        assertEquals(0, digests.get());
        assertEquals(null, store.entry(TENANT, key));
        assertInstanceOf(Idempotency.Execute.class, claim("k".repeat(Idempotency.MAX_KEY_LENGTH), "d"));
    }

    @Test
    void keysBelongToTheirTenant() {
        claim("k", "d");
        assertInstanceOf(Idempotency.Execute.class, idempotency.claim(new Tenant("acct_other", false), "k", ENDPOINT,
                () -> "d"));
        assertInstanceOf(Idempotency.Execute.class, idempotency.claim(new Tenant("acct_idem", true), "k", ENDPOINT,
                () -> "d"));
    }
}
