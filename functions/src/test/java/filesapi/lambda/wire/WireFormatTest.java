package filesapi.lambda.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.ContentDisposition;
import filesapi.core.Ids;
import filesapi.core.Json;
import filesapi.core.StripeError;
import filesapi.lambda.ApiResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class WireFormatTest {
    public static byte[] multipart(String boundary, String... partsAndBodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < partsAndBodies.length; i += 2) {
            out.writeBytes(("--" + boundary + "\r\n" + partsAndBodies[i] + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(partsAndBodies[i + 1].getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void multipartSeparatesTheFileFromTextParameters() {
        byte[] body = multipart("XyZ",
                "Content-Disposition: form-data; name=\"purpose\"", "dispute_evidence",
                "Content-Disposition: form-data; name=\"file\"; filename=\"\u00e9t\u00e9.png\"\r\nContent-Type: null",
                "\u0089PNG\r\n\u001a\n\u0000\u00ff",
                "Content-Disposition: form-data; name=\"expand[0]\"", "links");
        Multipart.Form form = Multipart.decode(body, "multipart/form-data; boundary=XyZ");
        assertEquals(Map.entry("purpose", "dispute_evidence"), form.fields().get(0));
        assertEquals(Map.entry("expand[0]", "links"), form.fields().get(1));
        assertEquals(1, form.files().size());
        Multipart.FilePart file = form.files().get(0);
        assertEquals("été.png", file.filename());
        assertArrayEquals("\u0089PNG\r\n\u001a\n\u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1), file.bytes());
    }

    @Test
    void truncatedOrBoundarylessMultipartIsAStripeError() {
        byte[] body = multipart("XyZ", "Content-Disposition: form-data; name=\"purpose\"", "dispute_evidence");
        byte[] truncated = java.util.Arrays.copyOf(body, body.length - 12);
        StripeError e = assertThrows(StripeError.class,
                () -> Multipart.decode(truncated, "multipart/form-data; boundary=XyZ"));
        assertEquals(400, e.status());
        assertEquals(400, assertThrows(StripeError.class,
                () -> Multipart.decode(body, "multipart/form-data")).status());
    }

    @Test
    void quotedFileNamesKeepTheirEscapedQuotesAndSemicolons() {
        byte[] body = multipart("XyZ",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a\\\"b;c.pdf\"", "%PDF-1.4");
        assertEquals("a\"b;c.pdf", Multipart.decode(body, "multipart/form-data; boundary=XyZ").files().get(0)
                .filename());
    }

    @Test
    void bareLineFeedsPreamblesAndHeaderCaseAreAccepted() {
        String type = "multipart/form-data; boundary=b";
        for (String body : new String[] {
                "--b\nContent-Disposition: form-data; name=\"purpose\"\n\nx\n--b--\n",
                "preamble\r\n--b\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nx\r\n--b--\r\nepilogue",
                "--b\r\ncontent-disposition: FORM-DATA; NAME=purpose\r\n\r\nx\r\n--b--"}) {
            assertEquals(java.util.List.of(Map.entry("purpose", "x")),
                    Multipart.decode(body.getBytes(StandardCharsets.US_ASCII), type).fields(), body);
        }
    }

    @Test
    void aPartThatSaysItIsMultipartIsContentsNotMoreParts() {
        String inner = "--in\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ny\r\n--in--";
        byte[] body = multipart("XyZ",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                        + "Content-Type: multipart/mixed; boundary=in", inner);
        Multipart.Form form = Multipart.decode(body, "multipart/form-data; boundary=XyZ");
        assertEquals(1, form.files().size());
        assertArrayEquals(inner.getBytes(StandardCharsets.ISO_8859_1), form.files().get(0).bytes());
        assertTrue(form.fields().isEmpty());
    }

    @Test
    void aLargeFileWithoutLineBreaksIsReadWhole() {
        char[] big = new char[3 * 1024 * 1024];
        java.util.Arrays.fill(big, 'a');
        byte[] body = multipart("----b0undary",
                "Content-Disposition: form-data; name=\"purpose\"", "dispute_evidence",
                "Content-Disposition: form-data; name=\"file\"; filename=\"a.csv\"", new String(big));
        Multipart.Form form = Multipart.decode(body, "multipart/form-data; boundary=----b0undary");
        assertEquals(big.length, form.files().get(0).bytes().length);
        assertEquals(Map.entry("purpose", "dispute_evidence"), form.fields().get(0));
    }

    @Test
    void malformedBodiesAreStripeErrorsNotCrashes() {
        String type = "multipart/form-data; boundary=XyZ";
        byte[] noName = multipart("XyZ", "Content-Disposition: form-data", "x");
        byte[] notFormData = multipart("XyZ", "Content-Disposition: attachment; name=\"purpose\"", "x");
        byte[] noHeaders = "--XyZ\r\nno colon here\r\n\r\nx\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] openedNotClosed = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ\r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] hugeHeader = multipart("XyZ", "Content-Disposition: form-data; name=\"" + "n".repeat(20_000) + "\"",
                "x");
        for (byte[] body : new byte[][] {noName, notFormData, noHeaders, openedNotClosed, hugeHeader, new byte[0]}) {
            StripeError e = assertThrows(StripeError.class, () -> Multipart.decode(body, type),
                    new String(body, 0, Math.min(body.length, 60), StandardCharsets.ISO_8859_1));
            assertEquals(400, e.status());
            assertTrue(e.getMessage().startsWith("Invalid multipart/form-data body: "), e.getMessage());
            assertFalse(e.getMessage().contains(".."), e.getMessage());
        }
        assertEquals(400, assertThrows(StripeError.class,
                () -> Multipart.decode(noName, "multipart/form-data; boundary=" + "b".repeat(201))).status());
        // A carriage return last made mime4j index past the end; one inside made it throw for header injection.
        for (String header : new String[] {"multipart/form-data; boundary=XyZ\r", "multipart/form-data;\r boundary=XyZ",
            "multipart/form-data; boundary=XyZ\n", "multipart/form-data; boundary=Xy\u0000Z"}) {
            assertEquals(400, assertThrows(StripeError.class, () -> Multipart.decode(noName, header)).status(), header);
        }
    }

    @Test
    void expandAcceptsDeclaredPathsAndNamesTheOneItCannot() {
        Set<String> allowed = Set.of("links", "links.data.file");
        Params ok = Params.of(Params.decodeUrlEncoded("expand[]=links.data.file"));
        assertEquals(Set.of("links.data.file"), Expand.parse(ok, allowed, false));
        StripeError bad = assertThrows(StripeError.class,
                () -> Expand.parse(Params.of(Params.decodeUrlEncoded("expand[]=links.data.nope")), allowed, false));
        assertEquals("This property cannot be expanded (nope).", bad.getMessage());
        StripeError deep = assertThrows(StripeError.class,
                () -> Expand.parse(Params.of(Params.decodeUrlEncoded("expand[]=a.b.c.d.e")), allowed, false));
        assertEquals("You cannot expand more than 4 levels of a property.", deep.getMessage());
        StripeError list = assertThrows(StripeError.class, () -> Expand.parse(
                Params.of(Params.decodeUrlEncoded("expand[]=links")), Expand.underData(allowed), true));
        assertTrue(list.getMessage().endsWith("You may want to try expanding 'data.links' instead."));
    }

    @Test
    void contentDispositionIsSafeForHeadersAndSignatures() {
        assertEquals("attachment; filename=\"report.pdf\"", ContentDisposition.attachment("report.pdf"));
        String tricky = ContentDisposition.attachment("a\"b\r\nSet-Cookie: x/..\\été.pdf");
        assertFalse(tricky.contains("\r") || tricky.contains("\n"));
        assertTrue(tricky.startsWith("attachment; filename=\"a_b__Set-Cookie: x_.._"));
        assertTrue(tricky.contains("filename*=UTF-8''a%22b%0D%0ASet-Cookie%3A%20x%2F..%5C%C3%A9t%C3%A9.pdf"));
    }

    @Test
    void errorsRenderStripesShape() {
        ApiResponse r = ApiResponse.error(StripeError.resourceMissing("file", "file", "file_x"));
        String json = new String(r.body(), StandardCharsets.UTF_8);
        assertEquals(404, r.status());
        assertTrue(json.contains("\"code\": \"resource_missing\""));
        assertTrue(json.contains("\"doc_url\": \"https://stripe.com/docs/error-codes/resource-missing\""));
        assertTrue(json.contains("\"message\": \"No such file: 'file_x'\""));
        assertTrue(json.contains("\"type\": \"invalid_request_error\""));
    }

    @Test
    void idsSortByTimeAndLookLikeStripes() {
        String a = Ids.newId("file_", 1_700_000_000_000L);
        String b = Ids.newId("file_", 1_700_000_000_001L);
        assertEquals(29, a.length());
        assertTrue(a.compareTo(b) < 0);
        assertTrue(Ids.looksLike(a, "file_"));
        assertFalse(Ids.looksLike("file_../x", "file_"));
        assertTrue(Ids.requestId().matches("req_[0-9A-Za-z]{14}"));
    }

    @Test
    void jsonIsLaidOutAsStripeLaysItOut() {
        Map<String, Object> file = new java.util.LinkedHashMap<>();
        file.put("id", "file_1");
        file.put("size", 12L);
        file.put("title", null);
        file.put("metadata", Map.of());
        file.put("data", java.util.List.of());
        file.put("has_more", false);
        assertEquals("""
                {
                  "id": "file_1",
                  "size": 12,
                  "title": null,
                  "metadata": {},
                  "data": [],
                  "has_more": false
                }""", new String(Json.pretty(file), StandardCharsets.UTF_8));
        assertEquals("{\"a\":[1,\"\\u0000\"]}", Json.compact(Map.of("a", java.util.List.of(1, "\u0000"))));
        assertThrows(IllegalArgumentException.class, () -> Json.compact(Map.of("a", new Object())));
    }

    @Test
    void onlyOneWholeJsonValueIsJson() {
        assertTrue(Json.isJson("{\"a\": [1, 2, {\"b\": null}]}"));
        assertTrue(Json.isJson("[]"));
        assertFalse(Json.isJson(""));
        assertFalse(Json.isJson("{} {}"));
        assertFalse(Json.isJson("{\"a\": "));
        assertFalse(Json.isJson("[".repeat(2000) + "]".repeat(2000)), "Jackson's nesting limit holds");
    }

    @Test
    void aTopLevelStringIsReadPastNestedObjectsOfTheSameName() {
        String file = "{\"links\": {\"id\": \"nested\", \"data\": [{\"id\": \"x\"}]}, \"id\": \"file_1\"}";
        assertEquals("file_1", Json.topLevelString(file, "id"));
        assertEquals(null, Json.topLevelString("{\"id\": 1}", "id"), "not a string");
        assertEquals(null, Json.topLevelString("{\"object\": \"file\"}", "id"));
        assertEquals(null, Json.topLevelString("[\"id\"]", "id"));
        assertEquals(null, Json.topLevelString("{\"id\": ", "id"), "malformed");
    }
}
