package filesapi.core;

/**
 * Which slice of a newest-first list to read: created in [{@code createdFrom}, {@code createdTo}), after one cursor
 * or before another (each the created time and id of an existing object), at most {@code limit} items.
 */
public record ListWindow(int limit, long createdFrom, long createdTo, Cursor after, Cursor before) {
    public record Cursor(long created, String id) {}
}
