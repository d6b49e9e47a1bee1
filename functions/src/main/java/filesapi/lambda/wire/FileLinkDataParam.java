package filesapi.lambda.wire;

import filesapi.core.Metadata;
import filesapi.core.StripeError;
import filesapi.core.links.LinkRequest;
import java.util.Map;
import java.util.Set;

/** The {@code file_link_data} parameter of an upload ({@code POST /v1/files}, {@code POST /v1/file_uploads}). */
public final class FileLinkDataParam {
    private FileLinkDataParam() {}

    /** The link asked for, or null when none is ({@code data} absent, or {@code create} false). */
    public static LinkRequest parse(Params data) {
        if (data == null) {
            return null;
        }
        data.allowOnly(Set.of("create", "expires_at", "metadata"));
        Boolean create = data.bool("create");
        if (create == null) {
            throw StripeError.missingParam("file_link_data[create]");
        }
        Long expiresAt = data.integer("expires_at");
        Metadata.Update metadata = MetadataParam.parse(data, "metadata");
        return create ? new LinkRequest(expiresAt, metadata.applyTo(Map.of())) : null;
    }
}
