package filesapi.local;

/** Stripe's conventions against the embedded emulators. */
class EmbeddedConventionsScenariosTest extends ConventionsScenarios {
    @Override
    protected Backend startBackend() throws Exception {
        return Backend.adversarial();
    }
}
