package filesapi.core.links;

/** What opening a link needs, kept beside the token so that an open costs one read. */
public record LinkTarget(
        Long linkExpiresAt,
        Long fileExpiresAt,
        String blobKey,
        String contentType,
        String filename) {}
