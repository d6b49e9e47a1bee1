package filesapi.core.fakes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand, so that expiry, leases and retention are tested without sleeping. */
public final class SettableClock extends Clock {
    private volatile Instant now;

    public SettableClock(Instant start) {
        this.now = start;
    }

    /** At a whole second, as the services count in seconds. */
    public static SettableClock at(long epochSecond) {
        return new SettableClock(Instant.ofEpochSecond(epochSecond));
    }

    /** At the current whole second. */
    public static SettableClock startingNow() {
        return at(Instant.now().getEpochSecond());
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void advanceSeconds(long seconds) {
        advance(Duration.ofSeconds(seconds));
    }

    public long epochSecond() {
        return now.getEpochSecond();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
