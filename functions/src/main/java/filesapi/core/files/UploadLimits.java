package filesapi.core.files;

/**
 * The largest upload an API Gateway HTTP API + Lambda deployment can carry. Lambda's synchronous request payload is
 * 6 MB (6,291,456 bytes); API Gateway base64-encodes a binary body (4 bytes for every 3) and wraps it in the event
 * JSON, for which 16 KiB is kept aside. So a multipart request body can be at most (6,291,456 - 16,384) * 3 / 4 =
 * 4,706,304 bytes; the file inside it a little less.
 */
public final class UploadLimits {
    public static final long LAMBDA_PAYLOAD_BYTES = 6_291_456;
    public static final long EVENT_OVERHEAD_BYTES = 16_384;
    public static final long MAX_REQUEST_BODY_BYTES = (LAMBDA_PAYLOAD_BYTES - EVENT_OVERHEAD_BYTES) * 3 / 4;
    /** Responses are base64-encoded the same way; larger downloads are redirected to a presigned URL instead. */
    public static final long MAX_INLINE_DOWNLOAD_BYTES = (LAMBDA_PAYLOAD_BYTES - EVENT_OVERHEAD_BYTES) * 3 / 4;

    private UploadLimits() {}
}
