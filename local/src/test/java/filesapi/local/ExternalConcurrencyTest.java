package filesapi.local;

/** The concurrency tests against the DynamoDB and S3 the environment names (see External); skipped, saying so, without one. */
class ExternalConcurrencyTest extends ConcurrencyTest {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
