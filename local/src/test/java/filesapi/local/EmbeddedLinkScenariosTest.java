package filesapi.local;

/** The link scenarios against the embedded emulators; S3Proxy checks presigned-URL expiry. */
class EmbeddedLinkScenariosTest extends LinkScenarios {
    @Override
    protected Backend startBackend() throws Exception {
        return Backend.adversarial();
    }
}
