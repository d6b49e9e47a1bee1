package filesapi.local;

/** The Files scenarios against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalFilesScenariosTest extends FilesScenarios {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
