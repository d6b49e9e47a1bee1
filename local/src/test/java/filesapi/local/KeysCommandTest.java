package filesapi.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.admin.KeysCommand;
import filesapi.core.auth.Authenticator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The provisioning command against the table a deployment uses, and the API's view of what it provisions. */
class KeysCommandTest {
    private static Backend backend;

    @BeforeAll
    static void start() throws Exception {
        backend = Backend.embedded();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private record Run(int exit, String out, String err) {}

    private static Run keys(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeysCommand.run(args, Map.of("TABLE_NAME", backend.table()), backend.clients().dynamo(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8).trim(), err.toString(StandardCharsets.UTF_8));
    }

    /** A fresh API each time: a container caches a found key for a minute, a new one sees revocations at once. */
    private static TestApi api() {
        return new TestApi(backend, Clock.systemUTC(), "_keys");
    }

    @Test
    void createdKeyIsPrintedOnceStoredAsItsHashAndWorksUntilRevoked() {
        Run created = keys("create", "--account", "acct_Provisioned1", "--mode", "live");
        assertEquals(0, created.exit(), created.err());
        String key = created.out();
        assertTrue(key.matches("sk_live_[0-9A-Za-z]{32}"), key);
        assertTrue(created.err().contains("only its SHA-256 is stored"));

        Map<String, AttributeValue> item = backend.clients().dynamo().getItem(g -> g.tableName(backend.table())
                .key(Map.of("pk", AttributeValue.fromS("key|" + Authenticator.hash(key))))).item();
        assertEquals("acct_Provisioned1", item.get("account").s());
        assertTrue(item.get("livemode").bool());
        assertFalse(item.toString().contains(key.substring(8)), "the key itself is never stored");

        TestApi.Response list = api().get(key, "/v1/files");
        assertEquals(200, list.status(), list.text());
        assertFalse(list.json().path("data").isMissingNode());

        assertEquals(0, keys("revoke", "--key", key).exit());
        assertEquals(401, api().get(key, "/v1/files").status());
        assertEquals(1, keys("revoke", "--key", key).exit(), "a second revoke finds nothing");
    }

    @Test
    void kindsAndImportedKeys() {
        Run publishable = keys("create", "--account", "acct_Provisioned2", "--mode", "test", "--kind", "publishable");
        assertTrue(publishable.out().startsWith("pk_test_"), publishable.out());
        assertEquals(403, api().get(publishable.out(), "/v1/files").status(), "publishable keys may only upload");

        Run restricted = keys("create", "--account", "acct_Provisioned2", "--mode", "test", "--kind", "restricted",
                "--files", "read");
        assertTrue(restricted.out().startsWith("rk_test_"), restricted.out());
        assertEquals(200, api().get(restricted.out(), "/v1/files").status());
        assertEquals(403, api().postForm(restricted.out(), "/v1/file_links", "file=file_x").status());
        assertBad("needs its Files permission", "create", "--account", "acct_Provisioned2", "--mode", "test",
                "--kind", "restricted");
        assertBad("only restricted keys", "create", "--account", "acct_Provisioned2", "--mode", "test",
                "--files", "read");
        assertBad("--files is none, read or write", "create", "--account", "acct_Provisioned2", "--mode", "test",
                "--kind", "restricted", "--files", "admin");

        String sample = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
        assertEquals(0, keys("import", "--account", "acct_Provisioned2", "--key", sample).exit());
        assertEquals(200, api().get(sample, "/v1/files").status());
    }

    @Test
    void connectLetsThePlatformActOnTheAccountUntilDisconnected() {
        String platformKey = keys("create", "--account", "acct_Platform1", "--mode", "test").out();
        Map<String, String> asConnected = Map.of("Stripe-Account", "acct_Connected1");
        assertEquals(403, api().call("GET", "/v1/files", platformKey, asConnected, null).status());

        assertEquals(0, keys("connect", "--platform", "acct_Platform1", "--account", "acct_Connected1").exit());
        assertEquals(200, api().call("GET", "/v1/files", platformKey, asConnected, null).status());

        assertEquals(0, keys("disconnect", "--platform", "acct_Platform1", "--account", "acct_Connected1").exit());
        TestApi.Response refused = api().call("GET", "/v1/files", platformKey, asConnected, null);
        assertEquals(403, refused.status());
        assertEquals("account_invalid", refused.error().path("code").asText());
        assertEquals(1, keys("disconnect", "--platform", "acct_Platform1", "--account", "acct_Connected1").exit());
    }

    @Test
    void badUsageIsExitTwoWithAReason() {
        assertEquals(2, keys().exit());
        assertTrue(keys().err().contains("usage: keys create"));
        assertBad("unknown command", "mint");
        assertBad("--mode is test or live", "create", "--account", "acct_X1", "--mode", "prod");
        assertBad("--kind is secret", "create", "--account", "acct_X1", "--mode", "test", "--kind", "admin");
        assertBad("--account is required", "create", "--mode", "test");
        assertBad("looks like acct_", "create", "--account", "bob", "--mode", "test");
        assertBad("takes no --key", "create", "--account", "acct_X1", "--mode", "test", "--key", "sk_test_x");
        assertBad("a key looks like", "import", "--account", "acct_X1", "--key", "password");
        assertBad("cannot be connected to itself", "connect", "--platform", "acct_X1", "--account", "acct_X1");
        assertBad("expected --option value", "revoke", "--key");
        assertBad("is a placeholder", "import", "--account", "acct_X1", "--key", "sk_test_...");
        assertBad("is a placeholder", "import", "--account", "acct_X1", "--key", "sk_live_<your-key>");
        assertBad("is a placeholder", "import", "--account", "acct_X1", "--key", "rk_test_xxxxxxxxxxxx",
                "--files", "read");
        Run noTable = new Run(KeysCommand.run(new String[] {"revoke", "--key", "sk_test_x"}, Map.of(),
                backend.clients().dynamo(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())), "", "");
        assertEquals(2, noTable.exit());
    }

    @Test
    void aTableThatIsNotThereIsOneLineAndExitOne() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = KeysCommand.run(new String[] {"revoke", "--key", "sk_test_abc", "--table", "files-api-typo"},
                Map.of(), backend.clients().dynamo(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, exit);
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("no table 'files-api-typo' in the default region"), message);
    }

    private static void assertBad(String reason, String... args) {
        Run run = keys(args);
        assertEquals(2, run.exit(), String.join(" ", args));
        assertTrue(run.err().contains(reason), run.err());
    }
}
