package filesapi.core.fakes;

import filesapi.core.Tenant;
import filesapi.core.idempotency.IdempotencyStore;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link IdempotencyStore} in memory, as DynamoIdempotencyStore behaves. A claim wins where there is no record, where
 * the record is past its retention ({@code now > claimed + retention}), was released, or is still in flight past its
 * lease ({@code now > claimed + lease}); retention counts from the claim, not from completion. Each claim has a
 * token; {@code complete} and {@code release} act only on the claim in flight with their token.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    public enum State { IN_FLIGHT, DONE, RELEASED }

    /** A record as stored; {@code leaseUntil} is null once done, {@code expiresAt} is the retention's end. */
    public record Entry(String endpoint, String digest, State state, Long leaseUntil, Long expiresAt, String token,
                        StoredResponse response) {}

    private final Map<String, Entry> entries = new HashMap<>();
    private int claims;

    private static String key(Tenant tenant, String key) {
        return tenant.key() + "|idem|" + key;
    }

    @Override
    public synchronized Claim claim(Tenant tenant, String key, String endpoint, String digest, long nowSeconds,
                                    long leaseSeconds, long retentionSeconds) {
        String k = key(tenant, key);
        Entry held = entries.get(k);
        boolean free = held == null
                || held.expiresAt() != null && held.expiresAt() < nowSeconds
                || held.state() == State.RELEASED
                || held.state() == State.IN_FLIGHT && held.leaseUntil() != null && held.leaseUntil() < nowSeconds;
        if (free) {
            String token = "claim" + ++claims;
            entries.put(k, new Entry(endpoint, digest, State.IN_FLIGHT, nowSeconds + leaseSeconds,
                    nowSeconds + retentionSeconds, token, null));
            return new Claimed(token);
        }
        return new Held(held.endpoint(), held.digest(), held.state() == State.DONE ? held.response() : null);
    }

    @Override
    public synchronized boolean complete(Tenant tenant, String key, String token, StoredResponse response,
                                         String digest) {
        String k = key(tenant, key);
        Entry held = entries.get(k);
        if (!ours(held, token)) {
            return false;
        }
        StoredResponse kept = new StoredResponse(response.status(), Map.copyOf(response.headers()), response.body(),
                response.requestId());
        entries.put(k, new Entry(held.endpoint(), digest != null ? digest : held.digest(), State.DONE, null,
                held.expiresAt(), token, kept));
        return true;
    }

    @Override
    public synchronized void release(Tenant tenant, String key, String token) {
        String k = key(tenant, key);
        Entry held = entries.get(k);
        if (ours(held, token)) {
            entries.put(k, new Entry(held.endpoint(), held.digest(), State.RELEASED, held.leaseUntil(),
                    held.expiresAt(), token, null));
        }
    }

    private static boolean ours(Entry held, String token) {
        return held != null && held.state() == State.IN_FLIGHT && held.token().equals(token);
    }

    /** The record of {@code key}, or null, for assertions. */
    public synchronized Entry entry(Tenant tenant, String key) {
        return entries.get(key(tenant, key));
    }
}
