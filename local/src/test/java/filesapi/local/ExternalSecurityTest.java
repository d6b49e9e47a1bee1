package filesapi.local;

/** The security tests against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalSecurityTest extends SecurityTest {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
