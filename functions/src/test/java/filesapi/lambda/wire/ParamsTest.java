package filesapi.lambda.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import filesapi.core.ListRequest;
import filesapi.core.StripeError;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParamsTest {
    private static Params parse(String query) {
        return Params.of(Params.decodeUrlEncoded(query));
    }

    @Test
    void decodesBracketsArraysAndNestedObjects() {
        Params p = parse("expand[]=links&expand[]=data.file&created[gte]=10&metadata[order+id]=a%26b&limit=3");
        assertEquals(List.of("links", "data.file"), p.stringList("expand"));
        assertEquals(10L, p.object("created").integer("gte"));
        assertEquals(Map.of("order id", "a&b"), p.object("metadata").stringMap());
        assertEquals(3L, p.integer("limit"));
        assertNull(p.string("missing"));
    }

    @Test
    void acceptsSequentialIndexedArraysAsStripeJavaSendsThem() {
        assertEquals(List.of("a", "b"), parse("expand[0]=a&expand[1]=b").stringList("expand"));
    }

    @Test
    void rejectsIndexedArraysThatDoNotStartAtZero() {
        StripeError e = assertThrows(StripeError.class, () -> parse("expand[1]=a").stringList("expand"));
        assertEquals("expand", e.param());
        assertTrue(e.getMessage().contains("You passed the keys `1`, we expected to have a key with the value `0`."));
    }

    @Test
    void unknownParameterNamesTheFirstOneWithItsNesting() {
        StripeError top = assertThrows(StripeError.class, () -> parse("limit=1&bogus=2").allowOnly(Set.of("limit")));
        assertEquals("parameter_unknown", top.code());
        assertEquals("bogus", top.param());
        assertEquals("Received unknown parameter: bogus", top.getMessage());
        StripeError nested = assertThrows(StripeError.class,
                () -> parse("created[gte]=1&created[after]=2").object("created").allowOnly(Set.of("gte")));
        assertEquals("created[after]", nested.param());
    }

    @Test
    void badIntegersAndBadEncodingAreStripeErrors() {
        StripeError integer = assertThrows(StripeError.class, () -> parse("limit=ten").integer("limit"));
        assertEquals("parameter_invalid_integer", integer.code());
        assertEquals(400, integer.status());
        StripeError encoding = assertThrows(StripeError.class, () -> parse("limit=%zz"));
        assertEquals(400, encoding.status());
    }

    @Test
    void aValueAndAnObjectUnderOneNameConflict() {
        StripeError e = assertThrows(StripeError.class, () -> parse("created=1&created[gte]=2"));
        assertEquals("created", e.param());
    }

    @Test
    void emptyStringWhereAValueIsRequiredIsRefused() {
        StripeError e = assertThrows(StripeError.class, () -> parse("starting_after=").nonEmptyString("starting_after"));
        assertEquals("parameter_invalid_empty", e.code());
    }

    @Test
    void listRequestParsesLimitCursorsAndCreatedRanges() {
        ListRequest r = ListParams.parse(parse("limit=5&created[gt]=100&created[lte]=200"));
        assertEquals(5, r.limit());
        assertEquals(101, r.createdFrom());
        assertEquals(201, r.createdTo());
        ListRequest exact = ListParams.parse(parse("created=150"));
        assertEquals(150, exact.createdFrom());
        assertEquals(151, exact.createdTo());
        assertEquals(10, ListParams.parse(parse("")).limit());
        assertEquals("limit", assertThrows(StripeError.class, () -> ListParams.parse(parse("limit=0"))).param());
        assertEquals("limit", assertThrows(StripeError.class, () -> ListParams.parse(parse("limit=101"))).param());
        assertEquals("parameters_exclusive", assertThrows(StripeError.class,
                () -> ListParams.parse(parse("starting_after=file_a&ending_before=file_b"))).code());
    }
}
