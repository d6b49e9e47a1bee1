package filesapi.lambda;

import static filesapi.lambda.AwsOperation.DYNAMODB_PUT_ITEM;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.core.ContentDisposition;
import filesapi.core.Ids;
import filesapi.core.Json;
import filesapi.core.Log;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileType;
import filesapi.core.files.FileTypes;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkService;
import filesapi.core.uploads.UploadService;
import filesapi.dynamodb.Items;
import filesapi.lambda.wire.ApiVersions;
import filesapi.lambda.wire.FileJson;
import filesapi.lambda.wire.LinkJson;
import filesapi.lambda.wire.ListJson;
import filesapi.lambda.wire.ListParams;
import filesapi.lambda.wire.Multipart;
import filesapi.lambda.wire.Params;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.utils.DateUtils;

/**
 * SnapStart: before Lambda snapshots a published version, run the handler's own code path once (event decoding, the
 * DynamoDB lookup of a key or a link token where the handler makes one, error rendering, logging), render a file and
 * a link, and make each AWS operation the handler declares ({@link ApiHandler#operations}), so a restored function
 * starts with those classes loaded and initialised. Nothing else is called: the function's role allows exactly
 * those operations, and a refused call would leave an AccessDenied behind every deployment. The success path (an
 * authenticated caller, items unmarshalled, a page listed, contents read) needs data the function must not write,
 * so it runs on a {@link PrimingTwin}: the same handler class over SDK clients whose HTTP client answers in memory.
 * After a restore, ids and tokens get a fresh random generator. Outside SnapStart (or a CRaC JVM) registration does
 * nothing.
 */
public final class Priming implements Resource {
    // org.crac holds resources weakly; the container keeps each handler's hook alive here.
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final ApiHandler handler;
    private final Services services;
    private final String routeKey;
    private final Function<Services, ApiHandler> twin;

    private Priming(ApiHandler handler, Services services, String routeKey, Function<Services, ApiHandler> twin) {
        this.handler = handler;
        this.services = services;
        this.routeKey = routeKey;
        this.twin = twin;
    }

    /**
     * Registers the SnapStart hook of a handler wired from {@code services}, which also answers one request for
     * {@code routeKey} (as template.yaml names it) on a twin that {@code twin} builds over in-process backends.
     */
    public static void register(ApiHandler handler, Services services, String routeKey,
                                Function<Services, ApiHandler> twin) {
        Priming priming = of(handler, services, routeKey, twin);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    /** Registers the hook of a handler that has no success path beyond the probe's answer (the catch-all 404). */
    public static void register(ApiHandler handler, Services services) {
        register(handler, services, null, null);
    }

    public static Priming of(ApiHandler handler, Services services, String routeKey,
                             Function<Services, ApiHandler> twin) {
        return new Priming(handler, services, routeKey, twin);
    }

    /**
     * What priming got back: the probe's response (null if priming failed) and the twin's (null for a handler
     * without a twin, or if the twin failed).
     */
    public record Outcome(APIGatewayV2HTTPResponse probe, APIGatewayV2HTTPResponse twin) {}

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        Ids.reseed();
    }

    /**
     * Runs the priming path: the probe (401 for endpoints that need a key, 404 for the rest), then the twin's
     * success path; never throws, since a failed priming must not fail the deployment.
     */
    public Outcome prime() {
        APIGatewayV2HTTPResponse probe;
        try {
            renderSamples(services);
            decodeSamples();
            responseSamples();
            warmSdk(services, handler.operations());
            probe = handler.handleRequest(probe(), null);
        } catch (RuntimeException | LinkageError e) {
            Log.error(null, "snapstart priming failed; the function still works, it only starts colder", e);
            return new Outcome(null, null);
        }
        return new Outcome(probe, twin == null ? null : primeTwin());
    }

    /**
     * The twin's answer; a twin that fails only leaves the first request colder (the first authenticated success
     * and the SDK's unmarshalling of items), so it is logged at debug level, not as an error.
     */
    private APIGatewayV2HTTPResponse primeTwin() {
        try {
            APIGatewayV2HTTPResponse response = PrimingTwin.run(services, routeKey, twin);
            if (response.getStatusCode() >= 400) {
                Log.debug(null, "snapstart priming's success path was refused", "route", routeKey,
                        "status", response.getStatusCode(), "body", response.getBody());
            }
            return response;
        } catch (RuntimeException | LinkageError e) {
            Log.debug(null, "snapstart priming's success path failed", "route", routeKey,
                    "error", e.getClass().getName() + ": " + e.getMessage());
            return null;
        }
    }

    /**
     * A request with a well-formed key that names no account, for an object (or a link token) that does not exist:
     * an endpoint that needs a key looks the key up, the link opener the token.
     */
    static APIGatewayV2HTTPEvent probe() {
        String id = Ids.token(LinkService.TOKEN_CHARS);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/v1/priming")
                .withRawQueryString("")
                .withHeaders(Map.of("authorization", "Bearer sk_test_priming" + id, "user-agent", "snapstart-priming"))
                .withPathParameters(Map.of("file", "file_" + id, "link", "link_" + id, "token", id,
                        "file_upload", "fupl_" + id))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("priming.invalid")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET")
                                .withPath("/v1/priming").build())
                        .build())
                .withIsBase64Encoded(false)
                .build();
    }

    /**
     * What a successful call's response builds and the probe's refused calls never reach (a class-loading trace of
     * the first request after a restore listed them): the SDK's response objects holding items, S3's object response
     * with its RFC 1123 {@code Last-Modified} (the JDK's locale-sensitive date parsing, about 50 classes), the
     * accepted API version.
     */
    private static void responseSamples() {
        Map<String, AttributeValue> item = Map.of("m", AttributeValue.fromM(Map.of("s", AttributeValue.fromS("v"))),
                "l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"))));
        GetItemResponse.builder().item(item).build().item();
        QueryResponse.builder().items(List.of(item)).count(1).lastEvaluatedKey(item).build().items();
        TransactWriteItemsResponse.builder().build();
        // The SDK's own parser (S3 sends Last-Modified in RFC 822 form): its Locale.US pattern is what loads them.
        Instant modified = DateUtils.parseRfc822Date("Tue, 03 Jun 2008 11:05:30 GMT");
        DateUtils.parseRfc1123Date("Tue, 03 Jun 2008 11:05:30 GMT");
        GetObjectResponse object = GetObjectResponse.builder().lastModified(modified).contentType("application/pdf")
                .contentLength(1L).metadata(Map.of("k", "v")).eTag("\"priming\"").build();
        ResponseBytes.fromByteArray(object, new byte[] {'%'}).asByteArray();
        ApiVersions.resolve(ApiVersions.DEFAULT);
    }

    /** Multipart, form and list decoding and type detection, as an upload and a list request use them. */
    private static void decodeSamples() {
        String boundary = "priming" + Ids.token(8);
        byte[] body = PrimingTwin.multipart(boundary, PrimingTwin.PURPOSE, PrimingTwin.PDF);
        APIGatewayV2HTTPEvent upload = probe();
        upload.setBody(Base64.getEncoder().encodeToString(body));
        upload.setIsBase64Encoded(true);
        upload.setHeaders(Map.of("content-type", "multipart/form-data; boundary=" + boundary));
        ApiRequest request = ApiRequest.from(upload, "req_priming", "");
        for (Multipart.FilePart part : request.multipart().files()) {
            FileTypes.detect(part.contents(), part.contentType(), part.filename());
        }
        Params form = Params.of(request.formPairs());
        form.nonEmptyString("purpose");
        Params query = Params.of(Params.decodeUrlEncoded("limit=3&created[gte]=1&expand[]=data.file&metadata[k]=v"));
        ListParams.parse(query);
    }

    /**
     * The SDK path of each DynamoDB and S3 operation the handler declares, in a form that cannot change data (an
     * absent key, or a condition that fails), so the snapshot holds their marshallers, signers and error
     * unmarshallers loaded. Refusals (failed conditions, missing keys) are the expected outcome and are ignored;
     * S3 answers the GetObject of an absent key with 403, not 404, to a role without s3:ListBucket.
     */
    private static void warmSdk(Services services, Set<AwsOperation> operations) {
        String table = services.config().tableName();
        String lists = services.config().listsTableName();
        DynamoDbClient dynamo = services.aws().dynamo();
        Map<String, AttributeValue> key = Map.of(Items.PK, AttributeValue.fromS("priming|" + Ids.token(24)));
        Map<String, AttributeValue> item = Map.of(Items.PK, key.get(Items.PK), "priming", AttributeValue.fromN("1"));
        Map<String, AttributeValue> listEntry = Map.of(Items.PK, key.get(Items.PK), Items.SK, key.get(Items.PK));
        String onlyIfThere = "attribute_exists(" + Items.PK + ")";
        S3Client s3 = services.aws().s3();
        String bucket = services.config().bucketName();
        String object = "priming/" + Ids.token(24);
        String upload = UploadService.UPLOAD_PREFIX + "priming/" + Ids.token(24);
        for (AwsOperation operation : operations) {
            Runnable call = switch (operation) {
                case DYNAMODB_GET_ITEM -> () -> dynamo.getItem(g -> g.tableName(table).key(key).consistentRead(true));
                case DYNAMODB_QUERY_LISTS -> () -> dynamo.query(q -> q.tableName(lists).consistentRead(true)
                        .limit(1).scanIndexForward(false).keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", Items.PK))
                        .expressionAttributeValues(Map.of(":pk", key.get(Items.PK))));
                case DYNAMODB_PUT_ITEM -> () -> dynamo.putItem(p -> p.tableName(table).item(item)
                        .conditionExpression(onlyIfThere));
                case DYNAMODB_PUT_LIST_ENTRY -> () -> dynamo.putItem(p -> p.tableName(lists).item(listEntry)
                        .conditionExpression(onlyIfThere));
                case DYNAMODB_UPDATE_ITEM -> () -> dynamo.updateItem(u -> u.tableName(table).key(key)
                        .conditionExpression(onlyIfThere).updateExpression("SET #p = :one")
                        .expressionAttributeNames(Map.of("#p", "priming"))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                // IAM authorises a transaction's Put as a PutItem; every transaction the handlers write has one.
                case DYNAMODB_TRANSACT_WRITE -> operations.contains(DYNAMODB_PUT_ITEM)
                        ? () -> dynamo.transactWriteItems(t -> t.transactItems(TransactWriteItem.builder().put(
                                Put.builder().tableName(table).item(item).conditionExpression(onlyIfThere).build())
                                .build()))
                        : () -> { };
                case S3_GET_OBJECT -> () -> s3.getObject(g -> g.bucket(bucket).key(object),
                        ResponseTransformer.toBytes());
                // If-Match on an object that does not exist: S3 answers 404 and writes nothing.
                case S3_PUT_OBJECT -> () -> s3.putObject(p -> p.bucket(bucket).key(object).ifMatch("\"priming\"")
                        .contentType("application/pdf"), RequestBody.fromBytes(new byte[] {'%'}));
                // Deleting a key that does not exist succeeds and changes nothing.
                case S3_DELETE_OBJECT -> () -> s3.deleteObject(d -> d.bucket(bucket).key(object));
                case S3_PRESIGNED_GET -> () -> services.blobs().presignGet(object, Duration.ofSeconds(60),
                        "application/pdf", ContentDisposition.attachment("priming.pdf"));
                case S3_PRESIGNED_PUT_UPLOAD -> () -> services.blobs().presignPut(upload, 1, Duration.ofSeconds(60));
                case S3_HEAD_UPLOAD -> () -> services.blobs().size(upload);
                case S3_GET_UPLOAD_RANGE -> () -> services.blobs().getRange(upload, 0, 8);
                // Copying an upload that does not exist: S3 answers 404 and writes nothing.
                case S3_COPY_UPLOAD -> () -> services.blobs().copy(upload, object, 1, "application/pdf");
            };
            attempt(call);
        }
    }

    private static void attempt(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException expected) {
            // a refusal still ran the request and response path
        }
    }

    private static void renderSamples(Services services) {
        long now = services.clock().millis() / 1000;
        Tenant tenant = new Tenant("acct_priming", false);
        FileRecord file = new FileRecord("file_priming", tenant, Purpose.DISPUTE_EVIDENCE, FileType.PDF, "application/pdf", 1,
                "priming.pdf", null, now, now + 60, "keep/priming", false);
        LinkRecord link = new LinkRecord("link_priming", tenant, file.id(), now, null, Map.of("k", "v"), "priming", 1);
        Map<String, Object> linkJson = LinkJson.render(link, file.id(), "https://priming.invalid", now);
        Json.pretty(FileJson.render(file, "https://priming.invalid",
                FileJson.links(file.id(), List.of(linkJson), false)));
        Json.pretty(ListJson.of("/v1/file_links", List.of(linkJson), false));
    }
}
