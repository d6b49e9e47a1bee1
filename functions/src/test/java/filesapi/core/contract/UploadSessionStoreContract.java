package filesapi.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.Ids;
import filesapi.core.StripeError;
import filesapi.core.Tenant;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileStore;
import filesapi.core.files.Purpose;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkRequest;
import filesapi.core.links.LinkStore;
import filesapi.core.uploads.UploadService;
import filesapi.core.uploads.UploadSession;
import filesapi.core.uploads.UploadSessionStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link UploadSessionStore} does: the fake, and DynamoUploadSessionStore on each backend. */
public abstract class UploadSessionStoreContract {
    /** The store under test; it may share its table with other tests, which use other tenants. */
    protected abstract UploadSessionStore newStore();

    /** The files the store under test writes when it completes a session. */
    protected abstract FileStore files();

    /** The links the store under test writes when it completes a session that asked for one. */
    protected abstract LinkStore links();

    protected UploadSessionStore store;
    protected Tenant tenant;

    @BeforeEach
    public void setUpStore() {
        store = newStore();
        tenant = Fixtures.tenant();
    }

    private UploadSession open(LinkRequest link, Map<String, String> metadata) {
        long created = 1_700_000_000L;
        String id = Ids.newId("fupl_", created * 1000);
        return new UploadSession(id, tenant, Purpose.TERMINAL_ANDROID_APK, "app ü.apk", 40_000_000L, created,
                created + 3600, UploadService.uploadKey(tenant, id), UploadSession.Status.OPEN, null, null, link,
                metadata, false);
    }

    @Test
    public void aSessionReadsBackAsItWasStored() {
        UploadSession plain = open(null, Map.of());
        UploadSession full = new UploadSession(open(null, Map.of()).id(), tenant, Purpose.IDENTITY_DOCUMENT, null, 1,
                1_700_000_001L, 1_700_003_601L, "uploads/x", UploadSession.Status.OPEN, null, null,
                new LinkRequest(1_800_000_000L, Map.of("k", "v")), Map.of("order", "42"), true);
        UploadSession linkForever = open(new LinkRequest(null, Map.of()), Map.of());
        for (UploadSession s : List.of(plain, full, linkForever)) {
            store.insert(s);
            assertEquals(Optional.of(s), store.find(tenant, s.id()));
        }
    }

    @Test
    public void idsArePerTenantAndTakenOnce() {
        UploadSession session = open(null, Map.of());
        store.insert(session);
        assertThrows(IllegalStateException.class, () -> store.insert(session));
        assertEquals(Optional.empty(), store.find(Fixtures.tenant(), session.id()));
        assertEquals(Optional.empty(), store.find(tenant, "fupl_doesnotexist"));
    }

    @Test
    public void completingStoresTheFileOnceAndOnlyWhileOpen() {
        UploadSession session = open(null, Map.of());
        store.insert(session);
        FileRecord file = Fixtures.file(tenant, 1_700_000_100L, Purpose.TERMINAL_ANDROID_APK);
        assertTrue(store.complete(session.completed(file.id()), file, null));
        assertEquals(Optional.of(session.completed(file.id())), store.find(tenant, session.id()));
        assertEquals(Optional.of(file), files().find(tenant, file.id()));

        FileRecord second = Fixtures.file(tenant, 1_700_000_200L, Purpose.TERMINAL_ANDROID_APK);
        assertFalse(store.complete(session.completed(second.id()), second, null), "a session completes once");
        assertEquals(Optional.empty(), files().find(tenant, second.id()), "the loser's file is not stored");
        assertFalse(store.fail(session.failed(StripeError.invalid("late", "file"))));
        assertEquals(Optional.of(session.completed(file.id())), store.find(tenant, session.id()));
    }

    @Test
    public void completingWithALinkStoresTheLinkWithTheFileAndOnlyForTheWinner() {
        UploadSession session = open(new LinkRequest(1_800_000_000L, Map.of("k", "v")), Map.of());
        store.insert(session);
        FileRecord file = Fixtures.file(tenant, 1_700_000_100L, Purpose.TERMINAL_ANDROID_APK);
        LinkRecord link = Fixtures.link(file, 1_700_000_100L, 1_800_000_000L);
        assertTrue(store.complete(session.completed(file.id()), file, link));
        assertEquals(Optional.of(file), files().find(tenant, file.id()));
        assertEquals(Optional.of(link), links().find(tenant, link.id()));
        assertEquals(file.blobKey(), links().findByToken(link.token()).orElseThrow().blobKey());

        FileRecord second = Fixtures.file(tenant, 1_700_000_200L, Purpose.TERMINAL_ANDROID_APK);
        LinkRecord secondLink = Fixtures.link(second, 1_700_000_200L, null);
        assertFalse(store.complete(session.completed(second.id()), second, secondLink));
        assertEquals(Optional.empty(), files().find(tenant, second.id()));
        assertEquals(Optional.empty(), links().find(tenant, secondLink.id()), "the loser's link is not stored");
        assertEquals(Optional.empty(), links().findByToken(secondLink.token()));
    }

    @Test
    public void aFailureIsKeptAndFinal() {
        UploadSession session = open(new LinkRequest(1_800_000_000L, Map.of()), Map.of("k", "v"));
        store.insert(session);
        UploadSession failed = session.failed(StripeError.invalid("We don't currently support that file type.",
                "file"));
        assertTrue(store.fail(failed));
        assertEquals(Optional.of(failed), store.find(tenant, session.id()));
        assertEquals("file", store.find(tenant, session.id()).orElseThrow().failure().toError().param());
        FileRecord file = Fixtures.file(tenant, 1_700_000_100L, Purpose.TERMINAL_ANDROID_APK);
        assertFalse(store.complete(session.completed(file.id()), file, null));
        assertFalse(store.fail(session.failed(StripeError.invalid("again", "size"))));
        assertEquals(Optional.of(failed), store.find(tenant, session.id()));
        assertEquals(Optional.empty(), files().find(tenant, file.id()));
    }

    @Test
    public void aSessionThatDoesNotExistNeitherCompletesNorFails() {
        UploadSession never = open(null, Map.of());
        FileRecord file = Fixtures.file(tenant, 1_700_000_100L, Purpose.TERMINAL_ANDROID_APK);
        assertFalse(store.complete(never.completed(file.id()), file, null));
        assertFalse(store.fail(never.failed(StripeError.invalid("x", "file"))));
        assertEquals(Optional.empty(), store.find(tenant, never.id()));
    }
}
