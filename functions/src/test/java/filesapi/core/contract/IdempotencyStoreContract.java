package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import filesapi.core.Ids;
import filesapi.core.Tenant;
import filesapi.core.idempotency.IdempotencyStore;
import filesapi.core.idempotency.IdempotencyStore.Claim;
import filesapi.core.idempotency.IdempotencyStore.Claimed;
import filesapi.core.idempotency.IdempotencyStore.Held;
import filesapi.core.idempotency.IdempotencyStore.StoredResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** What every {@link IdempotencyStore} does: the fake, and DynamoIdempotencyStore on each backend. */
public abstract class IdempotencyStoreContract {
    private static final long NOW = 1_700_000_000L;
    private static final long LEASE = 60;
    private static final long RETENTION = 86_400;
    private static final String ENDPOINT = "POST /v1/file_links";
    private static final StoredResponse OK = new StoredResponse(200, Map.of("Content-Type", "application/json"),
            "{\"id\": \"link_1\"}", "req_first");

    /** The store under test; it may share its table with other tests, which use other tenants. */
    protected abstract IdempotencyStore newStore();

    protected IdempotencyStore store;
    protected Tenant tenant;
    protected String key;

    @BeforeEach
    public void setUpStore() {
        store = newStore();
        tenant = Fixtures.tenant();
        key = "key-" + Ids.token(12);
    }

    private Claim claim(String digest, long now) {
        return store.claim(tenant, key, ENDPOINT, digest, now, LEASE, RETENTION);
    }

    @Test
    public void theFirstClaimWinsAndTheNextFindsItInFlight() {
        assertInstanceOf(Claimed.class, claim("d1", NOW));
        assertEquals(new Held(ENDPOINT, "d1", null), claim("d1", NOW));
        assertEquals(new Held(ENDPOINT, "d1", null), claim("other", NOW + 1),
                "a claim finds the first request's endpoint and digest, whatever it asks with");
    }

    @Test
    public void aCompletedKeyHoldsItsResponse() {
        claim("d1", NOW);
        store.complete(tenant, key, OK, null);
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d1", NOW + 1));
        StoredResponse error = new StoredResponse(400, Map.of(), "{\"error\": {}}", "req_2");
        String other = key + "-b";
        store.claim(tenant, other, "POST /v1/files", "d2", NOW, LEASE, RETENTION);
        store.complete(tenant, other, error, null);
        assertEquals(new Held("POST /v1/files", "d2", error), store.claim(tenant, other, "POST /v1/files", "d2",
                NOW + 1, LEASE, RETENTION), "no headers kept is an empty map");
    }

    @Test
    public void aCompletionMayReplaceTheClaimsDigest() {
        claim("provisional", NOW);
        store.complete(tenant, key, OK, "full");
        assertEquals(new Held(ENDPOINT, "full", OK), claim("provisional", NOW + 1));
    }

    @Test
    public void aReleasedKeyMayBeClaimedAgainWithOtherParameters() {
        claim("d1", NOW);
        store.release(tenant, key);
        assertInstanceOf(Claimed.class, claim("d2", NOW + 1));
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d1", NOW + 2), "now the retry's");
    }

    @Test
    public void releasingACompletedOrUnknownKeyChangesNothing() {
        claim("d1", NOW);
        store.complete(tenant, key, OK, null);
        store.release(tenant, key);
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d1", NOW + 1));
        store.release(tenant, "never-claimed-" + key);
        assertInstanceOf(Claimed.class, store.claim(tenant, "never-claimed-" + key, ENDPOINT, "d", NOW, LEASE,
                RETENTION));
    }

    @Test
    public void aClaimInFlightPastItsLeaseMayBeTakenOver() {
        claim("d1", NOW);
        assertEquals(new Held(ENDPOINT, "d1", null), claim("d1", NOW + LEASE), "held through the lease's last second");
        assertInstanceOf(Claimed.class, claim("d2", NOW + LEASE + 1));
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d1", NOW + LEASE + 2), "the new claim has a lease too");
    }

    @Test
    public void aCompletedKeyOutlivesTheLeaseAndLastsItsRetention() {
        claim("d1", NOW);
        store.complete(tenant, key, OK, null);
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d2", NOW + LEASE + 1));
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d2", NOW + RETENTION), "retention counts from the claim");
        assertInstanceOf(Claimed.class, claim("d2", NOW + RETENTION + 1));
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d1", NOW + RETENTION + 2));
    }

    @Test
    public void keysBelongToTheirTenantAndMode() {
        claim("d1", NOW);
        store.complete(tenant, key, OK, null);
        assertInstanceOf(Claimed.class, store.claim(Fixtures.tenant(), key, ENDPOINT, "d1", NOW, LEASE, RETENTION));
        assertInstanceOf(Claimed.class, store.claim(new Tenant(tenant.account(), true), key, ENDPOINT, "d1", NOW,
                LEASE, RETENTION));
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d1", NOW));
    }

    @Test
    @Disabled("finding (low: on Lambda a request is killed at 15 s, well inside the 60 s lease, so only a local server"
            + " request can outlive its lease): release is conditioned only on the record being in flight, not on"
            + " whose claim it is, so a request whose lease ran out and was taken over frees the new holder's claim"
            + " (DynamoIdempotencyStore.release's comment says the reverse), and a third request then runs beside the"
            + " second; complete, unconditional, likewise writes the late request's response over the new claim")
    public void aRequestWhoseClaimWasTakenOverCannotFreeTheNewClaim() {
        claim("d1", NOW);
        assertInstanceOf(Claimed.class, claim("d2", NOW + LEASE + 1));
        store.release(tenant, key); // the first request, late, ending before it executed
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d2", NOW + LEASE + 2));
    }
}
