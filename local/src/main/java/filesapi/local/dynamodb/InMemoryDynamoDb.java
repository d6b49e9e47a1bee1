package filesapi.local.dynamodb;

import static filesapi.local.dynamodb.Expressions.*;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import filesapi.local.dynamodb.Expressions.Condition;
import java.io.*;
import java.math.BigDecimal;
import java.nio.channels.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Duration;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * In-memory DynamoDB behind the SDK's own {@link DynamoDbClient} interface, there to hold our code to DynamoDB's rules
 * rather than to be a DynamoDB: it implements the operations and expression syntax our code issues (tables, TTL,
 * GetItem, PutItem, UpdateItem with SET/REMOVE, DeleteItem, Query, BatchWriteItem for seeding, TransactWriteItems of
 * Put/Update/Delete, and a bare Scan that tests and the lists backfill use) and throws
 * {@link UnsupportedOperationException} for the rest.
 *
 * <p>Where DynamoDB refuses, it refuses with DynamoDB's error: reserved words used as bare attribute names, a
 * consistent read on a global secondary index, BETWEEN with its bounds reversed, numbers beyond 38 significant digits
 * or DynamoDB's range, items over 400 KB, keys over their limits, transactions over 100 actions or 4 MB, unused or
 * undefined expression names and values. Query pages end at Limit or at 1 MB of items read, with LastEvaluatedKey.
 *
 * <p>Each request is atomic. A transaction checks and claims its items, then commits; while it holds them, another
 * transaction on any of them is cancelled with reason {@code TransactionConflict} and a single-item write on one fails
 * with {@code TransactionConflictException}, as on DynamoDB ({@link #whileTransactionHoldsItems} holds a transaction
 * open for tests). With {@link #InMemoryDynamoDb(Path)} each mutation is appended as one JSON line to a
 * change log, replayed and compacted on the next start.
 *
 * <p>Reads are instant by default. {@link #lagEventuallyConsistentReads()} makes every GetItem and Query without
 * ConsistentRead, and every index query, see the state as of the last {@link #propagate()}, as DynamoDB may.
 * {@link #consumedCapacity()} counts read and write units as ReturnConsumedCapacity defines them.
 *
 * <p>Not modelled: local secondary indexes, streams, capacity limits and throttling; index projections are honoured
 * (ALL / KEYS_ONLY / INCLUDE) but queries on an index never fetch non-projected attributes from the table.
 */
public final class InMemoryDynamoDb implements DynamoDbClient {
    private static final String LOG_FILE = "dynamodb-changes.jsonl";
    private static final String LOCK_FILE = "dynamodb.lock";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** Sorts after every real key value; compared by identity. A null key part sorts before every real value. */
    private static final AttributeValue MAX = AttributeValue.fromS("\uFFFF upper bound");
    private static final Comparator<EntryKey> ENTRY_ORDER = (x, y) -> {
        int c = compareBound(x.hash(), y.hash());
        if (c == 0) c = compareBound(x.range(), y.range());
        if (c == 0) c = compareBound(x.tableHash(), y.tableHash());
        if (c == 0) c = compareBound(x.tableRange(), y.tableRange());
        return c;
    };

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Table> tables = new HashMap<>();
    private Path logPath;
    private Writer logWriter;
    private FileChannel lockChannel;
    private FileLock dirLock;
    private boolean closed;
    private final Predicate<Map<String, AttributeValue>> memoryOnly;
    /** Runs on a transaction's thread while it holds its items, between its checks and its commit. */
    private volatile Runnable whileTransactionHoldsItems = () -> { };
    private final java.util.concurrent.atomic.AtomicLong conflicts = new java.util.concurrent.atomic.AtomicLong();
    private boolean lagging;
    private final java.util.concurrent.atomic.DoubleAdder readUnits = new java.util.concurrent.atomic.DoubleAdder();
    private final java.util.concurrent.atomic.DoubleAdder writeUnits = new java.util.concurrent.atomic.DoubleAdder();

    /** Memory only: everything is lost on close. */
    public InMemoryDynamoDb() {
        memoryOnly = key -> false;
    }

    /** Keeps data in {@code dataDir} across restarts; only one instance at a time may use a directory. */
    public InMemoryDynamoDb(Path dataDir) {
        this(dataDir, key -> false);
    }

    /**
     * Keeps data in {@code dataDir} across restarts, except items whose key {@code memoryOnly} accepts: those are
     * never written, and dropped when an older log holds them.
     */
    public InMemoryDynamoDb(Path dataDir, Predicate<Map<String, AttributeValue>> memoryOnly) {
        this.memoryOnly = memoryOnly;
        try {
            Files.createDirectories(dataDir);
            lockChannel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            dirLock = lockChannel.tryLock();
            if (dirLock == null) throw new IllegalStateException("Another process is using " + dataDir);
            logPath = dataDir.resolve(LOG_FILE);
            if (Files.exists(logPath)) replay(logPath);
            compactLog();
            logWriter = Files.newBufferedWriter(logPath, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            releaseFiles();
            if (e instanceof OverlappingFileLockException) throw new IllegalStateException("Another instance is using " + dataDir, e);
            if (e instanceof IOException io) throw new UncheckedIOException("Cannot open DynamoDB data in " + dataDir, io);
            throw (RuntimeException) e;
        }
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            releaseFiles();
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- tables

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        TableDef def = tableDefOf(request);
        return write(() -> {
            if (tables.containsKey(def.name())) {
                throw error(ResourceInUseException.builder(), "ResourceInUseException", "Table already exists: " + def.name());
            }
            appendToLog(List.of(createTableEvent(def)));
            Table table = new Table(def, lagging);
            tables.put(def.name(), table);
            return CreateTableResponse.builder().tableDescription(describe(table, TableStatus.ACTIVE)).build();
        });
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return read(() -> DescribeTableResponse.builder()
                .table(describe(table(request.tableName()), TableStatus.ACTIVE)).build());
    }

    @Override
    public DeleteTableResponse deleteTable(DeleteTableRequest request) {
        return write(() -> {
            Table table = table(request.tableName());
            appendToLog(List.of(event("deleteTable", table.def.name())));
            tables.remove(table.def.name());
            return DeleteTableResponse.builder().tableDescription(describe(table, TableStatus.DELETING)).build();
        });
    }

    @Override
    public ListTablesResponse listTables(ListTablesRequest request) {
        int limit = request.limit() == null ? 100 : request.limit();
        return read(() -> {
            NavigableSet<String> names = new TreeSet<>(tables.keySet());
            if (request.exclusiveStartTableName() != null) names = names.tailSet(request.exclusiveStartTableName(), false);
            List<String> page = names.stream().limit(limit).toList();
            ListTablesResponse.Builder response = ListTablesResponse.builder().tableNames(page);
            if (names.size() > limit) response.lastEvaluatedTableName(page.get(page.size() - 1));
            return response.build();
        });
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest request) {
        TimeToLiveSpecification spec = request.timeToLiveSpecification();
        if (spec == null || spec.enabled() == null || spec.attributeName() == null) {
            throw validation("TimeToLiveSpecification needs AttributeName and Enabled");
        }
        return write(() -> {
            Table table = table(request.tableName());
            if (spec.enabled() == (table.ttlAttribute != null)) {
                throw validation("TimeToLive is already " + (spec.enabled() ? "enabled" : "disabled"));
            }
            String attribute = spec.enabled() ? spec.attributeName() : null;
            appendToLog(List.of(ttlEvent(table.def.name(), attribute)));
            table.ttlAttribute = attribute;
            return UpdateTimeToLiveResponse.builder().timeToLiveSpecification(spec).build();
        });
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest request) {
        return read(() -> {
            Table table = table(request.tableName());
            TimeToLiveDescription.Builder description = TimeToLiveDescription.builder()
                    .timeToLiveStatus(table.ttlAttribute == null ? TimeToLiveStatus.DISABLED : TimeToLiveStatus.ENABLED);
            if (table.ttlAttribute != null) description.attributeName(table.ttlAttribute);
            return DescribeTimeToLiveResponse.builder().timeToLiveDescription(description.build()).build();
        });
    }

    /**
     * Deletes items whose TTL attribute (a number of epoch seconds) lies before {@code now}, as DynamoDB's background
     * sweeper does; like DynamoDB it leaves alone values more than five years in the past. Returns how many went.
     */
    public int purgeExpired(Instant now) {
        long nowSeconds = now.getEpochSecond();
        long oldestSeconds = now.minus(Duration.ofDays(5 * 365)).getEpochSecond();
        return write(() -> {
            List<Mutation> expired = new ArrayList<>();
            for (Table table : tables.values()) {
                if (table.ttlAttribute == null) continue;
                table.items.forEach((key, item) -> {
                    AttributeValue ttl = item.get(table.ttlAttribute);
                    if (ttl == null || ttl.type() != AttributeValue.Type.N) return;
                    BigDecimal expiry = number(ttl);
                    if (expiry.compareTo(BigDecimal.valueOf(nowSeconds)) < 0 && expiry.compareTo(BigDecimal.valueOf(oldestSeconds)) >= 0) {
                        expired.add(new Mutation(table, key, null));
                    }
                });
            }
            commit(expired, 0);
            return expired.size();
        });
    }

    // ---------------------------------------------------------------- single items

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        Expressions expressions = new Expressions(request.expressionAttributeNames(), Map.of());
        List<DocPath> projection = expressions.projection(request.projectionExpression());
        expressions.checkAllUsed();
        return read(() -> {
            Table table = table(request.tableName());
            boolean consistent = Boolean.TRUE.equals(request.consistentRead());
            Map<String, AttributeValue> item = table.view(null, consistent).get(table.keyOf(request.key(), false));
            meterRead(item == null ? 0 : itemSize(item), consistent);
            GetItemResponse.Builder response = GetItemResponse.builder();
            if (item != null) response.item(project(item, projection));
            return response.build();
        });
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        Expressions expressions = new Expressions(request.expressionAttributeNames(), request.expressionAttributeValues());
        Condition condition = expressions.condition(request.conditionExpression(), "ConditionExpression");
        expressions.checkAllUsed();
        String returnValues = returnValues(request.returnValuesAsString(), "NONE", "ALL_OLD");
        return write(() -> {
            Table table = table(request.tableName());
            Map<String, AttributeValue> item = table.validItem(request.item());
            EntryKey key = table.keyOf(item, true);
            checkNotHeld(table, key);
            Map<String, AttributeValue> old = table.items.get(key);
            checkCondition(condition, old, request.returnValuesOnConditionCheckFailureAsString());
            commit(List.of(new Mutation(table, key, item)));
            PutItemResponse.Builder response = PutItemResponse.builder();
            if (returnValues.equals("ALL_OLD") && old != null) response.attributes(old);
            return response.build();
        });
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        Expressions expressions = new Expressions(request.expressionAttributeNames(), request.expressionAttributeValues());
        List<UpdateAction> actions = expressions.update(request.updateExpression());
        Condition condition = expressions.condition(request.conditionExpression(), "ConditionExpression");
        expressions.checkAllUsed();
        String returnValues = returnValues(request.returnValuesAsString(), "NONE", "ALL_OLD", "ALL_NEW", "UPDATED_OLD", "UPDATED_NEW");
        return write(() -> {
            Table table = table(request.tableName());
            EntryKey key = table.keyOf(request.key(), false);
            checkNotHeld(table, key);
            Map<String, AttributeValue> old = table.items.get(key);
            checkCondition(condition, old, request.returnValuesOnConditionCheckFailureAsString());
            Map<String, AttributeValue> updated = table.applyUpdate(old == null ? request.key() : old, actions);
            commit(List.of(new Mutation(table, key, updated)));
            List<DocPath> touched = actions.stream().map(UpdateAction::path).toList();
            Map<String, AttributeValue> attributes = switch (returnValues) {
                case "ALL_OLD" -> old;
                case "ALL_NEW" -> updated;
                case "UPDATED_OLD" -> old == null ? null : project(old, touched);
                case "UPDATED_NEW" -> project(updated, touched);
                default -> null;
            };
            UpdateItemResponse.Builder response = UpdateItemResponse.builder();
            if (attributes != null && !attributes.isEmpty()) response.attributes(attributes);
            return response.build();
        });
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        Expressions expressions = new Expressions(request.expressionAttributeNames(), request.expressionAttributeValues());
        Condition condition = expressions.condition(request.conditionExpression(), "ConditionExpression");
        expressions.checkAllUsed();
        String returnValues = returnValues(request.returnValuesAsString(), "NONE", "ALL_OLD");
        return write(() -> {
            Table table = table(request.tableName());
            EntryKey key = table.keyOf(request.key(), false);
            checkNotHeld(table, key);
            Map<String, AttributeValue> old = table.items.get(key);
            checkCondition(condition, old, request.returnValuesOnConditionCheckFailureAsString());
            if (old != null) commit(List.of(new Mutation(table, key, null)));
            DeleteItemResponse.Builder response = DeleteItemResponse.builder();
            if (returnValues.equals("ALL_OLD") && old != null) response.attributes(old);
            return response.build();
        });
    }

    // ---------------------------------------------------------------- query and scan

    @Override
    public QueryResponse query(QueryRequest request) {
        Expressions expressions = new Expressions(request.expressionAttributeNames(), request.expressionAttributeValues());
        if (request.keyConditionExpression() == null) throw validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
        Condition keyCondition = expressions.condition(request.keyConditionExpression(), "KeyConditionExpression");
        Condition filter = expressions.condition(request.filterExpression(), "FilterExpression");
        List<DocPath> projection = expressions.projection(request.projectionExpression());
        expressions.checkAllUsed();
        int limit = limit(request.limit());
        boolean forward = !Boolean.FALSE.equals(request.scanIndexForward());
        if (request.indexName() != null && Boolean.TRUE.equals(request.consistentRead())) {
            throw validation("Consistent reads are not supported on global secondary indexes");
        }
        return read(() -> {
            KeySpace space = table(request.tableName()).space(request.indexName(), Boolean.TRUE.equals(request.consistentRead()));
            KeyQuery keyQuery = space.keyQuery(keyCondition);
            checkKeySize(keyQuery.hash(), false);
            NavigableMap<EntryKey, Map<String, AttributeValue>> entries = space.entries().subMap(
                    new EntryKey(keyQuery.hash(), null, null, null), true, new EntryKey(keyQuery.hash(), MAX, MAX, MAX), true);
            if (!forward) entries = entries.descendingMap();
            if (request.hasExclusiveStartKey() && !request.exclusiveStartKey().isEmpty()) {
                EntryKey start = space.startKey(request.exclusiveStartKey());
                if (compareBound(start.hash(), keyQuery.hash()) != 0) {
                    throw validation("The provided starting key is outside query boundaries based on provided conditions");
                }
                entries = entries.tailMap(start, false);
            }
            Page page = readPage(entries, keyQuery.rangeMatch(), filter, limit, space);
            meterRead(page.bytesRead(), request.indexName() == null && Boolean.TRUE.equals(request.consistentRead()));
            QueryResponse.Builder response = QueryResponse.builder().count(page.items().size()).scannedCount(page.scanned());
            if (request.select() != Select.COUNT) response.items(page.items().stream().map(item -> project(item, projection)).toList());
            if (page.lastKey() != null) response.lastEvaluatedKey(page.lastKey());
            return response.build();
        });
    }

    /** Only a whole-table read, in 1 MB pages: tests and the one-off lists backfill use it; no request scans. */
    @Override
    public ScanResponse scan(ScanRequest request) {
        if (request.filterExpression() != null || request.projectionExpression() != null || request.indexName() != null
                || request.segment() != null) {
            throw new UnsupportedOperationException("Scan with a filter, projection, index or segment is not implemented by this emulator");
        }
        int limit = limit(request.limit());
        return read(() -> {
            KeySpace space = table(request.tableName()).space(null, Boolean.TRUE.equals(request.consistentRead()));
            NavigableMap<EntryKey, Map<String, AttributeValue>> entries = space.entries();
            if (request.hasExclusiveStartKey() && !request.exclusiveStartKey().isEmpty()) {
                entries = entries.tailMap(space.startKey(request.exclusiveStartKey()), false);
            }
            Page page = readPage(entries, key -> true, null, limit, space);
            ScanResponse.Builder response = ScanResponse.builder().items(page.items()).count(page.items().size()).scannedCount(page.scanned());
            if (page.lastKey() != null) response.lastEvaluatedKey(page.lastKey());
            return response.build();
        });
    }

    /**
     * Limit counts items read (matching the key condition), not items kept by the filter, and a page ends once it has
     * read 1 MB of items - as in DynamoDB, so a caller that does not follow LastEvaluatedKey misses the rest.
     */
    private static Page readPage(NavigableMap<EntryKey, Map<String, AttributeValue>> entries, Predicate<EntryKey> keyMatch,
                                 Condition filter, int limit, KeySpace space) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int scanned = 0;
        long bytesRead = 0;
        for (Map.Entry<EntryKey, Map<String, AttributeValue>> entry : entries.entrySet()) {
            if (!keyMatch.test(entry.getKey())) continue;
            scanned++;
            bytesRead += itemSize(entry.getValue());
            if (filter == null || filter.test(entry.getValue())) items.add(entry.getValue());
            // DynamoDB stops at Limit without looking further, so the last page may come back empty
            if (scanned == limit || bytesRead >= MAX_PAGE_BYTES) return new Page(items, scanned, bytesRead, space.lastKey(entry.getKey()));
        }
        return new Page(items, scanned, bytesRead, null);
    }

    // ---------------------------------------------------------------- batches and transactions

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return write(() -> {
            List<Mutation> mutations = new ArrayList<>();
            request.requestItems().forEach((tableName, writes) -> {
                Table table = table(tableName);
                Set<EntryKey> seen = new TreeSet<>(ENTRY_ORDER);
                for (WriteRequest writeRequest : writes) {
                    Map<String, AttributeValue> item = writeRequest.putRequest() == null ? null : table.validItem(writeRequest.putRequest().item());
                    if (item == null && writeRequest.deleteRequest() == null) throw validation("A WriteRequest needs a PutRequest or a DeleteRequest");
                    EntryKey key = item != null ? table.keyOf(item, true) : table.keyOf(writeRequest.deleteRequest().key(), false);
                    checkNotHeld(table, key);
                    if (!seen.add(key)) throw validation("Provided list of item keys contains duplicates");
                    if (item != null || table.items.containsKey(key)) mutations.add(new Mutation(table, key, item));
                }
            });
            commit(mutations);
            return BatchWriteItemResponse.builder().unprocessedItems(Map.of()).build();
        });
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
        if (request.transactItems().isEmpty() || request.transactItems().size() > MAX_TRANSACTION_ITEMS) {
            throw validation("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length between 1 and 100");
        }
        long size = request.transactItems().stream().mapToLong(InMemoryDynamoDb::requestSize).sum();
        if (size > MAX_TRANSACTION_BYTES) throw validation("Transaction request cannot be larger than 4 MB");
        // expressions are parsed up front: a malformed one fails the whole request, it does not cancel the transaction
        List<PreparedWrite> writes = request.transactItems().stream().map(InMemoryDynamoDb::prepare).toList();
        List<Held> held = new ArrayList<>();
        List<Mutation> mutations = write(() -> claim(writes, held));
        try {
            whileTransactionHoldsItems.run();
            write(() -> {
                commit(mutations, 2);
                return null;
            });
        } finally {
            write(() -> {
                held.forEach(h -> h.table().held.remove(h.key()));
                return null;
            });
        }
        return TransactWriteItemsResponse.builder().build();
    }

    /**
     * Checks a transaction and claims its items, or cancels it: an item another transaction holds is a
     * TransactionConflict, a failed condition a ConditionalCheckFailed. Returns what committing will write.
     */
    private List<Mutation> claim(List<PreparedWrite> writes, List<Held> held) {
        List<Mutation> mutations = new ArrayList<>();
        List<CancellationReason> reasons = new ArrayList<>();
        Map<String, Set<EntryKey>> seen = new HashMap<>();
        boolean cancelled = false;
        for (PreparedWrite w : writes) {
            Table table = table(w.tableName());
            Map<String, AttributeValue> item = w.item() == null ? null : table.validItem(w.item());
            EntryKey key = item != null ? table.keyOf(item, true) : table.keyOf(w.key(), false);
            if (!seen.computeIfAbsent(table.def.name(), name -> new TreeSet<>(ENTRY_ORDER)).add(key)) {
                throw validation("Transaction request cannot include multiple operations on one item");
            }
            if (table.held.contains(key)) {
                conflicts.incrementAndGet();
                reasons.add(CancellationReason.builder().code("TransactionConflict")
                        .message("Transaction is ongoing for the item").build());
                cancelled = true;
                continue;
            }
            Map<String, AttributeValue> old = table.items.get(key);
            if (w.condition() != null && !w.condition().test(old == null ? Map.of() : old)) {
                CancellationReason.Builder reason = CancellationReason.builder().code("ConditionalCheckFailed").message("The conditional request failed");
                if ("ALL_OLD".equals(w.returnOnFailure()) && old != null) reason.item(old);
                reasons.add(reason.build());
                cancelled = true;
                continue;
            }
            try {
                switch (w.kind()) {
                    case "Put" -> mutations.add(new Mutation(table, key, item));
                    case "Update" -> mutations.add(new Mutation(table, key, table.applyUpdate(old == null ? w.key() : old, w.actions())));
                    default -> { if (old != null) mutations.add(new Mutation(table, key, null)); }
                }
                reasons.add(CancellationReason.builder().code("None").build());
            } catch (DynamoDbException e) {
                reasons.add(CancellationReason.builder().code("ValidationError").message(e.awsErrorDetails().errorMessage()).build());
                cancelled = true;
            }
            held.add(new Held(table, key));
        }
        if (cancelled) {
            held.clear();
            String codes = String.join(", ", reasons.stream().map(CancellationReason::code).toList());
            throw error(TransactionCanceledException.builder().cancellationReasons(reasons), "TransactionCanceledException",
                    "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]");
        }
        held.forEach(h -> h.table().held.add(h.key()));
        return mutations;
    }

    /**
     * Test hook: {@code action} runs on every transaction's thread while it holds its items, after its checks and
     * before its commit; a transaction or single-item write that touches those items meanwhile conflicts, as on
     * DynamoDB. A latch in {@code action} holds a transaction open for as long as a test needs.
     */
    public void whileTransactionHoldsItems(Runnable action) {
        whileTransactionHoldsItems = action;
    }

    /**
     * From now on eventually consistent reads (GetItem and Query without ConsistentRead, and every index query) see
     * the state as of this call, or of the last {@link #propagate()}, never anything written since: the most
     * adversarial lag DynamoDB is allowed, deterministically. Consistent reads and conditions always see the latest.
     */
    public void lagEventuallyConsistentReads() {
        write(() -> {
            lagging = true;
            tables.values().forEach(Table::lag);
            return null;
        });
    }

    /** Lets eventually consistent reads and index queries catch up with every write so far. */
    public void propagate() {
        write(() -> {
            tables.values().forEach(Table::propagate);
            return null;
        });
    }

    /** Capacity units consumed so far, as DynamoDB's ReturnConsumedCapacity counts them. */
    public record Capacity(double readUnits, double writeUnits) {
        public Capacity minus(Capacity earlier) {
            return new Capacity(readUnits - earlier.readUnits, writeUnits - earlier.writeUnits);
        }
    }

    public Capacity consumedCapacity() {
        return new Capacity(readUnits.sum(), writeUnits.sum());
    }

    /** A read costs one unit per 4 KB (rounded up, at least one), half that when eventually consistent. */
    private void meterRead(long bytes, boolean consistent) {
        readUnits.add(Math.max(1, (bytes + 4095) / 4096) * (consistent ? 1.0 : 0.5));
    }

    /**
     * A write costs one unit per KB of the larger of the old and new item (at least one), twice that in a
     * transaction, plus a write to each index whose entry it adds, changes or removes (two when it moves).
     */
    private void meterWrite(Table table, EntryKey key, Map<String, AttributeValue> newItem, int factor) {
        Map<String, AttributeValue> old = table.items.get(key);
        long bytes = Math.max(old == null ? 0 : itemSize(old), newItem == null ? 0 : itemSize(newItem));
        writeUnits.add(factor * Math.max(1, (bytes + 1023) / 1024));
        for (IndexDef index : table.def.indexes()) {
            EntryKey before = old == null ? null : Table.indexKey(index, old, key);
            EntryKey after = newItem == null ? null : Table.indexKey(index, newItem, key);
            if (before != null) writeUnits.add(Math.max(1, (itemSize(table.projectForIndex(index, old)) + 1023) / 1024));
            if (after != null && (before == null || ENTRY_ORDER.compare(before, after) != 0)) {
                writeUnits.add(Math.max(1, (itemSize(table.projectForIndex(index, newItem)) + 1023) / 1024));
            }
        }
    }

    /** How many writes have conflicted with a transaction holding their item, so a test can tell races happened. */
    public long conflicts() {
        return conflicts.get();
    }

    /** A single-item write on an item a transaction holds fails, as DynamoDB fails it. */
    private void checkNotHeld(Table table, EntryKey key) {
        if (table.held.contains(key)) {
            conflicts.incrementAndGet();
            throw error(TransactionConflictException.builder(), "TransactionConflictException",
                    "Transaction is ongoing for the item");
        }
    }

    /** What a transaction action weighs against the 4 MB limit: its item, or its key and values. */
    private static long requestSize(TransactWriteItem item) {
        if (item.put() != null) return itemSize(item.put().item());
        Map<String, AttributeValue> key = item.update() != null ? item.update().key() : item.delete() != null ? item.delete().key() : Map.of();
        Map<String, AttributeValue> values = item.update() != null ? item.update().expressionAttributeValues() : Map.of();
        return itemSize(key) + itemSize(values);
    }

    private static PreparedWrite prepare(TransactWriteItem item) {
        if (item.conditionCheck() != null) {
            throw new UnsupportedOperationException("ConditionCheck is not implemented by this emulator: our code never issues it");
        }
        int parts = (item.put() == null ? 0 : 1) + (item.update() == null ? 0 : 1) + (item.delete() == null ? 0 : 1);
        if (parts != 1) throw validation("TransactItems can only contain one of Check, Put, Update or Delete");
        Put put = item.put();
        Update update = item.update();
        Delete delete = item.delete();
        Expressions e = put != null ? new Expressions(put.expressionAttributeNames(), put.expressionAttributeValues())
                : update != null ? new Expressions(update.expressionAttributeNames(), update.expressionAttributeValues())
                : new Expressions(delete.expressionAttributeNames(), delete.expressionAttributeValues());
        List<UpdateAction> actions = update == null ? null : e.update(update.updateExpression());
        Condition condition = e.condition(put != null ? put.conditionExpression() : update != null ? update.conditionExpression()
                : delete.conditionExpression(), "ConditionExpression");
        e.checkAllUsed();
        if (put != null) return new PreparedWrite("Put", put.tableName(), put.item(), null, condition, null, put.returnValuesOnConditionCheckFailureAsString());
        if (update != null) return new PreparedWrite("Update", update.tableName(), null, update.key(), condition, actions, update.returnValuesOnConditionCheckFailureAsString());
        return new PreparedWrite("Delete", delete.tableName(), null, delete.key(), condition, null, delete.returnValuesOnConditionCheckFailureAsString());
    }

    // ---------------------------------------------------------------- shared request plumbing

    private <T> T read(Supplier<T> action) {
        return locked(lock.readLock(), action);
    }

    private <T> T write(Supplier<T> action) {
        return locked(lock.writeLock(), action);
    }

    private <T> T locked(Lock held, Supplier<T> action) {
        held.lock();
        try {
            if (closed) throw new IllegalStateException("InMemoryDynamoDb is closed");
            return action.get();
        } finally {
            held.unlock();
        }
    }

    private Table table(String name) {
        Table table = name == null ? null : tables.get(name);
        if (table == null) {
            throw error(ResourceNotFoundException.builder(), "ResourceNotFoundException", "Requested resource not found: Table: " + name + " not found");
        }
        return table;
    }

    private void commit(List<Mutation> mutations) {
        commit(mutations, 1);
    }

    /**
     * Writes the change to the log before touching memory, so a failed write leaves both unchanged; {@code factor}
     * is what each item write costs per KB (2 in a transaction, 0 for TTL deletes, which are free).
     */
    private void commit(List<Mutation> mutations, int factor) {
        if (mutations.isEmpty()) return;
        if (factor > 0) mutations.forEach(m -> meterWrite(m.table(), m.key(), m.newItem(), factor));
        List<ObjectNode> events = new ArrayList<>();
        for (Mutation m : mutations) {
            Map<String, AttributeValue> key = m.table().keyMap(m.key());
            if (memoryOnly.test(key)) continue;
            ObjectNode event = event(m.newItem() == null ? "delete" : "put", m.table().def.name());
            event.set(m.newItem() == null ? "key" : "item", itemToJson(m.newItem() == null ? key : m.newItem()));
            events.add(event);
        }
        appendToLog(events);
        mutations.forEach(m -> m.table().store(m.key(), m.newItem()));
    }

    private static void checkCondition(Condition condition, Map<String, AttributeValue> old, String returnOnFailure) {
        if (condition == null || condition.test(old == null ? Map.of() : old)) return;
        ConditionalCheckFailedException.Builder builder = ConditionalCheckFailedException.builder();
        if ("ALL_OLD".equals(returnOnFailure) && old != null) builder.item(old);
        throw error(builder, "ConditionalCheckFailedException", "The conditional request failed");
    }

    private static String returnValues(String requested, String... allowed) {
        String value = requested == null ? "NONE" : requested;
        if (!List.of(allowed).contains(value)) throw validation("ReturnValues can only be " + String.join(", ", allowed) + " for this operation; got " + value);
        return value;
    }

    private static int limit(Integer limit) {
        if (limit != null && limit < 1) {
            throw validation("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        return limit == null ? Integer.MAX_VALUE : limit;
    }

    static DynamoDbException validation(String message) {
        return error(DynamoDbException.builder(), "ValidationException", message);
    }

    private static DynamoDbException error(DynamoDbException.Builder builder, String code, String message) {
        return (DynamoDbException) builder.message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDB").build())
                .statusCode(400).build();
    }

    private static TableDescription describe(Table table, TableStatus status) {
        TableDef def = table.def;
        String arn = "arn:aws:dynamodb:local:000000000000:table/" + def.name();
        Map<String, String> attributeTypes = new LinkedHashMap<>();
        List<KeyAttr> keys = new ArrayList<>(Arrays.asList(def.hash(), def.range()));
        def.indexes().forEach(index -> keys.addAll(Arrays.asList(index.hash(), index.range())));
        keys.stream().filter(Objects::nonNull).forEach(key -> attributeTypes.put(key.name(), key.type()));
        TableDescription.Builder description = TableDescription.builder()
                .tableName(def.name()).tableStatus(status).tableArn(arn)
                .creationDateTime(Instant.ofEpochMilli(def.createdMillis()))
                .keySchema(keySchema(def.hash(), def.range()))
                .attributeDefinitions(attributeTypes.entrySet().stream()
                        .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build()).toList())
                .itemCount((long) table.items.size()).tableSizeBytes(0L)
                .billingModeSummary(BillingModeSummary.builder().billingMode(BillingMode.PAY_PER_REQUEST).build());
        if (!def.indexes().isEmpty()) {
            description.globalSecondaryIndexes(def.indexes().stream().map(index -> {
                Projection.Builder projection = Projection.builder().projectionType(index.projectionType());
                if (!index.nonKeyAttributes().isEmpty()) projection.nonKeyAttributes(index.nonKeyAttributes());
                return GlobalSecondaryIndexDescription.builder().indexName(index.name()).indexArn(arn + "/index/" + index.name())
                        .keySchema(keySchema(index.hash(), index.range())).projection(projection.build())
                        .indexStatus(IndexStatus.ACTIVE).itemCount((long) table.indexes.get(index.name()).size()).build();
            }).toList());
        }
        return description.build();
    }

    private static List<KeySchemaElement> keySchema(KeyAttr hash, KeyAttr range) {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(hash.name()).keyType(KeyType.HASH).build());
        if (range != null) schema.add(KeySchemaElement.builder().attributeName(range.name()).keyType(KeyType.RANGE).build());
        return schema;
    }

    private static TableDef tableDefOf(CreateTableRequest request) {
        if (request.tableName() == null || !request.tableName().matches("[a-zA-Z0-9_.-]{3,255}")) {
            throw validation("TableName must be 3 to 255 characters from [a-zA-Z0-9_.-]; got " + request.tableName());
        }
        if (!request.localSecondaryIndexes().isEmpty()) throw validation("LocalSecondaryIndexes are not supported by this emulator");
        Map<String, String> types = new HashMap<>();
        request.attributeDefinitions().forEach(d -> types.put(d.attributeName(), d.attributeTypeAsString()));
        KeyAttr[] tableKey = keyAttrs(request.keySchema(), types);
        List<IndexDef> indexes = new ArrayList<>();
        for (GlobalSecondaryIndex gsi : request.globalSecondaryIndexes()) {
            KeyAttr[] indexKey = keyAttrs(gsi.keySchema(), types);
            Projection projection = gsi.projection();
            String projectionType = projection == null || projection.projectionType() == null ? "ALL" : projection.projectionTypeAsString();
            List<String> nonKey = projection == null ? List.of() : List.copyOf(projection.nonKeyAttributes());
            if (indexes.stream().anyMatch(i -> i.name().equals(gsi.indexName()))) throw validation("Duplicate index name: " + gsi.indexName());
            indexes.add(new IndexDef(gsi.indexName(), indexKey[0], indexKey[1], projectionType, nonKey));
        }
        return new TableDef(request.tableName(), tableKey[0], tableKey[1], List.copyOf(indexes), System.currentTimeMillis());
    }

    private static KeyAttr[] keyAttrs(List<KeySchemaElement> schema, Map<String, String> types) {
        KeyAttr hash = null;
        KeyAttr range = null;
        for (KeySchemaElement element : schema) {
            String type = types.get(element.attributeName());
            if (type == null) {
                throw validation("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [" + element.attributeName() + "]");
            }
            if (!Set.of("S", "N", "B").contains(type)) throw validation("Key attribute " + element.attributeName() + " must be of type S, N or B");
            if (element.keyType() == KeyType.HASH && hash == null) hash = new KeyAttr(element.attributeName(), type);
            else if (element.keyType() == KeyType.RANGE && range == null) range = new KeyAttr(element.attributeName(), type);
            else throw validation("Invalid KeySchema: expected one HASH key and at most one RANGE key");
        }
        if (hash == null) throw validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        return new KeyAttr[] {hash, range};
    }

    // ---------------------------------------------------------------- storage model

    record KeyAttr(String name, String type) { }

    record IndexDef(String name, KeyAttr hash, KeyAttr range, String projectionType, List<String> nonKeyAttributes) { }

    record TableDef(String name, KeyAttr hash, KeyAttr range, List<IndexDef> indexes, long createdMillis) { }

    /** Position of an entry: table entries use only hash and range; index entries add the table key as tie-breaker. */
    private record EntryKey(AttributeValue hash, AttributeValue range, AttributeValue tableHash, AttributeValue tableRange) { }

    private record Mutation(Table table, EntryKey key, Map<String, AttributeValue> newItem) { }

    private record Held(Table table, EntryKey key) { }

    private record Page(List<Map<String, AttributeValue>> items, int scanned, long bytesRead, Map<String, AttributeValue> lastKey) { }

    private record KeyQuery(AttributeValue hash, Predicate<EntryKey> rangeMatch) { }

    private record PreparedWrite(String kind, String tableName, Map<String, AttributeValue> item, Map<String, AttributeValue> key,
                                 Condition condition, List<UpdateAction> actions, String returnOnFailure) { }

    private static final class Table {
        final TableDef def;
        String ttlAttribute;
        /** Stored items are unmodifiable maps of immutable values, so they can be handed out without copying. */
        final TreeMap<EntryKey, Map<String, AttributeValue>> items = new TreeMap<>(ENTRY_ORDER);
        final Map<String, TreeMap<EntryKey, Map<String, AttributeValue>>> indexes = new HashMap<>();
        /** What eventually consistent reads and index queries see: the latest state, or (lagging) an older one. */
        TreeMap<EntryKey, Map<String, AttributeValue>> staleItems = items;
        Map<String, TreeMap<EntryKey, Map<String, AttributeValue>>> staleIndexes = indexes;
        /** Writes the stale view has not seen yet, oldest first. */
        final List<Map.Entry<EntryKey, Map<String, AttributeValue>>> unpropagated = new ArrayList<>();
        /** Items a transaction has checked and not yet committed. */
        final Set<EntryKey> held = new TreeSet<>(ENTRY_ORDER);

        Table(TableDef def, boolean lagging) {
            this.def = def;
            def.indexes().forEach(index -> indexes.put(index.name(), new TreeMap<>(ENTRY_ORDER)));
            if (lagging) lag();
        }

        void lag() {
            if (staleItems != items) return;
            staleItems = new TreeMap<>(items);
            staleIndexes = new HashMap<>();
            indexes.forEach((name, entries) -> staleIndexes.put(name, new TreeMap<>(entries)));
        }

        void propagate() {
            unpropagated.forEach(write -> apply(staleItems, staleIndexes, write.getKey(), write.getValue()));
            unpropagated.clear();
        }

        /** The entries a read sees: an index is never consistent; the table is when the read asks to be. */
        NavigableMap<EntryKey, Map<String, AttributeValue>> view(String indexName, boolean consistentRead) {
            if (indexName == null) return consistentRead ? items : staleItems;
            return staleIndexes.get(indexName);
        }

        /** {@code wholeItem}: the map is an item (extra attributes allowed) rather than a Key parameter. */
        EntryKey keyOf(Map<String, AttributeValue> source, boolean wholeItem) {
            if (!wholeItem && source.size() != (def.range() == null ? 1 : 2)) throw validation("The provided key element does not match the schema");
            AttributeValue hash = checkKeySize(keyValue(source, def.hash(), wholeItem), false);
            AttributeValue range = def.range() == null ? null : checkKeySize(keyValue(source, def.range(), wholeItem), true);
            return new EntryKey(hash, range, null, null);
        }

        Map<String, AttributeValue> keyMap(EntryKey key) {
            Map<String, AttributeValue> map = new HashMap<>();
            map.put(def.hash().name(), key.hash());
            if (def.range() != null) map.put(def.range().name(), key.range());
            return map;
        }

        Map<String, AttributeValue> validItem(Map<String, AttributeValue> item) {
            item.values().forEach(InMemoryDynamoDb::validateValue);
            keyOf(item, true);
            for (IndexDef index : def.indexes()) {
                for (KeyAttr key : Arrays.asList(index.hash(), index.range())) {
                    AttributeValue value = key == null ? null : item.get(key.name());
                    if (value != null && !typeCode(value).equals(key.type())) {
                        throw validation("One or more parameter values were invalid: Type mismatch for Index Key " + key.name()
                                + " Expected: " + key.type() + " Actual: " + typeCode(value) + " IndexName: " + index.name());
                    }
                    if (value != null) checkKeySize(value, key == index.range());
                }
            }
            if (itemSize(item) > MAX_ITEM_BYTES) throw validation("Item size has exceeded the maximum allowed size");
            return Map.copyOf(item);
        }

        void store(EntryKey key, Map<String, AttributeValue> newItem) {
            apply(items, indexes, key, newItem);
            if (staleItems != items) unpropagated.add(new AbstractMap.SimpleImmutableEntry<>(key, newItem));
        }

        private void apply(TreeMap<EntryKey, Map<String, AttributeValue>> items, Map<String, TreeMap<EntryKey, Map<String, AttributeValue>>> indexes,
                           EntryKey key, Map<String, AttributeValue> newItem) {
            Map<String, AttributeValue> old = newItem == null ? items.remove(key) : items.put(key, newItem);
            for (IndexDef index : def.indexes()) {
                TreeMap<EntryKey, Map<String, AttributeValue>> entries = indexes.get(index.name());
                EntryKey oldKey = old == null ? null : indexKey(index, old, key);
                if (oldKey != null) entries.remove(oldKey);
                EntryKey newKey = newItem == null ? null : indexKey(index, newItem, key);
                if (newKey != null) entries.put(newKey, projectForIndex(index, newItem));
            }
        }

        /** Indexes are sparse: an item without all of the index's key attributes is not in it. */
        static EntryKey indexKey(IndexDef index, Map<String, AttributeValue> item, EntryKey tableKey) {
            AttributeValue hash = item.get(index.hash().name());
            AttributeValue range = index.range() == null ? null : item.get(index.range().name());
            if (hash == null || (index.range() != null && range == null)) return null;
            return new EntryKey(hash, range, tableKey.hash(), tableKey.range());
        }

        Map<String, AttributeValue> projectForIndex(IndexDef index, Map<String, AttributeValue> item) {
            if (index.projectionType().equals("ALL")) return item;
            Set<String> kept = new HashSet<>(index.nonKeyAttributes());
            for (KeyAttr key : Arrays.asList(def.hash(), def.range(), index.hash(), index.range())) if (key != null) kept.add(key.name());
            Map<String, AttributeValue> projected = new HashMap<>(item);
            projected.keySet().retainAll(kept);
            return Map.copyOf(projected);
        }

        KeySpace space(String indexName, boolean consistentRead) {
            if (indexName == null) return new KeySpace(def, null, def.hash(), def.range(), view(null, consistentRead));
            IndexDef index = def.indexes().stream().filter(i -> i.name().equals(indexName)).findFirst()
                    .orElseThrow(() -> validation("The table does not have the specified index: " + indexName));
            return new KeySpace(def, index, index.hash(), index.range(), view(indexName, false));
        }

        Map<String, AttributeValue> applyUpdate(Map<String, AttributeValue> old, List<UpdateAction> actions) {
            for (UpdateAction action : actions) {
                String top = action.path().elements().get(0).name();
                if (top.equals(def.hash().name()) || (def.range() != null && top.equals(def.range().name()))) {
                    throw validation("One or more parameter values were invalid: Cannot update attribute " + top + ". This attribute is part of the key");
                }
            }
            // DynamoDB evaluates every operand against the item as it was before this update
            List<AttributeValue> newValues = actions.stream().map(action -> action.newValue(old)).toList();
            Map<String, AttributeValue> updated = new HashMap<>(old);
            for (int i = 0; i < actions.size(); i++) setPath(updated, actions.get(i).path(), newValues.get(i));
            return validItem(updated);
        }
    }

    private record KeySpace(TableDef table, IndexDef index, KeyAttr hash, KeyAttr range,
                            NavigableMap<EntryKey, Map<String, AttributeValue>> entries) {

        Map<String, AttributeValue> lastKey(EntryKey key) {
            Map<String, AttributeValue> last = new HashMap<>();
            AttributeValue tableHash = index == null ? key.hash() : key.tableHash();
            AttributeValue tableRange = index == null ? key.range() : key.tableRange();
            last.put(table.hash().name(), tableHash);
            if (table.range() != null) last.put(table.range().name(), tableRange);
            if (index != null) {
                last.put(hash.name(), key.hash());
                if (range != null) last.put(range.name(), key.range());
            }
            return last;
        }

        EntryKey startKey(Map<String, AttributeValue> start) {
            AttributeValue tableHash = startPart(start, table.hash());
            AttributeValue tableRange = startPart(start, table.range());
            if (index == null) return new EntryKey(tableHash, tableRange, null, null);
            return new EntryKey(startPart(start, hash), startPart(start, range), tableHash, tableRange);
        }

        private static AttributeValue startPart(Map<String, AttributeValue> start, KeyAttr attr) {
            if (attr == null) return null;
            AttributeValue value = start.get(attr.name());
            if (value == null || !typeCode(value).equals(attr.type())) throw validation("The provided starting key is invalid: The provided key element does not match the schema");
            return value;
        }

        /** Accepts exactly what DynamoDB accepts: {@code hash = :v} optionally AND one condition on the range key. */
        KeyQuery keyQuery(Condition condition) {
            List<Condition> terms = new ArrayList<>();
            flattenAnd(condition, terms);
            if (terms.size() > 2) throw validation("Invalid KeyConditionExpression: Conditions can be of length 1 or 2 only");
            AttributeValue hashValue = null;
            Condition rangeCondition = null;
            for (Condition term : terms) {
                List<Operand> literals = new ArrayList<>();
                String attribute = keyTermAttribute(term, literals);
                for (Operand literal : literals) {
                    KeyAttr attr = attribute.equals(hash.name()) ? hash : range;
                    if (attr != null && !typeCode(((Literal) literal).value()).equals(attr.type())) {
                        throw validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
                    }
                }
                if (attribute.equals(hash.name()) && term instanceof Compare compare && compare.op().equals("=") && hashValue == null) {
                    hashValue = ((Literal) compare.right()).value();
                } else if (range != null && attribute.equals(range.name()) && rangeCondition == null
                        && !(term instanceof Compare compare && compare.op().equals("<>"))) {
                    rangeCondition = term;
                } else {
                    throw validation("Query key condition not supported");
                }
            }
            if (hashValue == null) throw validation("Query condition missed key schema element: " + hash.name());
            Condition rangeTest = rangeCondition;
            String rangeName = range == null ? null : range.name();
            return new KeyQuery(hashValue, key -> rangeTest == null || rangeTest.test(Map.of(rangeName, key.range())));
        }

        private static void flattenAnd(Condition condition, List<Condition> terms) {
            if (condition instanceof And and) {
                flattenAnd(and.left(), terms);
                flattenAnd(and.right(), terms);
            } else {
                terms.add(condition);
            }
        }

        private static String keyTermAttribute(Condition term, List<Operand> literals) {
            Operand subject;
            if (term instanceof Compare compare) {
                subject = compare.left();
                literals.add(compare.right());
            } else if (term instanceof Between between) {
                subject = between.value();
                literals.addAll(List.of(between.low(), between.high()));
            } else if (term instanceof Function function && function.name().equals("begins_with")) {
                subject = new PathRef(function.path());
                literals.add(function.argument());
            } else {
                throw validation("Invalid operator used in KeyConditionExpression: " + term.getClass().getSimpleName());
            }
            if (!(subject instanceof PathRef ref) || ref.path().elements().size() != 1 || literals.stream().anyMatch(o -> !(o instanceof Literal))) {
                throw validation("Invalid KeyConditionExpression: key conditions must compare a key attribute with values");
            }
            return ref.path().elements().get(0).name();
        }
    }

    // ---------------------------------------------------------------- attribute values

    /** DynamoDB's limits, which real tables enforce and so must the emulator, or tests would pass what AWS refuses. */
    static final int MAX_ITEM_BYTES = 400 * 1024;
    static final int MAX_PAGE_BYTES = 1024 * 1024;
    static final int MAX_TRANSACTION_ITEMS = 100;
    static final int MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;
    static final int MAX_HASH_KEY_BYTES = 2048;
    static final int MAX_RANGE_KEY_BYTES = 1024;

    private static AttributeValue checkKeySize(AttributeValue value, boolean range) {
        long bytes = value.type() == AttributeValue.Type.S ? utf8Length(value.s())
                : value.type() == AttributeValue.Type.B ? value.b().asByteArrayUnsafe().length : 0;
        if (!range && bytes > MAX_HASH_KEY_BYTES) {
            throw validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of "
                    + MAX_HASH_KEY_BYTES + " bytes");
        }
        if (range && bytes > MAX_RANGE_KEY_BYTES) {
            throw validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of "
                    + MAX_RANGE_KEY_BYTES + " bytes");
        }
        return value;
    }

    private static long utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static long itemSize(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) size += utf8Length(e.getKey()) + size(e.getValue());
        return size;
    }

    /** The item-size arithmetic DynamoDB documents: names and values in bytes, numbers by their digits. */
    private static long size(AttributeValue value) {
        return switch (value.type()) {
            case S -> utf8Length(value.s());
            case N -> 1 + (value.n().length() + 1) / 2;
            case B -> value.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> value.ss().stream().mapToLong(InMemoryDynamoDb::utf8Length).sum();
            case NS -> value.ns().stream().mapToLong(n -> 1 + (n.length() + 1) / 2).sum();
            case BS -> value.bs().stream().mapToLong(b -> b.asByteArrayUnsafe().length).sum();
            case L -> 3 + value.l().stream().mapToLong(v -> 1 + size(v)).sum();
            case M -> 3 + value.m().entrySet().stream().mapToLong(e -> 1 + utf8Length(e.getKey()) + size(e.getValue())).sum();
            default -> 0;
        };
    }

    static void validateValue(AttributeValue value) {
        switch (typeCode(value)) {
            case "N" -> number(value);
            case "NS" -> value.ns().forEach(n -> number(AttributeValue.fromN(n)));
            case "M" -> value.m().values().forEach(InMemoryDynamoDb::validateValue);
            case "L" -> value.l().forEach(InMemoryDynamoDb::validateValue);
            default -> { }
        }
        int setSize = switch (value.type()) {
            case SS -> new HashSet<>(value.ss()).size();
            case NS -> numberSet(value.ns()).size();
            case BS -> new HashSet<>(value.bs()).size();
            default -> -1;
        };
        if (setSize == 0) throw validation("One or more parameter values were invalid: An " + typeCode(value) + " may not be empty");
        int listed = value.hasSs() ? value.ss().size() : value.hasNs() ? value.ns().size() : value.hasBs() ? value.bs().size() : -1;
        if (setSize != listed) throw validation("One or more parameter values were invalid: Input collection contains duplicates");
    }

    private static AttributeValue keyValue(Map<String, AttributeValue> source, KeyAttr attr, boolean wholeItem) {
        AttributeValue value = source.get(attr.name());
        if (value == null || !typeCode(value).equals(attr.type())) {
            if (!wholeItem) throw validation("The provided key element does not match the schema");
            if (value == null) throw validation("One or more parameter values were invalid: Missing the key " + attr.name() + " in the item");
            throw validation("One or more parameter values were invalid: Type mismatch for key " + attr.name()
                    + " expected: " + attr.type() + " actual: " + typeCode(value));
        }
        if ((value.type() == AttributeValue.Type.S && value.s().isEmpty()) || (value.type() == AttributeValue.Type.B && value.b().asByteArrayUnsafe().length == 0)) {
            throw validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty "
                    + (value.type() == AttributeValue.Type.S ? "string" : "binary") + " value. Key: " + attr.name());
        }
        if (value.type() == AttributeValue.Type.N) number(value);
        return value;
    }

    /** Key order: S by UTF-8 bytes, N numerically, B by unsigned bytes; null is the lowest bound, MAX the highest. */
    private static int compareBound(AttributeValue a, AttributeValue b) {
        if (a == b) return 0;
        if (a == null || b == MAX) return -1;
        if (b == null || a == MAX) return 1;
        return compareValues(a, b);
    }

    // ---------------------------------------------------------------- persistence

    private static ObjectNode event(String op, String tableName) {
        ObjectNode event = JSON.createObjectNode();
        event.put("op", op);
        event.put("table", tableName);
        return event;
    }

    private static ObjectNode createTableEvent(TableDef def) {
        ObjectNode event = event("createTable", def.name());
        event.set("definition", JSON.valueToTree(def));
        return event;
    }

    private static ObjectNode ttlEvent(String tableName, String attribute) {
        ObjectNode event = event("ttl", tableName);
        event.put("attribute", attribute);
        return event;
    }

    /** A request's changes go in one line, so a torn write at a crash loses the whole request, never half of it. */
    private void appendToLog(List<ObjectNode> events) {
        if (logWriter == null || events.isEmpty()) return;
        JsonNode line = events.get(0);
        if (events.size() > 1) {
            ObjectNode batch = JSON.createObjectNode().put("op", "batch");
            batch.putArray("events").addAll(events);
            line = batch;
        }
        try {
            logWriter.write(JSON.writeValueAsString(line));
            logWriter.write('\n');
            logWriter.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + logPath, e);
        }
    }

    private void replay(Path log) throws IOException {
        // Split as bytes and decode line by line: a crash mid-write can tear the last line inside a multi-byte
        // character, which must drop that line alone, not fail the whole file's decoding. ('\n' never occurs
        // inside a UTF-8 sequence.)
        byte[] bytes = Files.readAllBytes(log);
        int lineNumber = 0;
        for (int start = 0; start < bytes.length; lineNumber++) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') end++;
            boolean last = end >= bytes.length - 1;
            JsonNode event;
            try {
                String line = StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(bytes, start, end - start)).toString();
                event = JSON.readTree(line);
            } catch (IOException e) {
                if (last) break; // torn last line from a crash mid-write
                throw new IOException("Corrupt line " + (lineNumber + 1) + " in " + log, e);
            }
            if (event != null) applyEvent(event);
            start = end + 1;
        }
    }

    private void applyEvent(JsonNode event) throws IOException {
        String tableName = event.path("table").asText();
        switch (event.path("op").asText()) {
            case "createTable" -> tables.put(tableName, new Table(JSON.treeToValue(event.get("definition"), TableDef.class), lagging));
            case "deleteTable" -> tables.remove(tableName);
            case "ttl" -> tables.get(tableName).ttlAttribute = event.get("attribute").isNull() ? null : event.get("attribute").asText();
            case "put" -> {
                Table table = tables.get(tableName);
                Map<String, AttributeValue> item = Map.copyOf(itemFromJson(event.get("item")));
                if (!memoryOnly.test(item)) table.store(table.keyOf(item, true), item);
            }
            case "delete" -> {
                Table table = tables.get(tableName);
                table.store(table.keyOf(itemFromJson(event.get("key")), false), null);
            }
            case "batch" -> {
                for (JsonNode inner : event.get("events")) applyEvent(inner);
            }
            default -> throw new IOException("Unknown event in change log: " + event);
        }
    }

    /** Rewrites the log as the current state; written aside, synced, then moved over the old log. */
    private void compactLog() throws IOException {
        Path temporary = logPath.resolveSibling(LOG_FILE + ".tmp");
        try (FileOutputStream out = new FileOutputStream(temporary.toFile());
             BufferedWriter writer = new BufferedWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            for (Table table : new TreeMap<>(tables).values()) {
                writer.write(JSON.writeValueAsString(createTableEvent(table.def)) + "\n");
                if (table.ttlAttribute != null) writer.write(JSON.writeValueAsString(ttlEvent(table.def.name(), table.ttlAttribute)) + "\n");
                for (Map<String, AttributeValue> item : table.items.values()) {
                    ObjectNode put = event("put", table.def.name());
                    put.set("item", itemToJson(item));
                    writer.write(JSON.writeValueAsString(put) + "\n");
                }
            }
            writer.flush();
            out.getFD().sync();
        }
        Files.move(temporary, logPath, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void releaseFiles() {
        try {
            if (logWriter != null) logWriter.close();
            if (dirLock != null) dirLock.release();
            if (lockChannel != null) lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            logWriter = null;
            dirLock = null;
            lockChannel = null;
        }
    }

    /** DynamoDB's wire form: {"S":"x"}, {"N":"1"}, {"M":{...}}, {"B":"base64"}, ... */
    static ObjectNode itemToJson(Map<String, AttributeValue> item) {
        ObjectNode node = JSON.createObjectNode();
        new TreeMap<>(item).forEach((name, value) -> node.set(name, valueToJson(value)));
        return node;
    }

    static ObjectNode valueToJson(AttributeValue value) {
        ObjectNode node = JSON.createObjectNode();
        String type = typeCode(value);
        switch (value.type()) {
            case S -> node.put(type, value.s());
            case N -> node.put(type, value.n());
            case B -> node.put(type, Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe()));
            case BOOL -> node.put(type, value.bool());
            case NUL -> node.put(type, true);
            case SS -> value.ss().forEach(node.putArray(type)::add);
            case NS -> value.ns().forEach(node.putArray(type)::add);
            case BS -> {
                ArrayNode array = node.putArray(type);
                value.bs().forEach(b -> array.add(Base64.getEncoder().encodeToString(b.asByteArrayUnsafe())));
            }
            case L -> {
                ArrayNode array = node.putArray(type);
                value.l().forEach(element -> array.add(valueToJson(element)));
            }
            case M -> node.set(type, itemToJson(value.m()));
            default -> throw new IllegalArgumentException("Unsupported attribute value " + value);
        }
        return node;
    }

    static Map<String, AttributeValue> itemFromJson(JsonNode node) {
        Map<String, AttributeValue> item = new HashMap<>();
        node.properties().forEach(field -> item.put(field.getKey(), valueFromJson(field.getValue())));
        return item;
    }

    static AttributeValue valueFromJson(JsonNode node) {
        Map.Entry<String, JsonNode> field = node.properties().iterator().next();
        JsonNode v = field.getValue();
        return switch (field.getKey()) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream().map(s -> SdkBytes.fromByteArray(Base64.getDecoder().decode(s))).toList());
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.forEach(element -> list.add(valueFromJson(element)));
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(itemFromJson(v));
            default -> throw new IllegalArgumentException("Unknown attribute type " + field.getKey());
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(element -> texts.add(element.asText()));
        return texts;
    }
}
