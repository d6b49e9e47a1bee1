package filesapi.core.idempotency;

import filesapi.core.Caller;
import filesapi.core.Log;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.lambda.ApiRequest;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.wire.Multipart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Stripe's idempotent requests for every POST: the first request with a key claims it, and once its endpoint has
 * started executing its response (errors included) is saved and replayed byte for byte to retries with the same
 * parameters. A request that fails before executing saves nothing, so it may be retried with the same key.
 */
public final class Idempotency {
    public static final int MAX_KEY_LENGTH = 255;
    /** Longer than the Lambda timeout: a claim still in flight after this was left by a request that died. */
    static final long LEASE_SECONDS = 60;
    static final long RETENTION_SECONDS = 24 * 60 * 60;

    private final IdempotencyStore store;
    private final Clock clock;

    public Idempotency(IdempotencyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ApiResponse execute(ApiRequest request, Caller caller, String key, Supplier<ApiResponse> action) {
        if (key.length() > MAX_KEY_LENGTH) {
            throw StripeError.invalid("Invalid Idempotency-Key: it can be at most " + MAX_KEY_LENGTH
                    + " characters long, but yours has " + key.length() + ".", null);
        }
        String digest = digest(request);
        Tenant tenant = caller.tenant();
        IdempotencyStore.Claim claim = store.claim(tenant, key, request.routeKey(), digest,
                clock.millis() / 1000, LEASE_SECONDS, RETENTION_SECONDS);
        if (claim instanceof IdempotencyStore.Held held) {
            if (!held.endpoint().equals(request.routeKey()) || !held.digest().equals(digest)) {
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
            return replay(held.response());
        }
        ApiResponse response;
        try {
            response = action.get();
        } catch (RuntimeException | Error e) {
            store.release(tenant, key);
            throw e;
        }
        // A 429 (a throttled backend) is a rejection, not a result: as at Stripe, it is never kept for the key.
        if (response.status() != 429 && (request.executing() || response.status() < 300)) {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Content-Type") || k.equalsIgnoreCase("Location")) {
                    headers.put(k, v);
                }
            });
            try {
                store.complete(tenant, key, new IdempotencyStore.StoredResponse(response.status(), headers,
                        new String(response.body(), StandardCharsets.UTF_8), request.requestId()));
            } catch (RuntimeException e) {
                // The endpoint has acted and its answer stands; a key left claimed would refuse every retry until
                // its lease ran out, so free it (a retry then runs again) and say so in the log.
                Log.error(request.requestId(), "could not keep the response for an idempotency key", e);
                try {
                    store.release(tenant, key);
                } catch (RuntimeException stillFailing) {
                    Log.error(request.requestId(), "could not free the idempotency key; its lease will", stillFailing);
                }
            }
        } else {
            store.release(tenant, key);
        }
        return response;
    }

    private static ApiResponse replay(IdempotencyStore.StoredResponse stored) {
        Map<String, String> headers = new LinkedHashMap<>(stored.headers());
        headers.put("Idempotent-Replayed", "true");
        headers.put("Original-Request", stored.requestId());
        return new ApiResponse(stored.status(), headers, stored.body().getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * What "the same parameters" means: the endpoint, the path, every decoded parameter (order-free, so a
     * re-encoded retry matches) and a SHA-256 of each uploaded file's contents.
     */
    static String digest(ApiRequest request) {
        MessageDigest sha = sha256();
        update(sha, request.routeKey());
        new TreeMap<>(request.pathParameters()).forEach((k, v) -> update(sha, k + "=" + v));
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> p : request.formPairs()) {
            pairs.add(p.getKey() + "=" + p.getValue());
        }
        pairs.sort(null);
        pairs.forEach(p -> update(sha, p));
        if (Multipart.isMultipart(request.contentType())) {
            for (Multipart.FilePart file : request.multipart().files()) {
                MessageDigest contents = sha256();
                contents.update(file.contents().array(), 0, file.contents().length());
                update(sha, file.field() + ":" + file.filename() + ":" + HexFormat.of().formatHex(contents.digest()));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
