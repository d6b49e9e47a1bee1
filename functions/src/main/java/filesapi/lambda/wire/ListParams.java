package filesapi.lambda.wire;

import filesapi.core.ListRequest;
import filesapi.core.StripeError;
import java.util.Set;

/** The pagination and {@code created} parameters every list endpoint shares, read as a {@link ListRequest}. */
public final class ListParams {
    public static final int DEFAULT_LIMIT = 10;
    public static final Set<String> PARAMS = Set.of("limit", "starting_after", "ending_before", "created", "expand");

    private ListParams() {}

    public static ListRequest parse(Params params) {
        int limit = DEFAULT_LIMIT;
        Long requested = params.integer("limit");
        if (requested != null) {
            if (requested < 1 || requested > 100) {
                throw StripeError.invalid("Invalid limit: must be between 1 and 100", "parameter_invalid_integer",
                        "limit");
            }
            limit = requested.intValue();
        }
        String after = params.nonEmptyString("starting_after");
        String before = params.nonEmptyString("ending_before");
        if (after != null && before != null) {
            throw StripeError.exclusive("ending_before", "starting_after");
        }
        long from = 0;
        long to = Long.MAX_VALUE;
        if (params.isString("created")) {
            long exact = params.integer("created");
            from = exact;
            to = after(exact);
        } else {
            Params created = params.object("created");
            if (created != null) {
                created.allowOnly(Set.of("gt", "gte", "lt", "lte"));
                Long gt = created.integer("gt");
                Long gte = created.integer("gte");
                Long lt = created.integer("lt");
                Long lte = created.integer("lte");
                if (gt != null) from = Math.max(from, after(gt));
                if (gte != null) from = Math.max(from, gte);
                if (lt != null) to = Math.min(to, lt);
                if (lte != null) to = Math.min(to, after(lte));
            }
        }
        return new ListRequest(limit, after, before, Math.max(0, from), to);
    }

    /** The bound just past {@code t}; at Long.MAX_VALUE nothing is past it, so it stays there instead of wrapping. */
    private static long after(long t) {
        return t == Long.MAX_VALUE ? t : t + 1;
    }
}
