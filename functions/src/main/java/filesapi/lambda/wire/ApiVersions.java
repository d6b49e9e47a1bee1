package filesapi.lambda.wire;

import filesapi.core.StripeError;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code Stripe-Version}: {@code YYYY-MM-DD}, optionally {@code .name}, optionally {@code ; flag=value} beta flags.
 * Every version gets the same (newest) shape of these two objects, whose fields have not changed across versions.
 * Up to the newest version we know, a version must be a real date and, from 2024-09-30 on, carry the release name
 * Stripe used at that date or {@code preview}, which Stripe's public-preview SDKs pin (stripe-java 33.5.0-beta.1 sends
 * {@code 2026-08-26.preview}). Stripe keeps releasing versions after we ship, and its clients pin the newest one, so a
 * well-formed version dated after ours is served with our newest shape rather than refused; we cannot know its name.
 */
public final class ApiVersions {
    public static final String DEFAULT = "2026-09-30.endive";
    private static final LocalDate NEWEST = LocalDate.of(2026, 9, 30);
    private static final LocalDate FIRST_NAMED = LocalDate.of(2024, 9, 30);
    private static final LocalDate FIRST = LocalDate.of(2011, 1, 1);
    private static final String PREVIEW = "preview";
    private static final Pattern FORMAT = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})(?:\\.([a-z]+))?");
    private static final Pattern BETA_FLAG = Pattern.compile("[a-z][a-z0-9_]*=[A-Za-z0-9_.-]+");

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

    /** The version a request runs under, without its beta flags: its header's, or the default. */
    public static String resolve(String header) {
        if (header == null || header.isBlank()) {
            return DEFAULT;
        }
        String[] parts = header.split(";", -1);
        String version = parts[0].trim();
        if (!isServed(version) || !betaFlagsWellFormed(parts)) {
            throw StripeError.invalid("Invalid Stripe API version: " + header.trim() + ". Versions look like "
                    + DEFAULT + ", optionally followed by beta flags such as '; example_beta=v1'."
                    + " See https://docs.stripe.com/upgrades for the list of versions.", null);
        }
        return version;
    }

    /** The version to echo on an answer that is not about the version: the request's if it is served. */
    public static String orDefault(String header) {
        try {
            return resolve(header);
        } catch (StripeError e) {
            return DEFAULT;
        }
    }

    private static boolean betaFlagsWellFormed(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            if (!BETA_FLAG.matcher(parts[i].trim()).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isServed(String version) {
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
        if (date.isBefore(FIRST)) {
            return false;
        }
        if (date.isAfter(NEWEST)) {
            return true;
        }
        String name = m.group(4);
        if (date.isBefore(FIRST_NAMED)) {
            return name == null;
        }
        if (PREVIEW.equals(name)) {
            return true;
        }
        for (Release r : RELEASES) {
            if (r.name.equals(name) && !date.isBefore(r.from) && !date.isAfter(r.to)) {
                return true;
            }
        }
        return false;
    }
}
