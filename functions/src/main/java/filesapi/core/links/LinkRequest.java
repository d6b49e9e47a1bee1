package filesapi.core.links;

import java.util.Map;

/** The link a new file is to be created with ({@code file_link_data[create]=true}). */
public record LinkRequest(Long expiresAt, Map<String, String> metadata) {}
