package filesapi.local;

import org.testcontainers.junit.jupiter.Testcontainers;

/** Stripe's conventions against LocalStack; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackConventionsScenariosTest extends ConventionsScenarios {
    @Override
    protected Backend startBackend() {
        return LocalStack.start();
    }
}
