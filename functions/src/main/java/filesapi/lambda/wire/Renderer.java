package filesapi.lambda.wire;

import filesapi.core.Page;
import filesapi.core.files.FileRecord;
import filesapi.core.files.FileService;
import filesapi.core.links.LinkRecord;
import filesapi.core.links.LinkService;
import filesapi.core.uploads.UploadService;
import filesapi.core.uploads.UploadSession;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders files and links with their expansions. A file embeds the first page of its links (one Query); in a list of
 * files that would be one Query per item, so list items carry {@code links: null} unless {@code data.links} is
 * expanded.
 */
public final class Renderer {
    private final FileService files;
    private final LinkService links;
    private final Clock clock;

    public Renderer(FileService files, LinkService links, Clock clock) {
        this.files = files;
        this.links = links;
        this.clock = clock;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    /** A file with its links; {@code expand} relative to the file ({@code links}, {@code links.data.file}). */
    public Map<String, Object> file(FileRecord f, String baseUrl, Set<String> expand) {
        Page<LinkRecord> page = links.linksOf(f.tenant(), f.id());
        boolean expandFiles = expand.contains("links.data.file");
        List<Map<String, Object>> data = page.data().stream()
                .map(l -> LinkJson.render(l, expandFiles ? FileJson.render(f, baseUrl, null) : l.fileId(), baseUrl,
                        now()))
                .toList();
        return FileJson.render(f, baseUrl, FileJson.links(f.id(), data, page.hasMore()));
    }

    /** A file just created, whose only possible link is {@code link}. */
    public Map<String, Object> newFile(FileRecord f, LinkRecord link, String baseUrl, Set<String> expand) {
        List<Map<String, Object>> data = link == null ? List.of()
                : List.of(LinkJson.render(link, expand.contains("links.data.file")
                        ? FileJson.render(f, baseUrl, null) : link.fileId(), baseUrl, now()));
        return FileJson.render(f, baseUrl, FileJson.links(f.id(), data, false));
    }

    public Map<String, Object> fileList(Page<FileRecord> page, String baseUrl, Set<String> expand) {
        boolean withLinks = expand.contains("data.links") || expand.contains("data.links.data.file");
        Set<String> inner = expand.contains("data.links.data.file") ? Set.of("links.data.file") : Set.of();
        List<Map<String, Object>> data = page.data().stream()
                .map(f -> withLinks ? file(f, baseUrl, inner) : FileJson.render(f, baseUrl, null))
                .toList();
        return ListJson.of("/v1/files", data, page.hasMore());
    }

    /** A link; with {@code file} expanded, the file object (its own links not embedded, to stop the recursion). */
    public Map<String, Object> link(LinkRecord l, String baseUrl, Set<String> expand) {
        Object file = l.fileId();
        if (expand.contains("file")) {
            file = files.find(l.tenant(), l.fileId()).map(f -> (Object) FileJson.render(f, baseUrl, null))
                    .orElse(l.fileId());
        }
        return LinkJson.render(l, file, baseUrl, now());
    }

    public Map<String, Object> linkList(Page<LinkRecord> page, String url, String baseUrl, Set<String> expand) {
        Set<String> inner = expand.contains("data.file") ? Set.of("file") : Set.of();
        return ListJson.of(url, page.data().stream().map(l -> link(l, baseUrl, inner)).toList(), page.hasMore());
    }

    /** A file upload; with {@code file} expanded, its file with its links ({@code file.links.data.file} too). */
    public Map<String, Object> fileUpload(UploadSession s, UploadService.UploadUrl url, String baseUrl,
                                          Set<String> expand) {
        if (s.fileId() == null || !expand.contains("file")) {
            return FileUploadJson.render(s, url, s.fileId());
        }
        Set<String> inner = new LinkedHashSet<>();
        for (String path : expand) {
            if (path.startsWith("file.")) {
                inner.add(path.substring("file.".length()));
            }
        }
        return FileUploadJson.render(s, url, files.find(s.tenant(), s.fileId())
                .map(f -> (Object) file(f, baseUrl, inner)).orElse(s.fileId()));
    }
}
