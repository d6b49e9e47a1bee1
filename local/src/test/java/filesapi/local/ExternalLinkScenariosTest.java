package filesapi.local;

/** The link scenarios against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalLinkScenariosTest extends LinkScenarios {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
