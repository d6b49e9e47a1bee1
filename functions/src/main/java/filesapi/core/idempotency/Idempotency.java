package filesapi.core.idempotency;

import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import java.time.Clock;
import java.util.function.Predicate;
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
    /** Marks a stored digest as provisional: the request's files are not in it yet. */
    static final String PROVISIONAL = "provisional:";
    /** Marks the digest of a success that stored its files: a retry's files are compared with those. */
    static final String STORED = "stored:";

    private final IdempotencyStore store;
    private final Clock clock;

    public Idempotency(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** What claiming a key gave: the key for this request to execute under, or the response to replay. */
    public sealed interface Claim permits Execute, Replay {}

    /**
     * The request runs under this claim, which {@link #finish} or {@link #release} ends; {@code withoutFiles} is the
     * digest it claimed with when its files are compared with the stored ones, else null.
     */
    public record Execute(Tenant tenant, String key, String token, String withoutFiles) implements Claim {}

    public record Replay(IdempotencyStore.StoredResponse response) implements Claim {}

    /**
     * Claims {@code key} for a request to {@code endpoint} whose parameters have this digest (computed once the key
     * is known to be well-formed). A key in use by another request, or first used with other parameters, is a
     * Stripe error.
     */
    public Claim claim(Tenant tenant, String key, String endpoint, Supplier<String> parameters) {
        return claim(tenant, key, endpoint, null, parameters, null);
    }

    /**
     * For a request whose files its endpoint stores: hashing them (tens of milliseconds for 4 MB in C1-compiled
     * code) would be paid by every request for the sake of rare retries, so the claim keeps {@code withoutFiles}, a
     * digest of everything but the files' contents. A retry that meets the claim in flight is judged by it; one that
     * meets a kept success, by it and then by {@code storedSame}, which says whether the files that success stored
     * are the retry's, byte for byte (the retry pays one read of them). A kept error stored nothing, so it keeps the
     * full digest ({@link #finish}), computed then.
     */
    public Claim claimComparingFiles(Tenant tenant, String key, String endpoint, String withoutFiles,
                                     Supplier<String> parameters,
                                     Predicate<IdempotencyStore.StoredResponse> storedSame) {
        return claim(tenant, key, endpoint, withoutFiles, parameters, storedSame);
    }

    private Claim claim(Tenant tenant, String key, String endpoint, String withoutFiles, Supplier<String> parameters,
                        Predicate<IdempotencyStore.StoredResponse> storedSame) {
        if (key.length() > MAX_KEY_LENGTH) {
            throw StripeError.invalid("Invalid Idempotency-Key: it can be at most " + MAX_KEY_LENGTH
                    + " characters long, but yours has " + key.length() + ".", null);
        }
        String stored = withoutFiles == null ? parameters.get() : PROVISIONAL + withoutFiles;
        IdempotencyStore.Claim claim = store.claim(tenant, key, endpoint, stored, clock.millis() / 1000,
                LEASE_SECONDS, RETENTION_SECONDS);
        if (claim instanceof IdempotencyStore.Held held) {
            if (!held.endpoint().equals(endpoint) || !sameRequest(held, withoutFiles, parameters, storedSame)) {
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
        return new Execute(tenant, key, ((IdempotencyStore.Claimed) claim).token(), withoutFiles);
    }

    /** Whether the held record was made by a request with these parameters (records of any version). */
    private static boolean sameRequest(IdempotencyStore.Held held, String withoutFiles, Supplier<String> parameters,
                                       Predicate<IdempotencyStore.StoredResponse> storedSame) {
        String digest = held.digest();
        if (digest.startsWith(PROVISIONAL)) {
            return digest.equals(PROVISIONAL + withoutFiles);
        }
        if (digest.startsWith(STORED)) {
            return digest.equals(STORED + withoutFiles) && held.response() != null && storedSame != null
                    && storedSame.test(held.response());
        }
        return digest.equals(parameters.get());
    }

    /**
     * Keeps the response of a request that executed under {@code claim}. A 429 (a throttled backend) is a rejection,
     * not a result: as at Stripe, it is never kept, and the key is released for a retry.
     */
    public void finish(Execute claim, IdempotencyStore.StoredResponse response) {
        finish(claim, response, null);
    }

    /**
     * As {@link #finish(Execute, IdempotencyStore.StoredResponse)}; for a claim {@link #claimComparingFiles}, a
     * success stored the files and its record says so, and an error keeps the {@code parameters}' full digest.
     */
    public void finish(Execute claim, IdempotencyStore.StoredResponse response, Supplier<String> parameters) {
        if (response.status() == 429) {
            release(claim);
            return;
        }
        try {
            String digest = claim.withoutFiles() == null ? null
                    : response.status() / 100 == 2 ? STORED + claim.withoutFiles() : parameters.get();
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
