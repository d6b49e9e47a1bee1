package filesapi.core.auth;

/** Which accounts a Connect platform may act on through the {@code Stripe-Account} header. */
public interface ConnectionStore {
    boolean isConnected(String platform, String account);

    void connect(String platform, String account, long createdSeconds);

    /** False when there was no such connection. */
    boolean disconnect(String platform, String account);
}
