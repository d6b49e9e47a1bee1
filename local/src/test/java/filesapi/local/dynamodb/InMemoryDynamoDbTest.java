package filesapi.local.dynamodb;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.*;

class InMemoryDynamoDbTest {
    private static final String TABLE = "files";
    private InMemoryDynamoDb db;

    @BeforeEach
    void setUp() {
        db = new InMemoryDynamoDb();
        createFilesTable(db);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** pk/sk table with a GSI on folder (S) + label (S). */
    @SuppressWarnings("unchecked") // the SDK's varargs of Consumer<GlobalSecondaryIndex.Builder>
    private static void createFilesTable(InMemoryDynamoDb client) {
        client.createTable(b -> b.tableName(TABLE)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("folder"), attr("label"))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .globalSecondaryIndexes(g -> g.indexName("byFolder")
                        .keySchema(key("folder", KeyType.HASH), key("label", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))));
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    private static Map<String, AttributeValue> item(String pk, String sk, Object... pairs) {
        Map<String, AttributeValue> item = new HashMap<>(Map.of("pk", s(pk), "sk", s(sk)));
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            item.put((String) pairs[i], v instanceof AttributeValue av ? av : s(v.toString()));
        }
        return item;
    }

    private void put(Map<String, AttributeValue> item) {
        db.putItem(b -> b.tableName(TABLE).item(item));
    }

    private Map<String, AttributeValue> get(String pk, String sk) {
        GetItemResponse response = db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s(pk), "sk", s(sk))));
        return response.hasItem() ? response.item() : null;
    }

    private UpdateItemResponse update(String expression, Map<String, String> names, Map<String, AttributeValue> values) {
        return db.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("s")))
                .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW));
    }

    private List<String> queryLabels(String condition, Map<String, AttributeValue> values, boolean forward) {
        return db.query(b -> b.tableName(TABLE).indexName("byFolder").keyConditionExpression(condition)
                        .expressionAttributeValues(values).scanIndexForward(forward))
                .items().stream().map(i -> i.get("label").s()).toList();
    }

    @Test
    void conditionalPutFailsOnExistingItemAndKeepsIt() {
        PutItemRequest create = PutItemRequest.builder().tableName(TABLE).item(item("a", "1", "v", "first"))
                .conditionExpression("attribute_not_exists(pk)").build();
        db.putItem(create);
        ConditionalCheckFailedException e = assertThrows(ConditionalCheckFailedException.class,
                () -> db.putItem(create.toBuilder().item(item("a", "1", "v", "second")).build()));
        assertEquals("ConditionalCheckFailedException", e.awsErrorDetails().errorCode());
        assertEquals(400, e.statusCode());
        assertEquals("first", get("a", "1").get("v").s());

        PutItemResponse overwrite = db.putItem(b -> b.tableName(TABLE).item(item("a", "1", "v", "third")).returnValues(ReturnValue.ALL_OLD));
        assertEquals("first", overwrite.attributes().get("v").s());
        assertEquals("third", get("a", "1").get("v").s());
    }

    @Test
    void updateExpressionsFollowDynamoDbSemantics() {
        Map<String, AttributeValue> created = update("SET title = :t, meta = :empty", Map.of(),
                Map.of(":t", s("doc"), ":empty", AttributeValue.fromM(Map.of()))).attributes();
        assertEquals("doc", created.get("title").s());

        Map<String, AttributeValue> nested = update("SET #m.#k = :v, hits = :two", Map.of("#m", "meta", "#k", "content-type"),
                Map.of(":v", s("text/plain"), ":two", n("2"))).attributes();
        assertEquals("text/plain", nested.get("meta").m().get("content-type").s());
        assertEquals("2", nested.get("hits").n());

        UpdateItemResponse removed = db.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("s")))
                .updateExpression("REMOVE #m.#k, title").expressionAttributeNames(Map.of("#m", "meta", "#k", "content-type"))
                .returnValues(ReturnValue.UPDATED_OLD));
        assertEquals(Map.of("meta", AttributeValue.fromM(Map.of("content-type", s("text/plain"))), "title", s("doc")), removed.attributes());
        Map<String, AttributeValue> stored = get("p", "s");
        assertEquals(Map.of(), stored.get("meta").m());
        assertFalse(stored.containsKey("title"));

        DynamoDbException badPath = assertThrows(DynamoDbException.class, () -> update("SET missing.x = :v", Map.of(), Map.of(":v", s("v"))));
        assertEquals("ValidationException", badPath.awsErrorDetails().errorCode());
        assertThrows(DynamoDbException.class, () -> update("SET sk = :v", Map.of(), Map.of(":v", s("x"))), "key attributes cannot be updated");
    }

    @Test
    @SuppressWarnings("unchecked") // the SDK's varargs of Map<String, AttributeValue> (keys)
    void syntaxOurCodeNeverIssuesIsRefusedRatherThanGuessed() {
        List<org.junit.jupiter.api.function.Executable> unsupported = List.of(
                () -> update("ADD hits :one", Map.of(), Map.of(":one", n("1"))),
                () -> update("SET hits = hits + :one", Map.of(), Map.of(":one", n("1"))),
                () -> update("SET tags = list_append(tags, :one)", Map.of(), Map.of(":one", AttributeValue.fromL(List.of()))),
                () -> update("SET hits = if_not_exists(hits, :one)", Map.of(), Map.of(":one", n("1"))),
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("v IN (:a, :b)")
                        .expressionAttributeValues(Map.of(":a", s("a"), ":b", s("b")))),
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("contains(v, :a)")
                        .expressionAttributeValues(Map.of(":a", s("a")))),
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("size(v) = :a")
                        .expressionAttributeValues(Map.of(":a", n("1")))),
                () -> db.scan(b -> b.tableName(TABLE).filterExpression("attribute_exists(pk)")),
                () -> db.batchGetItem(b -> b.requestItems(Map.of(TABLE, KeysAndAttributes.builder().keys(Map.of("pk", s("a"), "sk", s("1"))).build()))),
                () -> db.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().conditionCheck(c -> c.tableName(TABLE)
                        .key(Map.of("pk", s("a"), "sk", s("1"))).conditionExpression("attribute_exists(pk)")).build())));
        for (org.junit.jupiter.api.function.Executable call : unsupported) assertThrows(UnsupportedOperationException.class, call);
    }

    @Test
    void reservedWordsMustBeEscapedInEveryExpression() {
        put(item("r", "1", "status", "on"));
        assertValidation("Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status",
                () -> db.putItem(b -> b.tableName(TABLE).item(item("r", "1")).conditionExpression("status = :v")
                        .expressionAttributeValues(Map.of(":v", s("on")))));
        assertValidation("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Data",
                () -> update("SET Data = :v", Map.of(), Map.of(":v", s("x"))));
        assertValidation("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: ttl",
                () -> update("REMOVE ttl", Map.of(), Map.of()));
        assertValidation("Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: region",
                () -> db.query(b -> b.tableName(TABLE).keyConditionExpression("region = :r")
                        .expressionAttributeValues(Map.of(":r", s("eu")))));
        assertValidation("Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: size",
                () -> db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p").filterExpression("size = :v")
                        .expressionAttributeValues(Map.of(":p", s("r"), ":v", n("1")))));
        assertValidation("Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name",
                () -> db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("r"), "sk", s("1"))).projectionExpression("sk, name")));
        assertEquals(1, db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p").filterExpression("#s = :v")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":p", s("r"), ":v", s("on")))).count());
    }

    @Test
    void consistentReadOnAnIndexIsRefused() {
        assertValidation("Consistent reads are not supported on global secondary indexes",
                () -> db.query(b -> b.tableName(TABLE).indexName("byFolder").consistentRead(true)
                        .keyConditionExpression("folder = :f").expressionAttributeValues(Map.of(":f", s("f")))));
        assertEquals(0, db.query(b -> b.tableName(TABLE).consistentRead(true)
                .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("p")))).count());
    }

    @Test
    void aQueryPageEndsAtOneMegabyteRead() {
        String blob = "b".repeat(100_000);
        for (int i = 0; i < 25; i++) put(item("big", String.format("%02d", i), "blob", blob, "folder", "f", "label", "l" + i));
        for (String index : Arrays.asList(null, "byFolder")) {
            QueryResponse first = db.query(b -> b.tableName(TABLE).indexName(index)
                    .keyConditionExpression(index == null ? "pk = :v" : "folder = :v")
                    .expressionAttributeValues(Map.of(":v", s(index == null ? "big" : "f"))));
            assertEquals(11, first.count(), "the eleventh 100 KB item takes the page past 1 MB; index " + index);
            assertTrue(first.hasLastEvaluatedKey());
            Set<String> seen = new HashSet<>();
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = db.query(b -> b.tableName(TABLE).indexName(index).exclusiveStartKey(from)
                        .keyConditionExpression(index == null ? "pk = :v" : "folder = :v")
                        .expressionAttributeValues(Map.of(":v", s(index == null ? "big" : "f"))));
                page.items().forEach(i -> seen.add(i.get("sk").s()));
                start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            } while (start != null);
            assertEquals(25, seen.size());
        }
    }

    @Test
    void numbersKeepDynamoDbsPrecisionAndRange() {
        put(item("n", "1", "v", n("9.9999999999999999999999999999999999999E+125")));
        put(item("n", "2", "v", n("-1E-130")));
        put(item("n", "3", "v", n("12345678901234567890123456789012345678000")));
        assertValidation("Attempting to store more than 38 significant digits in a Number",
                () -> put(item("n", "4", "v", n("1.23456789012345678901234567890123456789"))));
        assertValidation("Number overflow. Attempting to store a number with magnitude larger than supported range",
                () -> put(item("n", "4", "v", n("1E+126"))));
        assertValidation("Number underflow. Attempting to store a number with magnitude smaller than supported range",
                () -> put(item("n", "4", "v", n("1E-131"))));
        assertValidation("Attempting to store more than 38 significant digits in a Number",
                () -> put(item("n", "4", "v", AttributeValue.fromM(Map.of("deep", AttributeValue.fromNs(List.of("1", "3.14159265358979323846264338327950288419")))))));
        assertValidation("Number overflow", () -> db.putItem(b -> b.tableName(TABLE).item(item("n", "4")).conditionExpression("v < :big")
                .expressionAttributeValues(Map.of(":big", n("1E+200")))));
    }

    @Test
    void betweenWithItsBoundsReversedIsRefused() {
        assertValidation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                        + "lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}",
                () -> db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                        .expressionAttributeValues(Map.of(":p", s("p"), ":lo", s("b"), ":hi", s("a")))));
        assertValidation("Invalid ConditionExpression: The BETWEEN operator requires upper bound",
                () -> db.putItem(b -> b.tableName(TABLE).item(item("p", "1")).conditionExpression("v BETWEEN :lo AND :hi")
                        .expressionAttributeValues(Map.of(":lo", n("10"), ":hi", n("9")))));
        assertEquals(0, db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                .expressionAttributeValues(Map.of(":p", s("p"), ":lo", s("a"), ":hi", s("a")))).count(), "equal bounds are allowed");
    }

    @Test
    void transactionsAreLimitedToOneHundredItemsAndFourMegabytes() {
        List<TransactWriteItem> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            Map<String, AttributeValue> each = item("t", "k" + i);
            many.add(TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(each)).build());
        }
        assertValidation("Member must have length between 1 and 100", () -> db.transactWriteItems(b -> b.transactItems(many)));
        db.transactWriteItems(b -> b.transactItems(many.subList(0, 100)));

        String blob = "b".repeat(390 * 1024);
        List<TransactWriteItem> heavy = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            Map<String, AttributeValue> each = item("heavy", "k" + i, "blob", blob);
            heavy.add(TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(each)).build());
        }
        assertValidation("Transaction request cannot be larger than 4 MB", () -> db.transactWriteItems(b -> b.transactItems(heavy)));
        assertNull(get("heavy", "k0"));
        db.transactWriteItems(b -> b.transactItems(heavy.subList(0, 10)));
    }

    @Test
    void queryOnIndexOrdersByRangeKeyBothWaysAndSupportsKeyConditions() {
        List<String> names = List.of("b", "a", "c", "aa", "ab", "B", "\u00e9", "z");
        for (int i = 0; i < names.size(); i++) put(item("f" + i, "v1", "folder", "alice", "label", names.get(i)));
        put(item("other", "v1", "folder", "bob", "label", "a"));
        put(item("sparse", "v1", "folder", "alice")); // no range key attribute: not in the index

        // UTF-8 byte order: uppercase before lowercase, e-acute (0xC3 0xA9) after 'z'
        List<String> ascending = List.of("B", "a", "aa", "ab", "b", "c", "z", "\u00e9");
        assertEquals(ascending, queryLabels("folder = :o", Map.of(":o", s("alice")), true));
        List<String> descending = new ArrayList<>(ascending);
        Collections.reverse(descending);
        assertEquals(descending, queryLabels("folder = :o", Map.of(":o", s("alice")), false));

        assertEquals(List.of("a", "aa", "ab"), queryLabels("folder = :o AND begins_with(label, :p)", Map.of(":o", s("alice"), ":p", s("a")), true));
        assertEquals(List.of("aa", "ab", "b"), queryLabels("folder = :o AND label BETWEEN :lo AND :hi", Map.of(":o", s("alice"), ":lo", s("aa"), ":hi", s("b")), true));
        assertEquals(List.of("B", "a"), queryLabels("folder = :o AND label < :v", Map.of(":o", s("alice"), ":v", s("aa")), true));
        assertEquals(List.of("z", "\u00e9"), queryLabels("folder = :o AND label >= :v", Map.of(":o", s("alice"), ":v", s("z")), true));

        DescribeTableResponse described = db.describeTable(b -> b.tableName(TABLE));
        assertEquals(TableStatus.ACTIVE, described.table().tableStatus());
        assertEquals(9L, described.table().globalSecondaryIndexes().get(0).itemCount(), "sparse item is not indexed");
        assertEquals(10L, described.table().itemCount());
    }

    @Test
    void limitAndLastEvaluatedKeyPageThroughEveryItemOnce() {
        Set<String> seenDirections = new HashSet<>();
        for (int i = 0; i < 23; i++) put(item("all", String.format("%03d", i), "folder", "o", "label", "n" + (i % 5)));
        for (String index : Arrays.asList(null, "byFolder", null, "byFolder")) {
            boolean forward = seenDirections.add(index);
            List<String> seen = new ArrayList<>();
            Map<String, AttributeValue> start = null;
            int pages = 0;
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = db.query(b -> b.tableName(TABLE).indexName(index).limit(5).exclusiveStartKey(from).scanIndexForward(forward)
                        .keyConditionExpression(index == null ? "pk = :v" : "#o = :v")
                        .expressionAttributeNames(index == null ? null : Map.of("#o", "folder"))
                        .expressionAttributeValues(Map.of(":v", s(index == null ? "all" : "o"))));
                page.items().forEach(i -> seen.add(i.get("sk").s()));
                start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
                if (start != null && index != null) assertEquals(Set.of("pk", "sk", "folder", "label"), start.keySet());
                pages++;
            } while (start != null);
            assertEquals(23, seen.size(), "index " + index);
            assertEquals(23, new HashSet<>(seen).size(), "no duplicates for index " + index);
            assertEquals(5, pages, "4 full pages of 5 and one of 3");
            if (index == null) {
                List<String> ordered = new ArrayList<>(new TreeSet<>(seen));
                if (!forward) Collections.reverse(ordered);
                assertEquals(ordered, seen, "table pages follow the range key order");
            }
        }

        QueryResponse filtered = db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :v").filterExpression("#n = :n")
                .expressionAttributeNames(Map.of("#n", "label")).expressionAttributeValues(Map.of(":v", s("all"), ":n", s("n0"))).limit(6));
        assertEquals(2, filtered.count(), "items 000 and 005 among the first 6 read");
        assertEquals(6, filtered.scannedCount());
        assertEquals("005", filtered.lastEvaluatedKey().get("sk").s());
    }

    @Test
    void conditionGrammarAndPrecedence() {
        put(item("c", "1", "a", n("5"), "b", "x", "list", AttributeValue.fromL(List.of(s("first"), AttributeValue.fromM(Map.of("k", n("7"))))),
                "set", AttributeValue.fromSs(List.of("red", "green")), "flag", AttributeValue.fromBool(true)));
        Map<String, AttributeValue> v = Map.of(":five", n("5.0"), ":six", n("6"), ":x", s("x"), ":y", s("y"),
                ":seven", n("7"), ":fi", s("fi"));
        assertTrue(matches("a = :five", v), "numbers compare by value");
        assertTrue(matches("b = :y OR b = :x AND a < :six", v));
        assertFalse(matches("(b = :y OR b = :x) AND a > :six", v));
        assertTrue(matches("NOT b = :y AND NOT attribute_exists(nope)", v));
        assertTrue(matches("a BETWEEN :five AND :six AND begins_with(#l[0], :fi)", v));
        assertTrue(matches("#l[1].k = :seven AND attribute_exists(#s)", v));
        assertTrue(matches("nope <> :x", v), "<> is true when the attribute is missing");
        assertFalse(matches("nope < :x OR b > :five", v), "comparisons with a missing attribute or another type are false");
    }

    private boolean matches(String filter, Map<String, AttributeValue> allValues) {
        Map<String, AttributeValue> used = new HashMap<>();
        allValues.forEach((k, val) -> { if (filter.matches(".*" + k + "\\b.*")) used.put(k, val); });
        Map<String, String> names = new HashMap<>();
        if (filter.contains("#s")) names.put("#s", "set");
        if (filter.contains("#l")) names.put("#l", "list");
        used.put(":pk", s("c"));
        return db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :pk").filterExpression(filter).expressionAttributeValues(used)
                .expressionAttributeNames(names.isEmpty() ? null : names)).count() == 1;
    }

    @Test
    void malformedOrIncompleteExpressionsAreValidationErrors() {
        List<Runnable> bad = List.of(
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("attribute_not_exists(pk")),
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("pk = :missing")),
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("#missing = :v").expressionAttributeValues(Map.of(":v", s("x")))),
                () -> db.putItem(b -> b.tableName(TABLE).item(item("a", "1")).conditionExpression("pk = :v").expressionAttributeValues(Map.of(":v", s("x"), ":unused", s("y")))),
                () -> db.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", s("a"), "sk", s("1"))).updateExpression("SET a = ")),
                () -> db.updateItem(b -> b.tableName(TABLE).key(Map.of("pk", s("a"), "sk", s("1"))).updateExpression("SET a = :v, a = :v").expressionAttributeValues(Map.of(":v", s("x")))),
                () -> db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :v OR sk = :v").expressionAttributeValues(Map.of(":v", s("x")))),
                () -> db.query(b -> b.tableName(TABLE).keyConditionExpression("sk = :v").expressionAttributeValues(Map.of(":v", s("x")))),
                () -> db.putItem(b -> b.tableName(TABLE).item(Map.of("pk", n("1"), "sk", s("1")))),
                () -> db.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("1")))),
                () -> db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("1")))));
        for (int i = 0; i < bad.size(); i++) {
            DynamoDbException e = assertThrows(DynamoDbException.class, bad.get(i)::run, "case " + i);
            assertEquals("ValidationException", e.awsErrorDetails().errorCode(), "case " + i + ": " + e.getMessage());
            assertEquals(400, e.statusCode());
        }
        ResourceNotFoundException missing = assertThrows(ResourceNotFoundException.class, () -> db.getItem(b -> b.tableName("nope").key(Map.of("pk", s("1")))));
        assertEquals("ResourceNotFoundException", missing.awsErrorDetails().errorCode());
        assertThrows(ResourceInUseException.class, () -> createFilesTable(db));
    }

    @Test
    void transactionIsAllOrNothingWithCancellationReasonsInOrder() {
        put(item("t", "existing", "v", "old"));
        TransactWriteItem putNew = TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("t", "new"))).build();
        TransactWriteItem failingCheck = TransactWriteItem.builder().put(c -> c.tableName(TABLE)
                .item(item("t", "existing", "v", "clobbered")).conditionExpression("attribute_not_exists(pk)")).build();
        TransactWriteItem updateExisting = TransactWriteItem.builder().update(u -> u.tableName(TABLE)
                .key(Map.of("pk", s("t"), "sk", s("existing"))).updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("new")))).build();
        TransactWriteItem deleteOther = TransactWriteItem.builder().delete(d -> d.tableName(TABLE).key(Map.of("pk", s("t"), "sk", s("gone")))).build();
        put(item("t", "gone"));

        TransactionCanceledException e = assertThrows(TransactionCanceledException.class,
                () -> db.transactWriteItems(b -> b.transactItems(putNew, failingCheck, deleteOther)));
        assertEquals(List.of("None", "ConditionalCheckFailed", "None"), e.cancellationReasons().stream().map(CancellationReason::code).toList());
        assertEquals("TransactionCanceledException", e.awsErrorDetails().errorCode());
        assertNull(get("t", "new"), "nothing of a cancelled transaction is applied");
        assertNotNull(get("t", "gone"));

        assertThrows(DynamoDbException.class, () -> db.transactWriteItems(b -> b.transactItems(failingCheck, updateExisting)),
                "two operations on one item are rejected");

        db.transactWriteItems(b -> b.transactItems(putNew, updateExisting, deleteOther));
        assertNotNull(get("t", "new"));
        assertEquals("new", get("t", "existing").get("v").s());
        assertNull(get("t", "gone"));
    }

    @Test
    void aTransactionHoldingAnItemMakesRacingWritesConflict() throws Exception {
        put(item("x", "1", "v", "old"));
        put(item("x", "2", "v", "old"));
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        db.whileTransactionHoldsItems(() -> {
            db.whileTransactionHoldsItems(() -> { });
            holding.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> first = pool.submit(() -> db.transactWriteItems(b -> b.transactItems(setV("1", "first"), setV("2", "first"))));
            assertTrue(holding.await(10, TimeUnit.SECONDS));

            TransactionCanceledException racing = assertThrows(TransactionCanceledException.class,
                    () -> db.transactWriteItems(b -> b.transactItems(setV("3", "second"), setV("2", "second"))));
            assertEquals(List.of("None", "TransactionConflict"), racing.cancellationReasons().stream().map(CancellationReason::code).toList());
            assertEquals("Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict]",
                    racing.awsErrorDetails().errorMessage());
            TransactionConflictException plain = assertThrows(TransactionConflictException.class,
                    () -> db.putItem(b -> b.tableName(TABLE).item(item("x", "1", "v", "plain"))));
            assertEquals("TransactionConflictException", plain.awsErrorDetails().errorCode());
            assertThrows(TransactionConflictException.class,
                    () -> db.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", s("x"), "sk", s("2")))));
            assertEquals("old", get("x", "1").get("v").s(), "reads see the committed state while a transaction is pending");
            assertNull(get("x", "3"), "the cancelled transaction wrote nothing");

            release.countDown();
            first.get(10, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
        assertEquals("first", get("x", "1").get("v").s());
        assertEquals("first", get("x", "2").get("v").s());
        db.transactWriteItems(b -> b.transactItems(setV("2", "after")));
        assertEquals("after", get("x", "2").get("v").s(), "a committed transaction lets go of its items");
    }

    private static TransactWriteItem setV(String sk, String value) {
        return TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(Map.of("pk", s("x"), "sk", s(sk)))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s(value)))).build();
    }

    @Test
    void eventuallyConsistentReadsLagUntilPropagatedWhileConsistentReadsNeverDo() {
        put(item("e", "1", "v", "before", "folder", "f", "label", "one"));
        db.lagEventuallyConsistentReads();
        put(item("e", "1", "v", "after", "folder", "f", "label", "one"));
        put(item("e", "2", "v", "new", "folder", "f", "label", "two"));
        GetItemRequest.Builder first = GetItemRequest.builder().tableName(TABLE).key(Map.of("pk", s("e"), "sk", s("1")));
        assertEquals("before", db.getItem(first.build()).item().get("v").s(), "a GetItem without ConsistentRead may be stale");
        assertEquals("after", db.getItem(first.consistentRead(true).build()).item().get("v").s());
        assertEquals(List.of("one"), queryLabels("folder = :f", Map.of(":f", s("f")), true), "an index is never consistent");
        assertEquals(1, db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s("e")))).count());
        assertEquals(2, db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p").consistentRead(true)
                .expressionAttributeValues(Map.of(":p", s("e")))).count());
        assertThrows(ConditionalCheckFailedException.class, () -> db.putItem(b -> b.tableName(TABLE).item(item("e", "2"))
                .conditionExpression("attribute_not_exists(pk)")), "conditions see the latest state");

        db.propagate();
        assertEquals("after", db.getItem(first.consistentRead(false).build()).item().get("v").s());
        assertEquals(List.of("one", "two"), queryLabels("folder = :f", Map.of(":f", s("f")), true));
    }

    @Test
    void capacityUnitsAreCountedAsDynamoDbCountsThem() {
        String fiveKb = "x".repeat(5 * 1024);
        InMemoryDynamoDb.Capacity start = db.consumedCapacity();
        put(item("c", "1", "blob", fiveKb));
        assertEquals(new InMemoryDynamoDb.Capacity(0, 6), db.consumedCapacity().minus(start), "6 KB: six write units, no index entry");
        start = db.consumedCapacity();
        db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("c"), "sk", s("1"))).consistentRead(true));
        db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("c"), "sk", s("1"))));
        db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("c"), "sk", s("none"))).consistentRead(true));
        assertEquals(new InMemoryDynamoDb.Capacity(2 + 1 + 1, 0), db.consumedCapacity().minus(start), "per 4 KB, half when eventual, one for a miss");

        start = db.consumedCapacity();
        Map<String, AttributeValue> small = item("c", "2", "folder", "f", "label", "l");
        db.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(small)).build()));
        assertEquals(new InMemoryDynamoDb.Capacity(0, 2 + 1), db.consumedCapacity().minus(start), "a transaction doubles; the index entry does not");
        start = db.consumedCapacity();
        db.query(b -> b.tableName(TABLE).keyConditionExpression("pk = :p").consistentRead(true).expressionAttributeValues(Map.of(":p", s("c"))));
        db.query(b -> b.tableName(TABLE).indexName("byFolder").keyConditionExpression("folder = :f").expressionAttributeValues(Map.of(":f", s("f"))));
        assertEquals(new InMemoryDynamoDb.Capacity(2 + 0.5, 0), db.consumedCapacity().minus(start), "a query pays for the total it read");
    }

    @Test
    void batchOperationsAndTtl() {
        db.batchWriteItem(b -> b.requestItems(Map.of(TABLE, List.of(
                WriteRequest.builder().putRequest(p -> p.item(item("b", "1", "exp", n("100")))).build(),
                WriteRequest.builder().putRequest(p -> p.item(item("b", "2", "exp", n(String.valueOf(Instant.now().getEpochSecond() + 3600))))).build()))));
        assertEquals(Map.of("sk", s("1")), db.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("b"), "sk", s("1"))).projectionExpression("sk")).item());

        db.updateTimeToLive(b -> b.tableName(TABLE).timeToLiveSpecification(t -> t.attributeName("exp").enabled(true)));
        assertEquals("exp", db.describeTimeToLive(b -> b.tableName(TABLE)).timeToLiveDescription().attributeName());
        assertNotNull(get("b", "1"), "expired items stay until purged, as DynamoDB deletes lazily");
        assertEquals(1, db.purgeExpired(Instant.ofEpochSecond(1000)));
        assertNull(get("b", "1"));
        assertNotNull(get("b", "2"));
    }

    @Test
    void dataSurvivesRestartWithPersistence(@TempDir Path dir) throws Exception {
        try (InMemoryDynamoDb first = new InMemoryDynamoDb(dir)) {
            createFilesTable(first);
            first.createTable(b -> b.tableName("counters").attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.N).build())
                    .keySchema(key("id", KeyType.HASH)));
            first.putItem(b -> b.tableName(TABLE).item(item("p", "1", "folder", "o", "label", "n", "bin", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromUtf8String("hi")),
                    "nested", AttributeValue.fromM(Map.of("l", AttributeValue.fromL(List.of(n("1"), AttributeValue.fromNul(true), AttributeValue.fromBool(false))))),
                    "ns", AttributeValue.fromNs(List.of("1", "2")))));
            first.putItem(b -> b.tableName(TABLE).item(item("p", "2")));
            first.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("2"))));
            first.updateItem(b -> b.tableName("counters").key(Map.of("id", n("1"))).updateExpression("SET c = :one").expressionAttributeValues(Map.of(":one", n("1"))));
            first.updateTimeToLive(b -> b.tableName(TABLE).timeToLiveSpecification(t -> t.attributeName("exp").enabled(true)));
            assertThrows(IllegalStateException.class, () -> new InMemoryDynamoDb(dir), "one instance per directory");
        }
        Map<String, AttributeValue> expected;
        try (InMemoryDynamoDb second = new InMemoryDynamoDb(dir)) {
            expected = second.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("1")))).item();
            assertEquals("hi", expected.get("bin").b().asUtf8String());
            assertEquals(List.of(n("1"), AttributeValue.fromNul(true), AttributeValue.fromBool(false)), expected.get("nested").m().get("l").l());
            assertFalse(second.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("2")))).hasItem());
            assertEquals("1", second.getItem(b -> b.tableName("counters").key(Map.of("id", n("1")))).item().get("c").n());
            assertEquals(1, second.query(b -> b.tableName(TABLE).indexName("byFolder").keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "folder")).expressionAttributeValues(Map.of(":o", s("o")))).count(), "index rebuilt");
            assertEquals(TimeToLiveStatus.ENABLED, second.describeTimeToLive(b -> b.tableName(TABLE)).timeToLiveDescription().timeToLiveStatus());
            assertEquals(List.of("counters", TABLE), second.listTables().tableNames());
            second.deleteTable(b -> b.tableName("counters"));
        }
        try (InMemoryDynamoDb third = new InMemoryDynamoDb(dir)) {
            assertEquals(List.of(TABLE), third.listTables().tableNames());
            assertEquals(expected, third.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("1")))).item());
        }
        // compacted on start: one table, one TTL setting, one item
        assertEquals(3, Files.readAllLines(dir.resolve("dynamodb-changes.jsonl")).size());
    }

    /** A crash mid-append leaves the last line torn, in ASCII or inside a multi-byte character: that line is lost. */
    @Test
    void aTornLastLineIsDroppedOnReplay(@TempDir Path dir) throws Exception {
        try (InMemoryDynamoDb first = new InMemoryDynamoDb(dir)) {
            createFilesTable(first);
            first.putItem(b -> b.tableName(TABLE).item(item("p", "kept", "name", "Prüfbericht – €.pdf")));
            first.putItem(b -> b.tableName(TABLE).item(item("p", "torn", "name", "Prüfbericht – €.pdf")));
        }
        Path log = dir.resolve("dynamodb-changes.jsonl");
        byte[] whole = Files.readAllBytes(log);
        int lastLine = lastIndexOf(whole, (byte) '\n', whole.length - 2) + 1;
        int euro = lastIndexOf(whole, (byte) 0xE2, whole.length - 1); // the first byte of "€" (E2 82 AC)
        assertTrue(euro > lastLine, "the last line carries a multi-byte character");
        for (int cut : new int[] {euro + 1, lastLine + 5}) { // inside "€", then inside ASCII
            Files.write(log, Arrays.copyOf(whole, cut));
            try (InMemoryDynamoDb restarted = new InMemoryDynamoDb(dir)) {
                assertEquals("Prüfbericht – €.pdf", restarted.getItem(b -> b.tableName(TABLE)
                        .key(Map.of("pk", s("p"), "sk", s("kept")))).item().get("name").s());
                assertFalse(restarted.getItem(b -> b.tableName(TABLE).key(Map.of("pk", s("p"), "sk", s("torn"))))
                        .hasItem(), "the torn request is lost whole");
            }
        }
    }

    private static int lastIndexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i >= 0; i--) {
            if (bytes[i] == b) return i;
        }
        return -1;
    }

    @Test
    void concurrentConditionalPutsHaveOneWinner() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            AtomicInteger winners = new AtomicInteger();
            AtomicInteger losers = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    try {
                        db.putItem(b -> b.tableName(TABLE).item(item("lock", "1", "holder", "t" + id)).conditionExpression("attribute_not_exists(pk)"));
                        winners.incrementAndGet();
                    } catch (ConditionalCheckFailedException e) {
                        losers.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) future.get(60, TimeUnit.SECONDS);
            assertEquals(1, winners.get());
            assertEquals(threads - 1, losers.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dynamoDbsSizeLimitsAreEnforced() {
        String bigHash = "h".repeat(2049);
        assertValidation("Size of hashkey", () -> db.getItem(g -> g.tableName(TABLE)
                .key(Map.of("pk", s(bigHash), "sk", s("x")))));
        assertValidation("Size of hashkey", () -> db.putItem(p -> p.tableName(TABLE).item(item(bigHash, "x"))));
        assertValidation("range keys", () -> db.putItem(p -> p.tableName(TABLE).item(item("p", "r".repeat(1025)))));
        assertValidation("Size of hashkey", () -> db.putItem(p -> p.tableName(TABLE)
                .item(item("p", "s", "folder", bigHash, "label", "n"))));
        assertValidation("Size of hashkey", () -> db.query(q -> q.tableName(TABLE).indexName("byFolder")
                .keyConditionExpression("#o = :o").expressionAttributeNames(Map.of("#o", "folder"))
                .expressionAttributeValues(Map.of(":o", s(bigHash)))));
        assertValidation("Item size", () -> db.putItem(p -> p.tableName(TABLE)
                .item(item("p", "s", "blob", "b".repeat(400 * 1024)))));
        db.putItem(p -> p.tableName(TABLE).item(item("h".repeat(2048), "r".repeat(1024), "blob", "b".repeat(300_000))));
    }

    private static void assertValidation(String message, org.junit.jupiter.api.function.Executable call) {
        DynamoDbException e = assertThrows(DynamoDbException.class, call);
        assertEquals("ValidationException", e.awsErrorDetails().errorCode());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
