package filesapi.local;

import filesapi.lambda.AwsClients;
import filesapi.local.dynamodb.InMemoryDynamoDb;

/** Where scenario tests keep their data: the embedded emulators, LocalStack in Docker, or an external endpoint. */
public interface Backend extends AutoCloseable {
    /** What a test may need that not every backend gives. */
    enum Capability {
        /** The emulator's count of TransactionConflict cancellations. */
        CONFLICT_COUNTER,
        /** S3 refusing a presigned URL past its expiry. */
        PRESIGNED_EXPIRY,
        /** S3 refusing a presigned PUT whose body is longer or shorter than the Content-Length it was signed with. */
        PRESIGNED_PUT_LENGTH,
        /** S3 honouring a presigned URL's response-content-disposition and response-content-type. */
        PRESIGNED_RESPONSE_OVERRIDES,
        /** Conditional writes and transactions atomic when requests race on one item from several threads. */
        ATOMIC_WRITES_UNDER_THREADS
    }

    /** Why this backend cannot give {@code capability}, or null when it can. The embedded emulators give all. */
    default String lacks(Capability capability) {
        return null;
    }

    /**
     * Skips the calling test, with the reason printed and reported, when the backend lacks the capability: a skip
     * is never silent.
     */
    static void assume(Backend backend, Capability capability) {
        String reason = backend.lacks(capability);
        if (reason != null) {
            String test = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                    .walk(frames -> frames.skip(1).findFirst().map(f -> f.getDeclaringClass().getSimpleName() + "."
                            + f.getMethodName()).orElse("?"));
            System.out.println("[skipped] " + test + ": " + reason);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(reason == null, reason);
    }

    AwsClients clients();

    String table();

    String bucket();

    @Override
    void close();

    /**
     * The embedded emulators made as unkind as DynamoDB may be: every transaction holds its items for a millisecond
     * before committing, so requests that race on one item meet TransactionConflict; and eventually consistent reads
     * and index queries never see anything written after the start, so a read that relies on one fails a test.
     */
    static Backend adversarial() throws Exception {
        Backend backend = embedded();
        emulator(backend).whileTransactionHoldsItems(Backend::pause);
        emulator(backend).lagEventuallyConsistentReads();
        return backend;
    }

    static InMemoryDynamoDb emulator(Backend backend) {
        return (InMemoryDynamoDb) backend.clients().dynamo();
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Backend embedded() throws Exception {
        TemplateModel template = TestApi.template();
        EmbeddedBackends backends = EmbeddedBackends.start(template, "files-api-test", "files-api-test", null);
        return new Backend() {
            public AwsClients clients() { return backends.clients(); }
            public String table() { return "files-api-test"; }
            public String bucket() { return "files-api-test"; }
            public void close() { backends.close(); }
        };
    }
}
