package filesapi.local;

import filesapi.core.Caller;
import filesapi.core.StripeError;
import filesapi.lambda.ApiResponse;
import filesapi.lambda.wire.Params;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /_local/...}: what a test suite in any language needs from the local server and a deployment never has
 * (template.yaml routes none of it). Any configured secret test key may call them.
 */
final class ControlEndpoints {
    static final String PREFIX = "/_local/";
    /** 9999-12-31T23:59:59Z. */
    static final long MAX_EPOCH_SECOND = 253_402_300_799L;

    /** Empties every store and applies the seed again. */
    interface Reset {
        void run() throws Exception;
    }

    private final List<LocalServer.SeededKey> keys;
    private final LocalClock clock;
    private final Reset reset;

    ControlEndpoints(List<LocalServer.SeededKey> keys, LocalClock clock, Reset reset) {
        this.keys = keys;
        this.clock = clock;
        this.reset = reset;
    }

    static boolean isControl(String path) {
        return path.startsWith(PREFIX);
    }

    /** @param authorization the Authorization header; @param form the query or form-encoded body */
    ApiResponse handle(String method, String path, String authorization, String form) throws Exception {
        try {
            authenticate(authorization);
            String route = method + " " + path.substring(PREFIX.length() - 1);
            return switch (route) {
                case "GET /health" -> ApiResponse.ok(Map.of("object", "local.health", "status", "ready"));
                case "POST /reset" -> {
                    reset.run();
                    yield ApiResponse.ok(Map.of("object", "local.reset", "reset", true));
                }
                case "GET /clock" -> clockAnswer();
                case "POST /clock" -> moveClock(form);
                default -> ApiResponse.error(StripeError.unrecognizedUrl(method, path));
            };
        } catch (StripeError e) {
            return ApiResponse.error(e);
        }
    }

    private void authenticate(String authorization) {
        String key = keyOf(authorization);
        if (key == null) {
            throw StripeError.unauthorized("You did not provide an API key. The /_local endpoints take any of the"
                    + " server's secret test keys, e.g. 'Authorization: Bearer sk_test_...' or curl -u sk_test_...:");
        }
        boolean known = keys.stream().anyMatch(k -> k.key().equals(key));
        if (!known) {
            throw StripeError.unauthorized("Invalid API Key provided: " + redact(key));
        }
        if (Caller.kindOf(key) != Caller.KeyKind.SECRET || Caller.isLiveKey(key)) {
            throw StripeError.forbidden("The /_local endpoints take a secret test key (sk_test_...); "
                    + redact(key) + " is not one.");
        }
    }

    /** Bearer, or Basic with the key as the user name, as Stripe accepts. */
    private static String keyOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.trim();
        if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return value.substring(7).trim();
        }
        if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return null;
    }

    private static String redact(String key) {
        return key.length() <= 12 ? key : key.substring(0, 8) + "*".repeat(key.length() - 12)
                + key.substring(key.length() - 4);
    }

    private ApiResponse moveClock(String form) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : Params.decodeUrlEncoded(form == null ? "" : form)) {
            if (!p.getKey().equals("now") && !p.getKey().equals("advance")) {
                throw StripeError.unknownParam(p.getKey());
            }
            params.put(p.getKey(), p.getValue());
        }
        if (params.containsKey("now") && params.containsKey("advance")) {
            throw StripeError.exclusive("now", "advance");
        }
        String name = params.containsKey("now") ? "now" : "advance";
        if (!params.containsKey(name)) {
            throw StripeError.invalid("Give now=<epoch seconds> or advance=<seconds>.", "parameter_missing", "now");
        }
        long value = Params.parseInteger(name, params.get(name));
        Instant target;
        try {
            target = name.equals("now") ? Instant.ofEpochSecond(value) : clock.instant().plusSeconds(value);
        } catch (DateTimeException | ArithmeticException e) {
            target = null;
        }
        // Stripe's timestamps are seconds since 1970 that fit its integers; anything else is a typo.
        if (target == null || target.getEpochSecond() < 0 || target.getEpochSecond() > MAX_EPOCH_SECOND) {
            throw StripeError.invalid("The clock can be set from 0 to " + MAX_EPOCH_SECOND + " (epoch seconds); "
                    + name + "=" + value + " would put it outside.", name);
        }
        clock.set(target);
        return clockAnswer();
    }

    private ApiResponse clockAnswer() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "local.clock");
        body.put("now", clock.instant().getEpochSecond());
        body.put("skew", clock.skew().toSeconds());
        return ApiResponse.ok(body);
    }
}
