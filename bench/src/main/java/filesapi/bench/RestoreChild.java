package filesapi.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import filesapi.lambda.ApiHandler;
import filesapi.lambda.AwsClients;
import filesapi.lambda.Priming;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One SnapStart restore, in a fresh JVM. All SDK traffic goes through {@link Relay}s on loopback (the function's
 * endpoints, from the environment the parent sets), so that "the restore" can kill every connection the clients
 * pooled before it the way a restore leaves them: the sockets are still in the JDK's keep-alive cache, but the peer
 * no longer knows them (each relay connection is reset, with {@code SO_LINGER 0}), so their first use fails and the
 * JDK or the SDK reconnects.
 *
 * <p>{@code ours OP}: the handler class built as the Lambda runtime builds it (its no-argument constructor, the
 * container's {@code Services}), what the real hook's {@code beforeCheckpoint} runs (its twin must have answered),
 * the connections reset, its
 * {@code afterRestore}, then the first request, timed. {@code floor OP}: the SDK clients as {@code AwsClients} builds
 * them, the endpoint's SDK calls made once, the connections reset, then the same calls, timed (with the API-key
 * lookup a first request makes). Prints {@code RESULT <first request nanos> <afterRestore nanos> <classes loaded
 * by the first request> <second request nanos>}.
 */
public final class RestoreChild {
    /** {@code sun.net.www.http.KeepAliveCache}'s idle timeout when the server sends no {@code Keep-Alive} header. */
    private static final long KEEP_ALIVE_MILLIS = 5000;

    private RestoreChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        System.setOut(System.err); // handlers log to stdout; the parent shows it only when the child fails
        String mode = args[0];
        String op = args[1];
        Relay dynamoRelay = new Relay(Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        Relay s3Relay = new Relay(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
        ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
        Runnable request;
        Runnable restore;
        if (mode.equals("ours")) {
            ApiHandler handler = (ApiHandler) Class.forName(Restore.handlerClass(op)).getConstructor()
                    .newInstance();
            // The hook the no-argument constructor registers with org.crac (which, outside a CRaC JVM, never runs it),
            // its twin built by the handler's Services constructor, as the no-argument constructor passes it.
            Priming hook = Priming.of(handler, filesapi.lambda.Services.fromEnvironment(),
                    Restore.event(op).getRouteKey(), twin -> (ApiHandler) ColdChild.build(Restore.handlerClass(op), twin));
            // What beforeCheckpoint runs; a twin that did not answer would leave this measuring the probe alone.
            Priming.Outcome primed = hook.prime();
            if (primed.twin() == null || primed.twin().getStatusCode() >= 400) {
                throw new IllegalStateException(op + ": priming's twin did not answer: "
                        + (primed.twin() == null ? "it failed" : primed.twin().getBody()));
            }
            int expected = Restore.expectedStatus(op);
            // Events are built before the clock starts (on Lambda the runtime decodes them, outside the handler).
            APIGatewayV2HTTPEvent[] events = {Restore.event(op), Restore.event(op)};
            int[] next = {0};
            request = () -> {
                APIGatewayV2HTTPResponse r = handler.handleRequest(events[next[0]++], null);
                if (r.getStatusCode() != expected) {
                    throw new IllegalStateException(op + " answered " + r.getStatusCode() + ": " + r.getBody());
                }
            };
            restore = () -> hook.afterRestore(null);
        } else {
            Runnable calls = floor(op, AwsClients.fromEnvironment());
            calls.run(); // one call of each kind, as priming makes them
            request = calls;
            restore = () -> { };
        }
        System.gc(); // a snapshot holds no garbage of the priming phase
        // The restore: the peer no longer knows the snapshot's sockets, and they have been idle for longer than the
        // JDK keeps a connection alive (5 s without a Keep-Alive header; a snapshot is minutes to days old and the
        // wall clock moves on at restore), so the keep-alive cache discards them and the first call connects anew.
        dynamoRelay.resetAll();
        s3Relay.resetAll();
        Thread.sleep(KEEP_ALIVE_MILLIS + 500);
        long t0 = System.nanoTime();
        restore.run();
        long restoreNanos = System.nanoTime() - t0;
        long loaded = classes.getTotalLoadedClassCount();
        new FirstRequest(); // with -Xlog:class+load, the classes between these two markers are the request's
        t0 = System.nanoTime();
        request.run();
        long first = System.nanoTime() - t0;
        new FirstRequestDone();
        loaded = classes.getTotalLoadedClassCount() - loaded;
        t0 = System.nanoTime();
        request.run();
        long second = System.nanoTime() - t0;
        out.println("RESULT " + first + " " + restoreNanos + " " + loaded + " " + second);
        out.flush();
        System.exit(0);
    }

    /** The SDK calls of each endpoint's request after a restore: the API key's lookup, then the endpoint's own. */
    private static Runnable floor(String op, AwsClients aws) {
        // Ids of their own: the floor children write links and files into one table, each from a fresh counter.
        Floors floors = new Floors(aws.dynamo(), aws.s3(), System.currentTimeMillis() % 100_000_000L * 1000);
        byte[] pdf = op.equals("upload_100k") ? Events.pdf(100 * 1024) : null;
        return () -> {
            if (!op.equals("open_link")) {
                floors.apiKey(ColdChild.KEY);
            }
            switch (op) {
                case "retrieve_file" -> floors.retrieveFile(ColdChild.ACCOUNT, ColdChild.FILE);
                case "retrieve_link" -> floors.retrieveLink(ColdChild.ACCOUNT, ColdChild.LINK);
                case "list_files" -> floors.listFiles(ColdChild.ACCOUNT);
                case "open_link" -> floors.openLink(ColdChild.TOKEN);
                case "create_link" -> floors.createLink(ColdChild.ACCOUNT, ColdChild.FILE);
                case "upload_100k" -> floors.upload(ColdChild.ACCOUNT, pdf);
                case "contents" -> {
                    Map<String, AttributeValue> file = aws.dynamo().getItem(g -> g.tableName(Seed.TABLE)
                            .key(Map.of("pk", AttributeValue.fromS(Seed.tenant(ColdChild.ACCOUNT) + "|"
                                    + ColdChild.FILE))).consistentRead(true)).item();
                    aws.s3().getObjectAsBytes(g -> g.bucket(Seed.BUCKET).key(file.get("blob_key").s()));
                }
                default -> throw new IllegalArgumentException(op);
            }
        };
    }

    /** Markers in a class-loading trace. */
    private static final class FirstRequest {}

    private static final class FirstRequestDone {}

    /** A loopback TCP relay to one backend whose connections can all be reset at once. */
    static final class Relay {
        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        Relay(int port, int target) throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            Thread accept = new Thread(() -> {
                while (true) {
                    try {
                        Socket client = server.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        client.setTcpNoDelay(true);
                        upstream.setTcpNoDelay(true);
                        open.addAll(List.of(client, upstream));
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "relay-" + port);
            accept.setDaemon(true);
            accept.start();
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        o.write(buffer, 0, n);
                    }
                } catch (IOException closed) {
                    // reset or closed: the other pump ends too
                }
                close(from);
                close(to);
            }, "relay-pump");
            t.setDaemon(true);
            t.start();
        }

        /** Every connection so far, reset on both sides: what the peer of a restored function's sockets does. */
        void resetAll() {
            List<Socket> all = List.copyOf(open);
            for (Socket s : all) {
                try {
                    s.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // already closed
                }
            }
            all.forEach(this::close);
        }

        private void close(Socket s) {
            open.remove(s);
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
