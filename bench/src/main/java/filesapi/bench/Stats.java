package filesapi.bench;

import java.util.Arrays;

/** Percentiles of a sample of durations in nanoseconds. */
record Stats(long p50, long p99, long max, int n) {
    static Stats of(long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return new Stats(at(s, 0.50), at(s, 0.99), s[s.length - 1], s.length);
    }

    /** Nearest-rank percentile. */
    private static long at(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long median(long[] values) {
        return of(values).p50;
    }
}
