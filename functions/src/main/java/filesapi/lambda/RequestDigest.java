package filesapi.lambda;

import filesapi.lambda.wire.Multipart;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What "the same parameters" means for an {@code Idempotency-Key}: the endpoint, the path, every decoded parameter
 * (order-free, so a re-encoded retry matches) and a SHA-256 of each uploaded file's contents.
 *
 * <p>Hashing a file is the one costly part (about 2.5 ms for 4 MB with the JIT's SHA intrinsics, ten times that in
 * C1-compiled code), so a request whose endpoint stores its files claims its key with {@link #withoutContents} (each
 * file's field, name and length) and hashes nothing unless it ends in an error, which stores no file to compare.
 */
final class RequestDigest {
    private RequestDigest() {}

    /** Whether the request carries files, whose contents are costly to hash. */
    static boolean hasFiles(ApiRequest request) {
        return Multipart.isMultipart(request.contentType()) && !request.multipart().files().isEmpty();
    }

    /** The full digest: parameters and a SHA-256 of each file's contents. */
    static String of(ApiRequest request) {
        return digest(request, true);
    }

    /** The parameters, and of each file its field, name and length but not its contents. */
    static String withoutContents(ApiRequest request) {
        return digest(request, false);
    }

    private static String digest(ApiRequest request, boolean contents) {
        MessageDigest sha = sha256();
        update(sha, request.routeKey());
        new TreeMap<>(request.pathParameters()).forEach((k, v) -> update(sha, k + "=" + v));
        List<String> pairs = new ArrayList<>();
        for (Map.Entry<String, String> p : request.formPairs()) {
            pairs.add(p.getKey() + "=" + p.getValue());
        }
        pairs.sort(null);
        pairs.forEach(p -> update(sha, p));
        if (Multipart.isMultipart(request.contentType())) {
            for (Multipart.FilePart file : request.multipart().files()) {
                String of;
                if (contents) {
                    MessageDigest hash = sha256();
                    hash.update(file.contents().array(), 0, file.contents().length());
                    of = HexFormat.of().formatHex(hash.digest());
                } else {
                    of = "length " + file.contents().length();
                }
                update(sha, file.field() + ":" + file.filename() + ":" + of);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
