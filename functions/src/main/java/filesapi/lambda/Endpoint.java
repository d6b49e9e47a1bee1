package filesapi.lambda;

import java.util.Set;

/**
 * What the pipeline must know of an endpoint: which keys may call it, whether it runs under an
 * {@code Idempotency-Key}, and the DynamoDB and S3 operations its requests can make.
 */
public record Endpoint(Keys keys, boolean idempotent, Set<AwsOperation> operations) {
    /** Who may call: nobody needs a key (the public link opener), secret and restricted keys, or publishable too. */
    public enum Keys { NONE, SECRET, SECRET_OR_PUBLISHABLE }

    public Endpoint {
        operations = Set.copyOf(operations);
    }

    /** A GET of the API. */
    public static Endpoint reading(Set<AwsOperation> operations) {
        return new Endpoint(Keys.SECRET, false, operations);
    }

    /** A POST of the API: a request with {@code Idempotency-Key} runs once and its response is replayed. */
    public static Endpoint writing(Set<AwsOperation> operations) {
        return new Endpoint(Keys.SECRET, true, operations);
    }

    /** Uploads, which publishable keys may make (as from a browser), idempotent as every POST. */
    public static Endpoint uploading(Set<AwsOperation> operations) {
        return new Endpoint(Keys.SECRET_OR_PUBLISHABLE, true, operations);
    }

    /** No key at all. */
    public static Endpoint open(Set<AwsOperation> operations) {
        return new Endpoint(Keys.NONE, false, operations);
    }
}
