package filesapi.admin;

import filesapi.core.Bytes;
import filesapi.core.Tenant;
import filesapi.core.auth.ApiKeys;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.FileStore;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkStore;
import filesapi.dynamodb.DynamoApiKeyStore;
import filesapi.dynamodb.DynamoConnectionStore;
import filesapi.dynamodb.DynamoFileStore;
import filesapi.dynamodb.DynamoLinkStore;
import filesapi.lambda.AwsClients;
import filesapi.lambda.Config;
import filesapi.s3.S3BlobStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The key and objects that the sample events in {@code events/} name, so each event works as it is once a table and
 * bucket are seeded with them. The services make their own ids, so the records go through the stores.
 */
public final class SampleData {
    /** Stripe's documentation sample key. */
    public static final String KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    public static final String ACCOUNT = "acct_1032D82eZvKYlo2C";
    public static final String FILE_ID = "file_0VcStsym9vzF9ECA4vx5E8Kz";
    public static final String LINK_ID = "link_0VcSuJdsu2qTrBdg6JoAtYcZ";
    public static final String LINK_TOKEN = "WNZS1kkHJztBuR2PdLBJV79WzOexKhgP";
    public static final String EXPIRED_LINK_ID = "link_0VZo7KHGzfLcZrrkGPwTdbb6";
    public static final String EXPIRED_LINK_TOKEN = "tBDWBugHfPtQsEuqYb8YwIwT2EK7dr5X";
    public static final String FILENAME = "delivery-receipt.pdf";

    private SampleData() {}

    /** A small, well-formed PDF. */
    public static byte[] contents() {
        return ("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n"
                + "% sample contents for the events in events/\n%%EOF\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Seeds what is missing and leaves what is there, so running it twice is harmless. */
    public static void seed(AwsClients aws, String table, String bucket, Clock clock) {
        new ApiKeys(new DynamoApiKeyStore(aws.dynamo(), table), new DynamoConnectionStore(aws.dynamo(), table), clock)
                .register(KEY, ACCOUNT, null);
        Tenant tenant = new Tenant(ACCOUNT, false);
        FileStore files = new DynamoFileStore(aws.dynamo(), table, Config.listsTable(table));
        LinkStore links = new DynamoLinkStore(aws.dynamo(), table, Config.listsTable(table));
        long now = clock.instant().getEpochSecond();
        long day = Duration.ofDays(1).toSeconds();
        FileRecord file = files.find(tenant, FILE_ID).orElse(null);
        if (file == null) {
            Purpose purpose = Purpose.DISPUTE_EVIDENCE;
            byte[] bytes = contents();
            file = new FileRecord(FILE_ID, tenant, purpose, FileType.PDF, FileType.PDF.mimeType(),
                    bytes.length, FILENAME, null, now, now + purpose.expiresAfter().toSeconds(),
                    FileService.blobKey(tenant, FILE_ID, purpose.expiresAfter()), false);
            new S3BlobStore(aws.s3(), bucket, clock).put(file.blobKey(), Bytes.of(bytes), file.contentType());
            files.insert(file);
        }
        if (links.find(tenant, LINK_ID).isEmpty()) {
            links.insert(new LinkRecord(LINK_ID, tenant, FILE_ID, now, null, Map.of(), LINK_TOKEN, 1), file);
        }
        if (links.find(tenant, EXPIRED_LINK_ID).isEmpty()) {
            links.insert(new LinkRecord(EXPIRED_LINK_ID, tenant, FILE_ID, now - 2 * day, now - day, Map.of(),
                    EXPIRED_LINK_TOKEN, 1), file);
        }
    }
}
