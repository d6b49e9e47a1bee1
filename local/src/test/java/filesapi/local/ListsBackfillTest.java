package filesapi.local;

import static filesapi.local.TestApi.KEY_A;
import static filesapi.local.TestApi.multipart;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.admin.ListsBackfillCommand;
import filesapi.core.fakes.SettableClock;
import filesapi.dynamodb.Items;
import filesapi.lambda.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A stack deployed before the lists table: its files and links get their entries back, and lists show them. */
class ListsBackfillTest {
    @Test
    void objectsStoredBeforeTheListsTableAreListedOnceBackfilled() throws Exception {
        try (Backend backend = Backend.embedded()) {
            TestApi api = new TestApi(backend, SettableClock.startingNow(), "_backfill");
            String file = api.upload(KEY_A, multipart().field("purpose", "dispute_evidence")
                    .file("f.pdf", "application/pdf", Samples.pdf(1000))).json().path("id").asText();
            String link = api.postForm(KEY_A, "/v1/file_links", "file=" + file).json().path("id").asText();
            DynamoDbClient dynamo = backend.clients().dynamo();
            String lists = Config.listsTable(backend.table());
            // As a table written by the version before: objects, and no list entries.
            for (Map<String, AttributeValue> entry : dynamo.scan(s -> s.tableName(lists).consistentRead(true)).items()) {
                dynamo.deleteItem(d -> d.tableName(lists).key(Map.of(Items.PK, entry.get(Items.PK),
                        Items.SK, entry.get(Items.SK))));
            }
            assertEquals(0, api.get(KEY_A, "/v1/files").json().path("data").size());

            assertTrue(backfill(backend).contains("2 files and links, 4 entries written"));
            assertEquals(file, api.get(KEY_A, "/v1/files?purpose=dispute_evidence").json().path("data").path(0)
                    .path("id").asText());
            assertEquals(link, api.get(KEY_A, "/v1/file_links?file=" + file).json().path("data").path(0)
                    .path("id").asText());
            assertEquals(link, api.get(KEY_A, "/v1/files/" + file).json().path("links").path("data").path(0)
                    .path("id").asText());
            api.postForm(KEY_A, "/v1/file_links/" + link, "metadata[after]=backfill");
            assertTrue(backfill(backend).contains("0 entries written"), "a second run changes nothing");
            assertEquals("backfill", api.get(KEY_A, "/v1/file_links").json().path("data").path(0)
                    .path("metadata").path("after").asText(), "nor overwrites an entry written since");
        }
    }

    private static String backfill(Backend backend) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ListsBackfillCommand.run(new String[] {"--table", backend.table(),
                "--lists-table", Config.listsTable(backend.table())}, Map.of(),
                backend.clients().dynamo(), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }
}
