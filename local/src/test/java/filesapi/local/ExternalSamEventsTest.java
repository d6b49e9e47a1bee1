package filesapi.local;

/** The sample events against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalSamEventsTest extends SamEventsTest {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
