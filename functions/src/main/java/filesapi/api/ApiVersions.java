package filesapi.api;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Stripe-Version}. Every version gets the same (newest) shape of these two objects, whose fields have not
 * changed across versions; a version is accepted if it is a real date no later than the newest version and, for
 * versions since 2024-09-30, carries the release name Stripe used at that date. Beta flags after ';' are ignored.
 */
public final class ApiVersions {
    public static final String DEFAULT = "2026-09-30.endive";
    private static final LocalDate NEWEST = LocalDate.of(2026, 9, 30);
    private static final LocalDate FIRST_NAMED = LocalDate.of(2024, 9, 30);
    private static final LocalDate FIRST = LocalDate.of(2011, 1, 1);
    private static final Pattern FORMAT = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:\\.([a-z]+))?");

    /** Release names and the dates they span, inclusive; neighbours overlap where the switch date is not known. */
    private record Release(String name, LocalDate from, LocalDate to) {}

    private static final Release[] RELEASES = {
        new Release("acacia", LocalDate.of(2024, 9, 30), LocalDate.of(2025, 3, 30)),
        new Release("basil", LocalDate.of(2025, 3, 31), LocalDate.of(2025, 9, 29)),
        new Release("clover", LocalDate.of(2025, 9, 30), LocalDate.of(2026, 3, 31)),
        new Release("dahlia", LocalDate.of(2026, 2, 1), LocalDate.of(2026, 9, 29)),
        new Release("endive", LocalDate.of(2026, 9, 30), LocalDate.of(2026, 9, 30)),
    };

    private ApiVersions() {}

    /** The version a request runs under: its header's, or the default. */
    public static String resolve(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        String version = header.contains(";") ? header.substring(0, header.indexOf(';')).trim() : header.trim();
        if (!isKnown(version)) {
            throw StripeError.invalid("Invalid Stripe API version: " + version + ". Versions look like "
                    + DEFAULT + "; this server knows versions up to " + DEFAULT
                    + ". See https://docs.stripe.com/upgrades for the list of versions.", null);
        }
        return version;
    }

    static boolean isKnown(String version) {
        Matcher m = FORMAT.matcher(version);
        if (!m.matches()) {
            return false;
        }
        LocalDate date;
        try {
            date = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)));
        } catch (DateTimeException e) {
            return false;
        }
        if (date.isBefore(FIRST) || date.isAfter(NEWEST)) {
            return false;
        }
        String name = m.group(4);
        if (date.isBefore(FIRST_NAMED)) {
            return name == null;
        }
        for (Release r : RELEASES) {
            if (r.name.equals(name) && !date.isBefore(r.from) && !date.isAfter(r.to)) {
                return true;
            }
        }
        return false;
    }
}
