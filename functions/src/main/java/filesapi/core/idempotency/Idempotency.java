package filesapi.core.idempotency;

import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * Stripe's idempotent requests: the first request with a key claims it; once it has executed, its response (errors
 * included) is kept and replayed to retries with the same endpoint and parameters. A request that ends before
 * executing (it failed validation) releases the key, so it may be retried with the same key. The request pipeline
 * runs these steps in order: {@link #claim}, then validation, then execution, then {@link #finish} or
 * {@link #release}.
 */
public final class Idempotency {
    public static final int MAX_KEY_LENGTH = 255;
    /** Longer than the Lambda timeout: a claim still in flight after this was left by a request that died. */
    static final long LEASE_SECONDS = 60;
    static final long RETENTION_SECONDS = 24 * 60 * 60;
    /** Marks a stored digest as provisional: the full one replaces it when the request finishes. */
    static final String PROVISIONAL = "provisional:";

    private final IdempotencyStore store;
    private final Clock clock;

    public Idempotency(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What claiming a key gave: the key for this request to execute under, or the response to replay. */
    public sealed interface Claim permits Execute, Replay {}

    /** The request runs under this claim, which {@link #finish} or {@link #release} ends. */
    public record Execute(Tenant tenant, String key, String token) implements Claim {}

    public record Replay(IdempotencyStore.StoredResponse response) implements Claim {}

    /**
     * Claims {@code key} for a request to {@code endpoint} whose parameters have this digest (computed once the key
     * is known to be well-formed). A key in use by another request, or first used with other parameters, is a
     * Stripe error.
     */
    public Claim claim(Tenant tenant, String key, String endpoint, Supplier<String> parameters) {
        return claim(tenant, key, endpoint, null, parameters);
    }

    /**
     * As {@link #claim(Tenant, String, String, Supplier)}, but the claim first stores {@code provisional} (a digest
     * of all but the costly part of the parameters, such as a file's contents) and the full digest comes with
     * {@link #finish}, so that the request can compute it while it runs. A retry that meets the claim still in
     * flight is compared by its provisional digest; one that meets the finished record, by its full digest, so a
     * retry with another file never replays this one's result. {@code provisional} null stores the full digest now.
     */
    public Claim claim(Tenant tenant, String key, String endpoint, String provisional, Supplier<String> parameters) {
        if (key.length() > MAX_KEY_LENGTH) {
            throw StripeError.invalid("Invalid Idempotency-Key: it can be at most " + MAX_KEY_LENGTH
                    + " characters long, but yours has " + key.length() + ".", null);
        }
        String full = provisional == null ? parameters.get() : null;
        String stored = provisional == null ? full : PROVISIONAL + provisional;
        IdempotencyStore.Claim claim = store.claim(tenant, key, endpoint, stored, clock.millis() / 1000,
                LEASE_SECONDS, RETENTION_SECONDS);
        if (claim instanceof IdempotencyStore.Held held) {
            boolean same = held.endpoint().equals(endpoint) && (held.digest().startsWith(PROVISIONAL)
                    ? provisional != null && held.digest().equals(PROVISIONAL + provisional)
                    : held.digest().equals(full != null ? full : parameters.get()));
            if (!same) {
                throw new StripeError(400, StripeError.IDEMPOTENCY_ERROR, null, null, "Keys for idempotent requests"
                        + " can only be used with the same parameters they were first used with. Try using a key"
                        + " other than '" + key + "' if you meant to execute a different request.");
            }
            if (held.response() == null) {
                throw new StripeError(409, StripeError.IDEMPOTENCY_ERROR, "idempotency_key_in_use", null, "There is"
                        + " currently another in-progress request using this Idempotent Key (that probably means you"
                        + " submitted twice, and the other request is still going through): " + key
                        + ". Please try again later.");
            }
            return new Replay(held.response());
        }
        return new Execute(tenant, key, ((IdempotencyStore.Claimed) claim).token());
    }

    /**
     * Keeps the response of a request that executed under {@code claim}. A 429 (a throttled backend) is a rejection,
     * not a result: as at Stripe, it is never kept, and the key is released for a retry.
     */
    public void finish(Execute claim, IdempotencyStore.StoredResponse response) {
        finish(claim, response, null);
    }

    /**
     * As {@link #finish(Execute, IdempotencyStore.StoredResponse)}, keeping the full digest of a claim made with a
     * provisional one ({@code digest} null keeps the claim's).
     */
    public void finish(Execute claim, IdempotencyStore.StoredResponse response, String digest) {
        if (response.status() == 429) {
            release(claim);
            return;
        }
        try {
            if (!store.complete(claim.tenant(), claim.key(), claim.token(), response, digest)) {
                Log.error(response.requestId(), "the idempotency key's lease ran out before this request finished;"
                        + " the request that took it over keeps its own response", null);
            }
        } catch (RuntimeException e) {
            // The endpoint has acted and its answer stands; a key left claimed would refuse every retry until its
            // lease ran out, so free it (a retry then runs again) and say so in the log.
            Log.error(response.requestId(), "could not keep the response for an idempotency key", e);
            try {
                release(claim);
            } catch (RuntimeException stillFailing) {
                Log.error(response.requestId(), "could not free the idempotency key; its lease will", stillFailing);
            }
        }
    }

    /** Frees a key whose request ended before executing. */
    public void release(Execute claim) {
        store.release(claim.tenant(), claim.key(), claim.token());
    }
}
