package filesapi.core.files;

/** The formats the API recognises, with the short {@code type} Stripe reports and the MIME type served. */
public enum FileType {
    PDF("pdf", "application/pdf"),
    PNG("png", "image/png"),
    JPG("jpg", "image/jpeg"),
    GIF("gif", "image/gif"),
    SVG("svg", "image/svg+xml"),
    CSV("csv", "text/csv"),
    TXT("txt", "text/plain"),
    MARKDOWN("md", "text/markdown"),
    JSON("json", "application/json"),
    PEM("pem", "application/x-pem-file"),
    DOCX("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    XLSX("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    APK("apk", "application/vnd.android.package-archive"),
    ZIP("zip", "application/zip");

    private final String type;
    private final String mimeType;

    FileType(String type, String mimeType) {
        this.type = type;
        this.mimeType = mimeType;
    }

    public String type() {
        return type;
    }

    public String mimeType() {
        return mimeType;
    }

    public static FileType fromType(String type) {
        for (FileType t : values()) {
            if (t.type.equals(type)) {
                return t;
            }
        }
        return null;
    }
}
