package filesapi.core.fakes;

import filesapi.core.ListWindow;
import filesapi.core.Page;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One newest-first page of a list, as {@code DynamoPager} reads one: items ordered by created time, then by id (as
 * strings compare), the created range half-open [{@code createdFrom}, {@code createdTo}), a cursor excluded, and with
 * {@code before} the {@code limit} items just newer than it (still shown newest first). {@code hasMore} says whether
 * the list goes on past the page in the paging direction, counting only items {@code keep} accepts.
 */
final class InMemoryLists {
    private InMemoryLists() {}

    static <T> Page<T> page(Collection<T> all, ListWindow w, ToLongFunction<T> created, Function<T, String> id,
                            Predicate<T> keep) {
        Comparator<T> oldestFirst = Comparator.<T>comparingLong(created).thenComparing(id);
        List<T> matching = new ArrayList<>();
        for (T item : all) {
            long c = created.applyAsLong(item);
            if (w.createdFrom() > 0 && c < w.createdFrom() || c >= w.createdTo()) {
                continue;
            }
            if (w.after() != null && compare(c, id.apply(item), w.after()) >= 0) {
                continue;
            }
            if (w.before() != null && compare(c, id.apply(item), w.before()) <= 0) {
                continue;
            }
            if (keep == null || keep.test(item)) {
                matching.add(item);
            }
        }
        boolean ascending = w.before() != null;
        matching.sort(ascending ? oldestFirst : oldestFirst.reversed());
        boolean hasMore = matching.size() > w.limit();
        List<T> page = new ArrayList<>(hasMore ? matching.subList(0, w.limit()) : matching);
        if (ascending) {
            Collections.reverse(page);
        }
        return new Page<>(List.copyOf(page), hasMore);
    }

    private static int compare(long created, String id, ListWindow.Cursor cursor) {
        int byCreated = Long.compare(created, cursor.created());
        return byCreated != 0 ? byCreated : id.compareTo(cursor.id());
    }
}
