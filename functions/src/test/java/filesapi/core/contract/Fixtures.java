package filesapi.core.contract;

import filesapi.core.Ids;
import filesapi.core.ListWindow;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.files.FileType;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import java.util.Map;

/**
 * Records for the contract suites. Every test works in tenants of its own (random account ids), so one backing table
 * can serve every test of a suite, and tests never see each other's data.
 */
public final class Fixtures {
    private Fixtures() {}

    public static Tenant tenant() {
        return new Tenant("acct_" + Ids.token(16), false);
    }

    public static ListWindow all(int limit) {
        return new ListWindow(limit, 0, Long.MAX_VALUE, null, null);
    }

    public static FileRecord file(Tenant tenant, long created, Purpose purpose) {
        String id = Ids.newId("file_", created * 1000);
        return new FileRecord(id, tenant, purpose, FileType.PDF, "application/pdf", 1234, "report.pdf", null,
                created, null, FileService.blobKey(tenant, id, purpose.expiresAfter()), false);
    }

    public static LinkRecord link(FileRecord file, long created, Long expiresAt) {
        return new LinkRecord(Ids.newId("link_", created * 1000), file.tenant(), file.id(), created, expiresAt,
                Map.of(), Ids.token(32), 1);
    }
}
