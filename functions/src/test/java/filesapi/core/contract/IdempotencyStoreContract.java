package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Ids;
import filesapi.core.Tenant;
import filesapi.core.idempotency.IdempotencyStore;
import filesapi.core.idempotency.IdempotencyStore.Claim;
import filesapi.core.idempotency.IdempotencyStore.Claimed;
import filesapi.core.idempotency.IdempotencyStore.Held;
import filesapi.core.idempotency.IdempotencyStore.StoredResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
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

    /** Claims the key, which must be free, and gives the claim's token. */
    private String claimed(String digest, long now) {
        return assertInstanceOf(Claimed.class, claim(digest, now)).token();
    }

    @Test
    public void theFirstClaimWinsAndTheNextFindsItInFlight() {
        claimed("d1", NOW);
        assertEquals(new Held(ENDPOINT, "d1", null), claim("d1", NOW));
        assertEquals(new Held(ENDPOINT, "d1", null), claim("other", NOW + 1),
                "a claim finds the first request's endpoint and digest, whatever it asks with");
    }

    @Test
    public void aCompletedKeyHoldsItsResponse() {
        assertTrue(store.complete(tenant, key, claimed("d1", NOW), OK, null));
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d1", NOW + 1));
        StoredResponse error = new StoredResponse(400, Map.of(), "{\"error\": {}}", "req_2");
        String other = key + "-b";
        Claimed claim = assertInstanceOf(Claimed.class, store.claim(tenant, other, "POST /v1/files", "d2", NOW,
                LEASE, RETENTION));
        store.complete(tenant, other, claim.token(), error, null);
        assertEquals(new Held("POST /v1/files", "d2", error), store.claim(tenant, other, "POST /v1/files", "d2",
                NOW + 1, LEASE, RETENTION), "no headers kept is an empty map");
    }

    @Test
    public void aCompletionMayReplaceTheClaimsDigest() {
        store.complete(tenant, key, claimed("provisional", NOW), OK, "full");
        assertEquals(new Held(ENDPOINT, "full", OK), claim("provisional", NOW + 1));
    }

    @Test
    public void aReleasedKeyMayBeClaimedAgainWithOtherParameters() {
        store.release(tenant, key, claimed("d1", NOW));
        claimed("d2", NOW + 1);
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d1", NOW + 2), "now the retry's");
    }

    @Test
    public void releasingACompletedOrUnknownKeyChangesNothing() {
        String token = claimed("d1", NOW);
        store.complete(tenant, key, token, OK, null);
        store.release(tenant, key, token);
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d1", NOW + 1));
        store.release(tenant, "never-claimed-" + key, token);
        assertInstanceOf(Claimed.class, store.claim(tenant, "never-claimed-" + key, ENDPOINT, "d", NOW, LEASE,
                RETENTION));
    }

    @Test
    public void aClaimInFlightPastItsLeaseMayBeTakenOver() {
        claimed("d1", NOW);
        assertEquals(new Held(ENDPOINT, "d1", null), claim("d1", NOW + LEASE), "held through the lease's last second");
        claimed("d2", NOW + LEASE + 1);
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d1", NOW + LEASE + 2), "the new claim has a lease too");
    }

    @Test
    public void aCompletedKeyOutlivesTheLeaseAndLastsItsRetention() {
        store.complete(tenant, key, claimed("d1", NOW), OK, null);
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d2", NOW + LEASE + 1));
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d2", NOW + RETENTION), "retention counts from the claim");
        assertInstanceOf(Claimed.class, claim("d2", NOW + RETENTION + 1));
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d1", NOW + RETENTION + 2));
    }

    @Test
    public void keysBelongToTheirTenantAndMode() {
        store.complete(tenant, key, claimed("d1", NOW), OK, null);
        assertInstanceOf(Claimed.class, store.claim(Fixtures.tenant(), key, ENDPOINT, "d1", NOW, LEASE, RETENTION));
        assertInstanceOf(Claimed.class, store.claim(new Tenant(tenant.account(), true), key, ENDPOINT, "d1", NOW,
                LEASE, RETENTION));
        assertEquals(new Held(ENDPOINT, "d1", OK), claim("d1", NOW));
    }

    @Test
    public void aRequestWhoseClaimWasTakenOverCannotEndTheNewClaim() {
        String late = claimed("d1", NOW);
        String taker = claimed("d2", NOW + LEASE + 1);
        store.release(tenant, key, late); // the first request, late, ending before it executed
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d2", NOW + LEASE + 2), "still the taker's");
        assertFalse(store.complete(tenant, key, late, OK, null), "nor can it keep its response");
        assertEquals(new Held(ENDPOINT, "d2", null), claim("d2", NOW + LEASE + 3));
        StoredResponse takers = new StoredResponse(201, Map.of(), "{}", "req_taker");
        assertTrue(store.complete(tenant, key, taker, takers, null));
        assertEquals(new Held(ENDPOINT, "d2", takers), claim("d2", NOW + LEASE + 4));
    }
}
