package filesapi.core.files;

import static filesapi.core.files.FileType.APK;
import static filesapi.core.files.FileType.CSV;
import static filesapi.core.files.FileType.DOCX;
import static filesapi.core.files.FileType.GIF;
import static filesapi.core.files.FileType.JPG;
import static filesapi.core.files.FileType.JSON;
import static filesapi.core.files.FileType.MARKDOWN;
import static filesapi.core.files.FileType.PDF;
import static filesapi.core.files.FileType.PEM;
import static filesapi.core.files.FileType.PNG;
import static filesapi.core.files.FileType.SVG;
import static filesapi.core.files.FileType.TXT;
import static filesapi.core.files.FileType.XLSX;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Stripe's file purposes and their rules (spec section 5.3). Sizes are decimal, as Stripe's guide prints them; the
 * splash screen's 4.194304MB is exactly 4 MiB. Purposes Stripe creates itself cannot be uploaded.
 */
public enum Purpose {
    ACCOUNT_REQUIREMENT(true, false, false, 64_000_000, null, PDF, JPG, PNG),
    ADDITIONAL_VERIFICATION(true, false, false, 16_000_000, null, PDF, JPG, PNG),
    BUSINESS_ICON(true, true, true, 512_000, null, JPG, PNG, GIF),
    BUSINESS_LOGO(true, true, true, 512_000, null, JPG, PNG, GIF),
    CUSTOMER_SIGNATURE(true, true, true, 4_000_000, Duration.ofDays(7), JPG, PNG, SVG),
    DISPUTE_EVIDENCE(true, true, true, 5_000_000, Duration.ofDays(270), PDF, JPG, PNG),
    DOCUMENT_PROVIDER_IDENTITY_DOCUMENT(false, false, false, 0, null),
    FINANCE_REPORT_RUN(false, true, true, 0, null),
    FINANCIAL_ACCOUNT_STATEMENT(false, true, true, 0, null),
    IDENTITY_DOCUMENT(true, false, false, 32_000_000, null, PDF, JPG, PNG),
    IDENTITY_DOCUMENT_DOWNLOADABLE(false, true, true, 0, null),
    ISSUING_REGULATORY_REPORTING(true, true, true, 256_000, Duration.ofDays(730), JSON),
    PCI_DOCUMENT(true, true, true, 16_000_000, null, PDF),
    PLATFORM_TERMS_OF_SERVICE(true, false, false, 64_000_000, null, PDF, TXT, MARKDOWN),
    SELFIE(false, true, true, 0, null),
    SIGMA_SCHEDULED_QUERY(false, true, true, 0, null),
    TAX_DOCUMENT_USER_UPLOAD(true, true, true, 16_000_000, null, PDF, CSV, JPG, PNG, XLSX, DOCX),
    TERMINAL_ANDROID_APK(true, true, true, 200_000_000, Duration.ofDays(183), APK),
    TERMINAL_READER_SPLASHSCREEN(true, true, true, 4_194_304, Duration.ofDays(365), PNG, JPG, GIF),
    TERMINAL_WIFI_CERTIFICATE(true, false, false, 100_000, null, PEM),
    TERMINAL_WIFI_PRIVATE_KEY(true, false, false, 100_000, null, PEM);

    private final boolean uploadable;
    private final boolean downloadable;
    private final boolean linkable;
    private final long maxBytes;
    private final Duration expiresAfter;
    private final Set<FileType> types;

    Purpose(boolean uploadable, boolean downloadable, boolean linkable, long maxBytes, Duration expiresAfter,
            FileType... types) {
        this.uploadable = uploadable;
        this.downloadable = downloadable;
        this.linkable = linkable;
        this.maxBytes = maxBytes;
        this.expiresAfter = expiresAfter;
        this.types = types.length == 0 ? Set.of() : EnumSet.of(types[0], types);
    }

    public String wireName() {
        return name().toLowerCase();
    }

    public boolean uploadable() { return uploadable; }
    public boolean downloadable() { return downloadable; }
    public boolean linkable() { return linkable; }
    public long maxBytes() { return maxBytes; }
    public Duration expiresAfter() { return expiresAfter; }
    public Set<FileType> types() { return types; }

    public static Purpose fromWire(String value) {
        for (Purpose p : values()) {
            if (p.wireName().equals(value)) {
                return p;
            }
        }
        return null;
    }

    public static String uploadableList() {
        return Stream.of(values()).filter(Purpose::uploadable).map(Purpose::wireName).collect(Collectors.joining(", "));
    }

    public static String allList() {
        return Stream.of(values()).map(Purpose::wireName).collect(Collectors.joining(", "));
    }
}
