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
 */
final class RequestDigest {
    private RequestDigest() {}

    static String of(ApiRequest request) {
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
                MessageDigest contents = sha256();
                contents.update(file.contents().array(), 0, file.contents().length());
                update(sha, file.field() + ":" + file.filename() + ":" + HexFormat.of().formatHex(contents.digest()));
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
