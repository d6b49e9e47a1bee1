package filesapi.core.files;

import filesapi.core.Bytes;

/** An uploaded file as the client sent it: its name and declared type (either may be null) and its contents. */
public record UploadedFile(String filename, String contentType, Bytes contents) {}
