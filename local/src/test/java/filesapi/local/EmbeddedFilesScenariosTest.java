package filesapi.local;

/** The Files scenarios against DynamoDB and S3 emulated in this JVM. */
class EmbeddedFilesScenariosTest extends FilesScenarios {
    @Override
    protected Backend startBackend() throws Exception {
        return Backend.adversarial();
    }
}
