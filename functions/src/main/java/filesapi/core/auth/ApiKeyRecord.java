package filesapi.core.auth;

import filesapi.core.Caller;

/**
 * What an API key unlocks. Only the SHA-256 of the key itself is ever stored. {@code files} is what a restricted
 * key may do with Files and File Links (secret and publishable keys are not restricted).
 */
public record ApiKeyRecord(String account, boolean livemode, Caller.KeyKind kind, long created, Caller.Access files) {}
