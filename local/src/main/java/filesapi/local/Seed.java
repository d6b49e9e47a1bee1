package filesapi.local;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import filesapi.core.Bytes;
import filesapi.core.Caller;
import filesapi.core.Ids;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.UploadedFile;
import filesapi.core.links.LinkRecord;
import filesapi.dynamodb.DynamoFileStore;
import filesapi.lambda.Services;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --seed FILE}: the state a suite starts from and {@code reset} returns to, in YAML or JSON (JSON is YAML, so
 * one reader takes both). Unknown fields are refused, so a typo is an error rather than a silently missing key.
 *
 * <pre>
 * accounts: [acct_A, acct_B]                                        # optional; if given, the only ones allowed
 * keys:
 *   - {key: sk_test_seedAAAA, account: acct_A}                      # mode and kind from the prefix
 *   - {account: acct_A, mode: test, kind: restricted, permission: read}  # no key: one is generated
 * connect:
 *   - {platform: acct_A, account: acct_B}
 * files:
 *   - {path: evidence.pdf, purpose: dispute_evidence, account: acct_A, id: file_fixed1,
 *      links: [{metadata: {order: "42"}, expires_at: 1900000000}]}
 * </pre>
 */
public record Seed(List<String> accounts, List<KeySpec> keys, List<Connection> connect, List<FileSpec> files,
                   Path base) {

    public record KeySpec(String key, String account, String mode, String kind, String permission) {}

    public record Connection(String platform, String account) {}

    public record FileSpec(String path, String purpose, String account, String mode, String id, String filename,
                           List<LinkSpec> links) {}

    public record LinkSpec(Map<String, String> metadata, @JsonProperty("expires_at") Long expiresAt) {}

    private record Document(List<String> accounts, List<KeySpec> keys, List<Connection> connect,
                            List<FileSpec> files) {}

    /** A link the seed made, for the banner. */
    public record SeededLink(String fileId, String linkId, String token) {}

    public static Seed read(Path file) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Document d;
        try {
            d = yaml.readValue(file.toFile(), Document.class);
        } catch (IOException e) {
            throw new IOException("seed file " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (d == null) {
            d = new Document(null, null, null, null);
        }
        Seed seed = new Seed(orEmpty(d.accounts()), orEmpty(d.keys()), orEmpty(d.connect()), orEmpty(d.files()),
                file.toAbsolutePath().getParent());
        seed.checkAccounts();
        return seed;
    }

    /** Where {@code accounts} is given, it is the whole list: an account named elsewhere but not there is a typo. */
    private void checkAccounts() {
        if (accounts.isEmpty()) {
            return;
        }
        List<String> named = new ArrayList<>();
        keys.forEach(k -> named.add(k.account()));
        connect.forEach(c -> named.addAll(List.of(c.platform(), c.account())));
        files.forEach(f -> named.add(f.account()));
        for (String account : named) {
            if (account != null && !accounts.contains(account)) {
                throw new IllegalArgumentException("the seed names " + account + ", which its accounts list lacks");
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** The keys the seed declares, generated where it names none; made once, so every reset keeps them. */
    List<LocalServer.SeededKey> resolveKeys() {
        List<LocalServer.SeededKey> resolved = new ArrayList<>();
        for (KeySpec k : keys) {
            String key = k.key();
            if (key == null) {
                String kind = k.kind() == null ? "secret" : k.kind().toLowerCase(Locale.ROOT);
                String prefix = switch (kind) {
                    case "secret" -> "sk_";
                    case "restricted" -> "rk_";
                    case "publishable" -> "pk_";
                    default -> throw new IllegalArgumentException("seed key kind is secret, restricted or"
                            + " publishable; got '" + k.kind() + "'");
                };
                key = prefix + (live(k.mode()) ? "live_" : "test_") + Ids.token(24);
            } else if (k.mode() != null && live(k.mode()) != Caller.isLiveKey(key)) {
                throw new IllegalArgumentException("seed key " + key + " says mode " + k.mode()
                        + " but its prefix says otherwise");
            }
            boolean restricted = key.startsWith("rk_");
            Caller.Access files = restricted ? Caller.Access.named(k.permission() == null ? "" : k.permission())
                    : null;
            if (restricted && files == null) {
                throw new IllegalArgumentException("seed key " + key + ": a restricted key needs permission none,"
                        + " read or write");
            }
            if (!restricted && k.permission() != null) {
                throw new IllegalArgumentException("seed key " + key + ": only restricted keys take a permission");
            }
            if (k.account() == null) {
                throw new IllegalArgumentException("seed key " + key + " names no account");
            }
            resolved.add(new LocalServer.SeededKey(key, k.account(), Caller.isLiveKey(key), files));
        }
        return List.copyOf(resolved);
    }

    private static boolean live(String mode) {
        if (mode == null || mode.equals("test")) {
            return false;
        }
        if (mode.equals("live")) {
            return true;
        }
        throw new IllegalArgumentException("seed mode is test or live; got '" + mode + "'");
    }

    String connections() {
        return String.join(",", connect.stream().map(c -> c.platform() + ":" + c.account()).toList());
    }

    /**
     * Stores the seed's files (checked as an upload would be, then kept under their fixed id if they have one)
     * and their links.
     */
    List<SeededLink> loadFiles(Services services) throws IOException {
        DynamoFileStore store = new DynamoFileStore(services.aws().dynamo(), services.config().tableName(),
                services.config().listsTableName());
        List<SeededLink> links = new ArrayList<>();
        for (FileSpec f : files) {
            if (f.path() == null || f.purpose() == null || f.account() == null) {
                throw new IllegalArgumentException("each seed file has a path, a purpose and an account");
            }
            Path path = base.resolve(f.path());
            String filename = f.filename() == null ? path.getFileName().toString() : f.filename();
            FileService.ValidUpload upload;
            try {
                upload = services.files().validate(f.purpose(), new UploadedFile(filename,
                        "application/octet-stream", Bytes.of(Files.readAllBytes(path))));
            } catch (StripeError e) {
                throw new IllegalArgumentException("seed file " + f.path() + ": " + e.getMessage(), e);
            }
            long nowMillis = services.clock().millis();
            long created = nowMillis / 1000;
            String id = f.id() == null ? Ids.newId("file_", nowMillis) : f.id();
            if (!Ids.looksLike(id, "file_")) {
                throw new IllegalArgumentException("a seed file id looks like file_ and letters or digits; got '"
                        + id + "'");
            }
            Tenant tenant = new Tenant(f.account(), live(f.mode()));
            var expiry = upload.purpose().expiresAfter();
            String blobKey = FileService.blobKey(tenant, id, expiry);
            FileRecord file = new FileRecord(id, tenant, upload.purpose(), upload.type(),
                    upload.type().mimeType(), upload.bytes().length(),
                    upload.filename() == null ? id : upload.filename(), null, created,
                    expiry == null ? null : created + expiry.toSeconds(), blobKey, false);
            services.blobs().put(blobKey, upload.bytes(), file.contentType());
            store.insert(file);
            for (LinkSpec l : f.links() == null ? List.<LinkSpec>of() : f.links()) {
                LinkRecord link = services.links().createFor(file, l.expiresAt(),
                        l.metadata() == null ? Map.of() : l.metadata());
                links.add(new SeededLink(id, link.id(), link.token()));
            }
        }
        return List.copyOf(links);
    }
}
