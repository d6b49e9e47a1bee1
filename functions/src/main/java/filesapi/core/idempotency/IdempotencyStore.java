package filesapi.core.idempotency;

import filesapi.core.Tenant;
import java.util.Map;

/** Idempotency records: a key claimed by one request, then the response it finished with. */
public interface IdempotencyStore {
    /** The response replayed for a key: the first request's status, headers that matter, body and request id. */
    record StoredResponse(int status, Map<String, String> headers, String body, String requestId) {}

    /** What a claim found: the key is now ours, or another request holds it or has finished with it. */
    sealed interface Claim permits Claimed, Held {}

    /** The key is ours: {@code token} names this claim, so only its request can complete or release it. */
    record Claimed(String token) implements Claim {}

    /** Another request's record: {@code response} is null while that request is still in flight. */
    record Held(String endpoint, String digest, StoredResponse response) implements Claim {}

    /**
     * Claims {@code key} for a request with this endpoint and parameter digest. A claim left in flight past
     * {@code leaseUntil} of its request (which must have crashed) and a record past its retention may be taken over.
     */
    Claim claim(Tenant tenant, String key, String endpoint, String digest, long nowSeconds, long leaseSeconds,
                long retentionSeconds);

    /**
     * Keeps the response, and {@code digest} in place of the claim's unless it is null, if the claim named by
     * {@code token} still holds the key. False when it does not: its lease ran out and another request took the key
     * over, and that request's outcome is the one to keep.
     */
    boolean complete(Tenant tenant, String key, String token, StoredResponse response, String digest);

    /**
     * Frees the claim named by {@code token} (a request that ended before executing), so a retry with the same key
     * runs again; a claim another request has taken over stays theirs.
     */
    void release(Tenant tenant, String key, String token);
}
