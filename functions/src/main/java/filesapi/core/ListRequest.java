package filesapi.core;

/**
 * The pagination and {@code created} filter every list shares. The created filter is a half-open range
 * [{@code createdFrom}, {@code createdTo}).
 */
public record ListRequest(int limit, String startingAfter, String endingBefore, long createdFrom, long createdTo) {}
