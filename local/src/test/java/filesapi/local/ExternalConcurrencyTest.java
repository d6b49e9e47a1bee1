package filesapi.local;

/** The concurrency tests against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalConcurrencyTest extends ConcurrencyTest {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
