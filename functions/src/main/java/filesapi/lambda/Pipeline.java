package filesapi.lambda;

import filesapi.core.auth.Authenticator;
import filesapi.core.idempotency.Idempotency;

/**
 * What {@link ApiHandler} itself uses around every endpoint: authentication, idempotency and the public base URL of
 * the links it renders (blank: the request's host).
 */
public record Pipeline(Authenticator auth, Idempotency idempotency, String publicBaseUrl) {}
