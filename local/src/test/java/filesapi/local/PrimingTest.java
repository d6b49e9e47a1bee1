package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.Ids;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.AwsOperation;
import filesapi.lambda.Config;
import filesapi.lambda.Priming;
import filesapi.lambda.Services;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SnapStart hook runs every handler's real path against the backends and never fails the deployment. */
class PrimingTest {
    private static Backend backend;
    private static TestApi api;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.embedded();
        api = new TestApi(backend, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void primingEveryHandlerRunsItsPathAndAnswersWithoutSideEffects() {
        int primed = 0;
        for (TemplateModel.Route route : TestApi.template().routes()) {
            ApiHandler handler = (ApiHandler) LocalServer.instantiate(route.handlerClass(), api.services());
            APIGatewayV2HTTPResponse probe = Priming.of(handler, api.services()).prime();
            assertNotNull(probe, route.function() + " priming failed");
            boolean needsKey = !route.function().equals("OpenFileLinkFunction")
                    && !route.function().equals("NotFoundFunction");
            // 401: the unknown key was looked up in DynamoDB; 404: the opener looked up a token that does not exist,
            // and the catch-all route looked nothing up.
            assertEquals(needsKey ? 401 : 404, probe.getStatusCode(), route.function() + ": " + probe.getBody());
            TestApi.checkSchema(TestApi.toResponse(probe));
            primed++;
        }
        assertEquals(13, primed);
        assertEquals(0, api.get(TestApi.KEY_A, "/v1/files").json().path("data").size(), "priming stored nothing");
        assertTrue(backend.clients().dynamo().scan(s -> s.tableName(backend.table())).items().stream()
                .noneMatch(item -> item.get("pk").s().startsWith("priming")), "its conditional writes all failed");
        assertEquals(0, backend.clients().s3().listObjectsV2(l -> l.bucket(backend.bucket()).prefix("priming/"))
                .keyCount(), "its conditional PutObject wrote nothing");
    }

    /**
     * As deployed, where each function's role allows only what its handler declares: priming makes every declared
     * operation (a presigned URL is signed, not sent) and nothing else, and logs no error.
     */
    @Test
    void primingMakesExactlyTheDeclaredOperationsAndLogsNoError() {
        DeclaredOperations roles = new DeclaredOperations();
        Services services = Services.create(new Config(backend.table(), backend.bucket(), "", Duration.ofSeconds(300)),
                roles.wrap(backend.clients()), Clock.systemUTC());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            for (TemplateModel.Route route : TestApi.template().routes()) {
                ApiHandler handler = (ApiHandler) LocalServer.instantiate(route.handlerClass(), services);
                Set<AwsOperation> made = roles.run(handler, () -> assertNotNull(Priming.of(handler, services).prime()));
                Set<AwsOperation> sent = EnumSet.noneOf(AwsOperation.class);
                sent.addAll(handler.operations());
                sent.remove(AwsOperation.S3_PRESIGNED_GET);
                sent.remove(AwsOperation.S3_PRESIGNED_PUT_UPLOAD);
                assertEquals(sent, made, route.function());
            }
        } finally {
            System.setOut(stdout);
        }
        assertEquals(List.of(), roles.refused(), "undeclared calls");
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("\"level\":\"ERROR\""), log.toString());
    }

    @Test
    void checkpointAndRestoreHooksLeaveIdsUnique() {
        ApiHandler handler = (ApiHandler) LocalServer.instantiate("filesapi.lambda.files.RetrieveFileHandler",
                api.services());
        Priming hook = Priming.of(handler, api.services());
        hook.beforeCheckpoint(null);
        hook.afterRestore(null);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(Ids.token(32));
        }
        assertEquals(1000, tokens.size());
    }
}
