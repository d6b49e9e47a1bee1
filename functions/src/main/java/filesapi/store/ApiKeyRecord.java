package filesapi.store;

/** What an API key unlocks. Only the SHA-256 of the key itself is ever stored. */
public record ApiKeyRecord(String account, boolean livemode, String kind, long created) {}
