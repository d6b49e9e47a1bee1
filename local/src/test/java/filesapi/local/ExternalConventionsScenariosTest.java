package filesapi.local;

/** Stripe's conventions against the DynamoDB and S3 the environment names (see External), or skipped saying why. */
class ExternalConventionsScenariosTest extends ConventionsScenarios {
    @Override
    protected Backend startBackend() {
        return External.start();
    }
}
