package filesapi.dynamodb;

import static filesapi.dynamodb.Items.PK;
import static filesapi.dynamodb.Items.TTL;

import filesapi.core.Ids;
import filesapi.core.Tenant;
import filesapi.core.idempotency.IdempotencyStore;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * One item per key, {@code tenant|idem|key}. A conditional put claims it; the table's TTL removes it after the
 * retention (24 hours); until then a record past retention is treated as absent, since TTL deletion is lazy. Each
 * claim writes a token of its own, and completing or releasing is conditioned on it, so a request whose lease ran out
 * cannot end the claim of the request that took the key over.
 */
public final class DynamoIdempotencyStore implements IdempotencyStore {
    private static final int MAX_CLAIM_ATTEMPTS = 3;

    /** A record's state, as stored: claimed by a request in flight, holding its response, or freed for a retry. */
    private enum State {
        IN_FLIGHT("in_flight"), DONE("done"), RELEASED("released");

        final AttributeValue value;

        State(String stored) {
            this.value = Items.s(stored);
        }

        boolean of(Map<String, AttributeValue> item) {
            return value.equals(item.get("state"));
        }
    }

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoIdempotencyStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    static String pk(Tenant tenant, String key) {
        return tenant.key() + "|idem|" + key;
    }

    @Override
    public Claim claim(Tenant tenant, String key, String endpoint, String digest, long now, long leaseSeconds,
                       long retentionSeconds) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, Items.s(pk(tenant, key)));
        item.put("endpoint", Items.s(endpoint));
        item.put("digest", Items.s(digest));
        item.put("state", State.IN_FLIGHT.value);
        String token = Ids.token(16);
        item.put("claim_token", Items.s(token));
        item.put("lease_until", Items.n(now + leaseSeconds));
        item.put(TTL, Items.n(now + retentionSeconds));
        for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
            try {
                dynamo.putItem(p -> p.tableName(table).item(item)
                        .conditionExpression("attribute_not_exists(#pk) OR #ttl < :now OR #state = :released"
                                + " OR (#state = :in_flight AND #lease < :now)")
                        .expressionAttributeNames(Map.of("#pk", PK, "#ttl", TTL, "#state", "state",
                                "#lease", "lease_until"))
                        .expressionAttributeValues(Map.of(":now", Items.n(now), ":in_flight", State.IN_FLIGHT.value,
                                ":released", State.RELEASED.value)));
                return new Claimed(token);
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> held = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                        .key(Map.of(PK, Items.s(pk(tenant, key))))).item();
                if (held == null || held.isEmpty() || State.RELEASED.of(held)) {
                    continue;
                }
                StoredResponse response = null;
                if (State.DONE.of(held)) {
                    Map<String, String> headers = new HashMap<>();
                    AttributeValue h = held.get("headers");
                    if (h != null && h.hasM()) {
                        h.m().forEach((k, v) -> headers.put(k, v.s()));
                    }
                    response = new StoredResponse(Items.num(held, "status").intValue(), headers,
                            Items.str(held, "body"), Items.str(held, "request_id"));
                }
                return new Held(Items.str(held, "endpoint"), Items.str(held, "digest"), response);
            }
        }
        throw new IllegalStateException("could not claim idempotency key after " + MAX_CLAIM_ATTEMPTS + " attempts");
    }

    @Override
    public boolean complete(Tenant tenant, String key, String token, StoredResponse response, String digest) {
        Map<String, AttributeValue> headers = new HashMap<>();
        response.headers().forEach((k, v) -> headers.put(k, Items.s(v)));
        Map<String, String> names = new HashMap<>(Map.of("#state", "state", "#status", "status", "#body", "body",
                "#headers", "headers", "#rid", "request_id", "#lease", "lease_until", "#token", "claim_token"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":done", State.DONE.value,
                ":status", Items.n(response.status()), ":body", Items.s(response.body()),
                ":headers", AttributeValue.fromM(headers), ":rid", Items.s(response.requestId()),
                ":token", Items.s(token), ":in_flight", State.IN_FLIGHT.value));
        String set = "SET #state = :done, #status = :status, #body = :body, #headers = :headers, #rid = :rid";
        if (digest != null) {
            names.put("#digest", "digest");
            values.put(":digest", Items.s(digest));
            set += ", #digest = :digest";
        }
        String update = set + " REMOVE #lease";
        try {
            dynamo.updateItem(u -> u.tableName(table).key(Map.of(PK, Items.s(pk(tenant, key))))
                    .updateExpression(update).conditionExpression("#token = :token AND #state = :in_flight")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Marks the claim released rather than deleting it, so no function needs dynamodb:DeleteItem. */
    @Override
    public void release(Tenant tenant, String key, String token) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(Map.of(PK, Items.s(pk(tenant, key))))
                    .updateExpression("SET #state = :released")
                    .conditionExpression("#token = :token AND #state = :in_flight")
                    .expressionAttributeNames(Map.of("#state", "state", "#token", "claim_token"))
                    .expressionAttributeValues(Map.of(":in_flight", State.IN_FLIGHT.value, ":released",
                            State.RELEASED.value, ":token", Items.s(token))));
        } catch (ConditionalCheckFailedException e) {
            // Another request took the claim over after our lease ran out; it is theirs now.
        }
    }
}
