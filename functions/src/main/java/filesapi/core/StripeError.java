package filesapi.core;

/**
 * A failure that the client is told about, rendered as Stripe's error object. Anything else that escapes a handler
 * becomes an {@code api_error}.
 */
public final class StripeError extends RuntimeException {
    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String API_ERROR = "api_error";
    public static final String IDEMPOTENCY_ERROR = "idempotency_error";

    private final int status;
    private final String type;
    private final String code;
    private final String param;

    public StripeError(int status, String type, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
    }

    public int status() { return status; }
    public String type() { return type; }
    public String code() { return code; }
    public String param() { return param; }

    public static StripeError invalid(String message, String param) {
        return new StripeError(400, INVALID_REQUEST, null, param, message);
    }

    public static StripeError invalid(String message, String code, String param) {
        return new StripeError(400, INVALID_REQUEST, code, param, message);
    }

    public static StripeError missingParam(String param) {
        return invalid("Missing required param: " + param + ".", "parameter_missing", param);
    }

    public static StripeError unknownParam(String param) {
        return invalid("Received unknown parameter: " + param, "parameter_unknown", param);
    }

    public static StripeError invalidInteger(String param, String value) {
        return invalid("Invalid integer: " + value, "parameter_invalid_integer", param);
    }

    public static StripeError invalidBoolean(String param, String value) {
        return invalid("Invalid boolean: " + value, "parameter_invalid_boolean", param);
    }

    public static StripeError emptyString(String param) {
        return invalid("You passed an empty string for '" + param + "'. We assume empty values are an attempt to unset"
                + " a parameter; however '" + param + "' cannot be unset. You should remove '" + param
                + "' from your request or supply a non-empty value.", "parameter_invalid_empty", param);
    }

    public static StripeError exclusive(String a, String b) {
        return invalid("You may only specify one of these parameters: " + a + ", " + b + ".", "parameters_exclusive", a);
    }

    public static StripeError resourceMissing(String noun, String param, String id) {
        return new StripeError(404, INVALID_REQUEST, "resource_missing", param, "No such " + noun + ": '" + id + "'");
    }

    /** A parameter names an object that does not exist (or is not the caller's): a 400, unlike a missing path id. */
    public static StripeError noSuchObject(String noun, String param, String id) {
        return new StripeError(400, INVALID_REQUEST, "resource_missing", param, "No such " + noun + ": '" + id + "'");
    }

    public static StripeError unauthorized(String message) {
        return new StripeError(401, INVALID_REQUEST, null, null, message);
    }

    public static StripeError forbidden(String message) {
        return new StripeError(403, INVALID_REQUEST, null, null, message);
    }

    public static StripeError unrecognizedUrl(String method, String path) {
        return new StripeError(404, INVALID_REQUEST, null, null, "Unrecognized request URL (" + method + ": " + path
                + "). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
    }

    /** Stripe's answer when another request holds the object; retrying later succeeds. */
    public static StripeError lockTimeout() {
        return new StripeError(429, INVALID_REQUEST, "lock_timeout", null, "This object cannot be accessed right now"
                + " because another API request is currently updating it. Please retry.");
    }

    public static StripeError internal(String requestId) {
        return new StripeError(500, API_ERROR, null, null, "An unexpected error occurred while processing your request"
                + " (request id " + requestId + "). Please retry; if it persists, contact the operator of this"
                + " service with the request id.");
    }
}
