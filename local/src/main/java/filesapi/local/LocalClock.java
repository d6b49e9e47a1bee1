package filesapi.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server's clock: the one it was given, moved by an offset that {@code POST /_local/clock} sets, so expiry can
 * be tested without waiting. Every service reads it; only the presigned URLs S3Proxy checks are signed by real time.
 */
public final class LocalClock extends Clock {
    private final Clock base;
    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public LocalClock(Clock base) {
        this.base = base;
    }

    /** Moves the clock so that it reads {@code now}. */
    public Instant set(Instant now) {
        offset.set(Duration.between(base.instant(), now));
        return instant();
    }

    public Instant advance(Duration by) {
        offset.accumulateAndGet(by, Duration::plus);
        return instant();
    }

    /** Back to the clock it was given. */
    public void reset() {
        offset.set(Duration.ZERO);
    }

    /** How far this clock reads from real time (the given clock may itself be a test's). */
    public Duration skew() {
        return Duration.between(Instant.now(), instant());
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return base.getZone().equals(zone) ? this : Clock.offset(base.withZone(zone), offset.get());
    }
}
