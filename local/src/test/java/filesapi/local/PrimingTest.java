package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.auth.ApiKeyRecord;
import filesapi.core.auth.ApiKeyStore;
import filesapi.core.auth.Authenticator;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
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

    /** The hook a handler's no-argument constructor registers, over {@code services}. */
    private static Priming hook(TemplateModel.Route route, Services services) {
        return hook(route, (ApiHandler) LocalServer.instantiate(route.handlerClass(), services), services);
    }

    private static Priming hook(TemplateModel.Route route, ApiHandler handler, Services services) {
        if (route.path().equals("$default")) {
            return Priming.of(handler, services, null, null);
        }
        return Priming.of(handler, services, registeredRoute(route),
                twin -> (ApiHandler) LocalServer.instantiate(route.handlerClass(), twin));
    }

    /** The route key the handler's no-argument constructor registers for its twin. */
    private static String registeredRoute(TemplateModel.Route route) {
        try {
            return (String) Class.forName(route.handlerClass()).getField("ROUTE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(route.handlerClass() + " has no public ROUTE", e);
        }
    }

    /** A twin asked another route than the template gives its function would prime a path no request takes. */
    @Test
    void everyHandlerPrimesTheRouteTheTemplateGivesIt() {
        int checked = 0;
        for (TemplateModel.Route route : TestApi.template().routes()) {
            if (!route.path().equals("$default")) {
                assertEquals(route.method() + " " + route.path(), registeredRoute(route), route.function());
                checked++;
            }
        }
        assertEquals(12, checked);
    }

    @Test
    void primingEveryHandlerRunsItsPathAndAnswersWithoutSideEffects() {
        int primed = 0;
        for (TemplateModel.Route route : TestApi.template().routes()) {
            APIGatewayV2HTTPResponse probe = hook(route, api.services()).prime().probe();
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
        for (String table : List.of(backend.table(), Config.listsTable(backend.table()))) {
            assertTrue(backend.clients().dynamo().scan(s -> s.tableName(table)).items().stream()
                    .noneMatch(item -> item.toString().contains("acct_priming")), "the twins wrote into " + table);
        }
        assertTrue(backend.clients().s3().listObjectsV2(l -> l.bucket(backend.bucket())).contents().stream()
                .noneMatch(o -> o.key().contains("acct_priming")), "the twins wrote into the bucket");
    }

    /**
     * Each handler's twin ran the success path: an authenticated request for seeded objects, answered 200 (the
     * link opener's 302), so the lever cannot quietly fall back to an error path.
     */
    @Test
    void primingAnswersEveryRouteOnItsTwin() {
        int twins = 0;
        for (TemplateModel.Route route : TestApi.template().routes()) {
            APIGatewayV2HTTPResponse twin = hook(route, api.services()).prime().twin();
            if (route.path().equals("$default")) {
                assertNull(twin, "the catch-all route has no success path beyond its 404");
                continue;
            }
            assertNotNull(twin, route.function() + ": the twin failed");
            int expected = route.function().equals("OpenFileLinkFunction") ? 302 : 200;
            assertEquals(expected, twin.getStatusCode(), route.function() + ": " + twin.getBody());
            twins++;
        }
        assertEquals(12, twins);
    }

    /**
     * The twins authenticate with a key of their own, on services of their own: the function's authenticator, which
     * caches only a key its store found, is never handed one.
     */
    @Test
    void primingLeavesNoKeyInTheFunctionsAuthenticator() {
        Services base = api.services();
        List<String> found = new CopyOnWriteArrayList<>();
        ApiKeyStore keys = new ApiKeyStore() {
            @Override
            public Optional<ApiKeyRecord> find(String keyHash) {
                Optional<ApiKeyRecord> key = base.keys().find(keyHash);
                key.ifPresent(k -> found.add(k.account()));
                return key;
            }

            @Override
            public void save(String keyHash, ApiKeyRecord key) {
                base.keys().save(keyHash, key);
            }

            @Override
            public boolean delete(String keyHash) {
                return base.keys().delete(keyHash);
            }
        };
        Services services = new Services(base.config(), base.aws(), base.clock(), keys, base.connections(),
                new Authenticator(keys, base.connections()), base.idempotency(), base.files(), base.links(),
                base.blobs(), base.render());
        for (TemplateModel.Route route : TestApi.template().routes()) {
            Priming.Outcome outcome = hook(route, services).prime();
            assertNotNull(outcome.probe(), route.function());
        }
        assertEquals(List.of(), found, "keys the function's authenticator found, and so cached");
        services.auth().authenticate("Bearer " + TestApi.KEY_A, null, Caller.Access.READ);
        assertEquals(1, found.size(), "a request's key is seen");
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
                Priming hook = hook(route, handler, services);
                Set<AwsOperation> made = roles.run(handler, () -> assertNotNull(hook.prime().probe()));
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
        Priming hook = Priming.of(handler, api.services(), "GET /v1/files/{file}",
                twin -> (ApiHandler) LocalServer.instantiate("filesapi.lambda.files.RetrieveFileHandler", twin));
        hook.beforeCheckpoint(null);
        hook.afterRestore(null);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            tokens.add(Ids.token(32));
        }
        assertEquals(1000, tokens.size());
    }
}
