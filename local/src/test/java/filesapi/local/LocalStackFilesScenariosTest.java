package filesapi.local;

import org.testcontainers.junit.jupiter.Testcontainers;

/** The same Files scenarios against LocalStack; skipped, with Testcontainers' message, where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackFilesScenariosTest extends FilesScenarios {
    @Override
    protected Backend startBackend() {
        return LocalStack.start();
    }
}
