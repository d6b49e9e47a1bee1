package filesapi.local;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The link scenarios against LocalStack; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackLinkScenariosTest extends LinkScenarios {
    @Override
    protected Backend startBackend() {
        return LocalStack.start();
    }
}
