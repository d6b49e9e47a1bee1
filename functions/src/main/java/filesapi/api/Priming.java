package filesapi.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.Services;
import filesapi.files.FileJson;
import filesapi.files.FileRecord;
import filesapi.links.LinkJson;
import filesapi.links.LinkRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * SnapStart: before Lambda snapshots a published version, run the handler's own code path once (event decoding,
 * authentication with a real DynamoDB GetItem, error rendering, logging) and render a file, a link and a presigned
 * URL, so a restored function starts with those classes loaded and initialised. After a restore, ids and tokens get
 * a fresh random generator. Outside SnapStart (or a CRaC JVM) registration does nothing.
 */
public final class Priming implements Resource {
    // org.crac holds resources weakly; the container keeps each handler's hook alive here.
    private static final List<Priming> REGISTERED = new CopyOnWriteArrayList<>();

    private final ApiHandler handler;

    private Priming(ApiHandler handler) {
        this.handler = handler;
    }

    static void register(ApiHandler handler) {
        Priming priming = new Priming(handler);
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    public static Priming of(ApiHandler handler) {
        return new Priming(handler);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        Ids.reseed();
    }

    /**
     * Runs the priming path and returns the probe's response (401 for endpoints that need a key, 404 for the rest);
     * never throws, since a failed priming must not fail the deployment.
     */
    public APIGatewayV2HTTPResponse prime() {
        try {
            Services services = handler.services;
            renderSamples(services);
            return handler.handleRequest(probe(), null);
        } catch (RuntimeException | LinkageError e) {
            Log.error(null, "snapstart priming failed; the function still works, it only starts colder", e);
            return null;
        }
    }

    /** A request with a well-formed key that names no account, for an object that does not exist. */
    static APIGatewayV2HTTPEvent probe() {
        String id = Ids.token(24);
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath("/v1/priming")
                .withRawQueryString("")
                .withHeaders(Map.of("authorization", "Bearer sk_test_priming" + id, "user-agent", "snapstart-priming"))
                .withPathParameters(Map.of("file", "file_" + id, "link", "link_" + id, "token", id))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                        .withDomainName("priming.invalid")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET")
                                .withPath("/v1/priming").build())
                        .build())
                .withIsBase64Encoded(false)
                .build();
    }

    private static void renderSamples(Services services) {
        long now = services.clock().millis() / 1000;
        Tenant tenant = new Tenant("acct_priming", false);
        FileRecord file = new FileRecord("file_priming", tenant, "dispute_evidence", "pdf", "application/pdf", 1,
                "priming.pdf", null, now, now + 60, "keep/priming", false);
        LinkRecord link = new LinkRecord("link_priming", tenant, file.id(), now, null, Map.of("k", "v"), "priming", 1);
        Map<String, Object> linkJson = LinkJson.render(link, file.id(), "https://priming.invalid", now);
        Json.pretty(FileJson.render(file, "https://priming.invalid",
                FileJson.links(file.id(), List.of(linkJson), false)));
        Json.pretty(ListJson.of("/v1/file_links", List.of(linkJson), false));
        services.blobs().presignGet(file.blobKey(), Duration.ofSeconds(60), file.contentType(),
                ContentDisposition.attachment(file.filename()));
    }
}
