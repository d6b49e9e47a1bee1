package filesapi.core;

/** An account in one mode. Every stored key starts with it, so no request can name another tenant's object. */
public record Tenant(String account, boolean livemode) {
    public String key() {
        return account + "|" + (livemode ? "live" : "test");
    }
}
