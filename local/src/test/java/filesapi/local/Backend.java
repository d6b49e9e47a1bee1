package filesapi.local;

import filesapi.AwsClients;
import filesapi.local.dynamodb.InMemoryDynamoDb;

/** Where scenario tests keep their data: the embedded emulators, or LocalStack in Docker. */
public interface Backend extends AutoCloseable {
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
