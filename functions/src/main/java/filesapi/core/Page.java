package filesapi.core;

import java.util.List;

/** One page of a list, newest first; {@code hasMore} says whether the list goes on past it in the paging direction. */
public record Page<T>(List<T> data, boolean hasMore) {}
