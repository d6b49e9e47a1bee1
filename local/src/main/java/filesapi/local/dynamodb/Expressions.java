package filesapi.local.dynamodb;

import static filesapi.local.dynamodb.InMemoryDynamoDb.validation;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The part of DynamoDB's expression language our code issues, for {@link InMemoryDynamoDb}: comparisons, BETWEEN,
 * AND/OR/NOT, {@code attribute_exists}, {@code attribute_not_exists}, {@code begins_with}, and SET/REMOVE updates. An
 * instance parses the expressions of one request, sharing its ExpressionAttributeNames/Values (all of which must be
 * used, as DynamoDB demands). A reserved word used as a bare attribute name is refused as DynamoDB refuses it;
 * DynamoDB syntax outside that subset fails with {@link UnsupportedOperationException}, never silently.
 */
final class Expressions {
    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new HashSet<>();
    private final Set<String> usedValues = new HashSet<>();
    /** DynamoDB's documented reserved words (case-insensitive). */
    private static final Set<String> RESERVED = reservedWords();

    private static Set<String> reservedWords() {
        try (var in = Expressions.class.getResourceAsStream("reserved-words.txt")) {
            String text = new String(Objects.requireNonNull(in, "reserved-words.txt").readAllBytes(), StandardCharsets.UTF_8);
            return Set.of(text.trim().split("\\s+"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Expressions(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names == null ? Map.of() : names;
        this.values = values == null ? Map.of() : values;
        this.values.values().forEach(InMemoryDynamoDb::validateValue);
    }

    Condition condition(String text, String kind) {
        if (text == null) return null;
        Parser parser = new Parser(text, kind);
        Condition condition = parser.or();
        parser.expectEnd();
        return condition;
    }

    List<UpdateAction> update(String text) {
        if (text == null) return List.of();
        List<UpdateAction> actions = new Parser(text, "UpdateExpression").updateActions();
        for (int i = 0; i < actions.size(); i++) {
            for (int j = i + 1; j < actions.size(); j++) {
                if (actions.get(i).path().overlaps(actions.get(j).path())) {
                    throw validation("Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths");
                }
            }
        }
        return actions;
    }

    List<DocPath> projection(String text) {
        if (text == null) return null;
        Parser parser = new Parser(text, "ProjectionExpression");
        List<DocPath> paths = new ArrayList<>();
        do paths.add(parser.path()); while (parser.accept(","));
        parser.expectEnd();
        return paths;
    }

    void checkAllUsed() {
        Set<String> unusedNames = new TreeSet<>(names.keySet());
        unusedNames.removeAll(usedNames);
        if (!unusedNames.isEmpty()) throw validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + String.join(", ", unusedNames) + "}");
        Set<String> unusedValues = new TreeSet<>(values.keySet());
        unusedValues.removeAll(usedValues);
        if (!unusedValues.isEmpty()) throw validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + String.join(", ", unusedValues) + "}");
    }

    /** Recursive descent over DynamoDB's grammar; precedence from loosest: OR, AND, NOT, then comparisons. */
    private final class Parser {
        private static final Set<String> COMPARATORS = Set.of("=", "<>", "<", "<=", ">", ">=");
        private static final Set<String> FUNCTIONS = Set.of("attribute_exists", "attribute_not_exists", "begins_with");
        /** DynamoDB functions and operators our code never issues. */
        private static final Set<String> UNSUPPORTED = Set.of("attribute_type", "contains", "size", "if_not_exists", "list_append");
        private final String kind;
        private final List<String> tokens = new ArrayList<>();
        private int position;

        Parser(String text, String kind) {
            this.kind = kind;
            if (text.isBlank()) throw validation("Invalid " + kind + ": The expression can not be empty;");
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                int start = i;
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == '#' || c == ':' || isWordChar(c)) {
                    i++;
                    while (i < text.length() && isWordChar(text.charAt(i))) i++;
                    if (i == start + 1 && !isWordChar(c)) throw syntaxError(String.valueOf(c));
                } else if (text.startsWith("<>", i) || text.startsWith("<=", i) || text.startsWith(">=", i)) {
                    i += 2;
                } else if ("()[],.=<>+-".indexOf(c) >= 0) {
                    i++;
                } else {
                    throw syntaxError(String.valueOf(c));
                }
                tokens.add(text.substring(start, i));
            }
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }

        private DynamoDbException syntaxError(String token) {
            return validation("Invalid " + kind + ": Syntax error; token: \"" + token + "\"");
        }

        private String peek(int ahead) {
            return position + ahead < tokens.size() ? tokens.get(position + ahead) : null;
        }

        private String next() {
            if (position >= tokens.size()) throw syntaxError("<EOF>");
            return tokens.get(position++);
        }

        boolean accept(String token) {
            if (token.equalsIgnoreCase(peek(0))) {
                position++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            String actual = next();
            if (!token.equalsIgnoreCase(actual)) throw syntaxError(actual);
        }

        void expectEnd() {
            if (position < tokens.size()) throw syntaxError(tokens.get(position));
        }

        Condition or() {
            Condition condition = and();
            while (accept("OR")) condition = new Or(condition, and());
            return condition;
        }

        private Condition and() {
            Condition condition = not();
            while (accept("AND")) condition = new And(condition, not());
            return condition;
        }

        private Condition not() {
            return accept("NOT") ? new Not(not()) : comparison();
        }

        private Condition comparison() {
            if (accept("(")) {
                Condition inner = or();
                expect(")");
                return inner;
            }
            String token = peek(0);
            if (token != null && UNSUPPORTED.contains(token) && "(".equals(peek(1))) throw unsupported(token);
            if (token != null && FUNCTIONS.contains(token) && "(".equals(peek(1))) {
                position += 2;
                DocPath path = path();
                Operand argument = null;
                if (token.equals("begins_with")) {
                    expect(",");
                    argument = operand();
                }
                expect(")");
                return new Function(token, path, argument);
            }
            Operand left = operand();
            if (accept("BETWEEN")) {
                Operand low = operand();
                expect("AND");
                Operand high = operand();
                if (low instanceof Literal lo && high instanceof Literal hi && orderable(lo.value(), hi.value())
                        && compareValues(lo.value(), hi.value()) > 0) {
                    throw validation("Invalid " + kind + ": The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "
                            + "lower bound operand: AttributeValue: {" + typeCode(lo.value()) + ":" + text(lo.value()) + "}, "
                            + "upper bound operand: AttributeValue: {" + typeCode(hi.value()) + ":" + text(hi.value()) + "}");
                }
                return new Between(left, low, high);
            }
            if ("IN".equalsIgnoreCase(peek(0))) throw unsupported("IN");
            String op = next();
            if (!COMPARATORS.contains(op)) throw syntaxError(op);
            return new Compare(left, op, operand());
        }

        private Operand operand() {
            String token = peek(0);
            if (token != null && token.startsWith(":")) return new Literal(value(next()));
            if (token != null && UNSUPPORTED.contains(token) && "(".equals(peek(1))) throw unsupported(token);
            return new PathRef(path());
        }

        private UnsupportedOperationException unsupported(String what) {
            return new UnsupportedOperationException(what + " in a " + kind + " is DynamoDB syntax this emulator does not implement: our code never issues it");
        }

        DocPath path() {
            List<PathElement> steps = new ArrayList<>();
            steps.add(new PathElement(name(next()), -1));
            while (true) {
                if (accept(".")) {
                    steps.add(new PathElement(name(next()), -1));
                } else if (accept("[")) {
                    String index = next();
                    if (!index.matches("\\d{1,9}")) throw syntaxError(index);
                    expect("]");
                    steps.add(new PathElement(null, Integer.parseInt(index)));
                } else {
                    return new DocPath(List.copyOf(steps));
                }
            }
        }

        private String name(String token) {
            if (token.startsWith("#")) {
                String name = names.get(token);
                if (name == null) throw validation("Invalid " + kind + ": An expression attribute name used in the document path is not defined; attribute name: " + token);
                usedNames.add(token);
                return name;
            }
            if (!Character.isLetter(token.charAt(0)) && token.charAt(0) != '_') throw syntaxError(token);
            if (RESERVED.contains(token.toUpperCase(Locale.ROOT))) {
                throw validation("Invalid " + kind + ": Attribute name is a reserved keyword; reserved keyword: " + token);
            }
            return token;
        }

        private AttributeValue value(String token) {
            AttributeValue value = values.get(token);
            if (value == null) throw validation("Invalid " + kind + ": An expression attribute value used in expression is not defined; attribute value: " + token);
            usedValues.add(token);
            return value;
        }

        List<UpdateAction> updateActions() {
            List<UpdateAction> actions = new ArrayList<>();
            Set<String> clauses = new HashSet<>();
            do {
                String clause = next().toUpperCase(Locale.ROOT);
                if (Set.of("ADD", "DELETE").contains(clause)) throw unsupported(clause);
                if (!Set.of("SET", "REMOVE").contains(clause)) throw syntaxError(clause);
                if (!clauses.add(clause)) throw validation("Invalid UpdateExpression: The \"" + clause + "\" section can only be used once in an update expression;");
                do {
                    DocPath path = path();
                    if (clause.equals("SET")) {
                        expect("=");
                        Operand value = operand();
                        if ("+".equals(peek(0)) || "-".equals(peek(0))) throw unsupported("arithmetic");
                        actions.add(new UpdateAction(clause, path, value));
                    } else {
                        actions.add(new UpdateAction(clause, path, null));
                    }
                } while (accept(","));
            } while (peek(0) != null);
            return actions;
        }

    }

    // ---------------------------------------------------------------- attribute values

    static String typeCode(AttributeValue value) {
        AttributeValue.Type type = value == null ? null : value.type();
        if (type == null || type == AttributeValue.Type.UNKNOWN_TO_SDK_VERSION) {
            throw validation("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
        }
        return type == AttributeValue.Type.NUL ? "NULL" : type.name();
    }

    /** A number as DynamoDB takes it: at most 38 significant digits, magnitude from 1E-130 to below 1E+126. */
    static BigDecimal number(AttributeValue value) {
        BigDecimal number;
        try {
            number = new BigDecimal(value.n());
        } catch (NumberFormatException e) {
            throw validation("The parameter cannot be converted to a numeric value: " + value.n());
        }
        if (number.signum() == 0) return number;
        BigDecimal digits = number.stripTrailingZeros();
        if (digits.precision() > 38) throw validation("Attempting to store more than 38 significant digits in a Number");
        int exponent = digits.precision() - digits.scale() - 1;
        if (exponent > 125) throw validation("Number overflow. Attempting to store a number with magnitude larger than supported range");
        if (exponent < -130) throw validation("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        return number;
    }

    /** A scalar as DynamoDB prints it in error messages. */
    static String text(AttributeValue value) {
        return switch (value.type()) {
            case S -> value.s();
            case N -> value.n();
            case B -> Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe());
            default -> value.toString();
        };
    }

    static Map<BigDecimal, String> numberSet(List<String> numbers) {
        Map<BigDecimal, String> set = new LinkedHashMap<>();
        numbers.forEach(n -> set.putIfAbsent(number(AttributeValue.fromN(n)).stripTrailingZeros(), n));
        return set;
    }


    static int compareValues(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type()) return a.type().compareTo(b.type());
        return switch (a.type()) {
            case N -> number(a).compareTo(number(b));
            case S -> Arrays.compareUnsigned(a.s().getBytes(StandardCharsets.UTF_8), b.s().getBytes(StandardCharsets.UTF_8));
            case B -> Arrays.compareUnsigned(a.b().asByteArrayUnsafe(), b.b().asByteArrayUnsafe());
            default -> throw new IllegalArgumentException("Not an ordered type: " + a.type());
        };
    }

    static boolean orderable(AttributeValue a, AttributeValue b) {
        return a.type() == b.type() && Set.of(AttributeValue.Type.S, AttributeValue.Type.N, AttributeValue.Type.B).contains(a.type());
    }

    static boolean valuesEqual(AttributeValue a, AttributeValue b) {
        if (a.type() != b.type()) return false;
        return switch (a.type()) {
            case N -> number(a).compareTo(number(b)) == 0;
            case SS -> new HashSet<>(a.ss()).equals(new HashSet<>(b.ss()));
            case NS -> numberSet(a.ns()).keySet().equals(numberSet(b.ns()).keySet());
            case BS -> new HashSet<>(a.bs()).equals(new HashSet<>(b.bs()));
            case L -> a.l().size() == b.l().size() && IntStream.range(0, a.l().size()).allMatch(i -> valuesEqual(a.l().get(i), b.l().get(i)));
            case M -> a.m().keySet().equals(b.m().keySet()) && a.m().keySet().stream().allMatch(k -> valuesEqual(a.m().get(k), b.m().get(k)));
            default -> a.equals(b);
        };
    }

    // ---------------------------------------------------------------- document paths

    /** One step of a document path: a map key, or (when name is null) a list index. */
    record PathElement(String name, int index) { }

    record DocPath(List<PathElement> elements) {
        boolean overlaps(DocPath other) {
            int common = Math.min(elements.size(), other.elements.size());
            return elements.subList(0, common).equals(other.elements.subList(0, common));
        }
    }

    static AttributeValue resolve(Map<String, AttributeValue> item, DocPath path) {
        AttributeValue current = item.get(path.elements().get(0).name());
        for (PathElement step : path.elements().subList(1, path.elements().size())) {
            if (current == null) return null;
            if (step.name() == null) {
                current = current.type() == AttributeValue.Type.L && step.index() < current.l().size() ? current.l().get(step.index()) : null;
            } else {
                current = current.type() == AttributeValue.Type.M ? current.m().get(step.name()) : null;
            }
        }
        return current;
    }

    /** Sets (or with a null value removes) the attribute at path; the parent of a nested path must exist. */
    static void setPath(Map<String, AttributeValue> item, DocPath path, AttributeValue value) {
        String top = path.elements().get(0).name();
        if (path.elements().size() == 1) {
            if (value == null) item.remove(top); else item.put(top, value);
            return;
        }
        AttributeValue parent = item.get(top);
        if (parent == null) throw validation("The document path provided in the update expression is invalid for update");
        item.put(top, withChild(parent, path.elements(), 1, value));
    }

    private static AttributeValue withChild(AttributeValue container, List<PathElement> steps, int position, AttributeValue value) {
        PathElement step = steps.get(position);
        boolean last = position == steps.size() - 1;
        if (step.name() == null ? container.type() != AttributeValue.Type.L : container.type() != AttributeValue.Type.M) {
            throw validation("The document path provided in the update expression is invalid for update");
        }
        if (step.name() == null) {
            List<AttributeValue> list = new ArrayList<>(container.l());
            boolean inside = step.index() < list.size();
            if (last && value == null) {
                if (inside) list.remove(step.index());
            } else if (last) {
                // like DynamoDB, setting past the end appends
                if (inside) list.set(step.index(), value); else list.add(value);
            } else {
                if (!inside) throw validation("The document path provided in the update expression is invalid for update");
                list.set(step.index(), withChild(list.get(step.index()), steps, position + 1, value));
            }
            return AttributeValue.fromL(list);
        }
        Map<String, AttributeValue> map = new HashMap<>(container.m());
        if (last) {
            if (value == null) map.remove(step.name()); else map.put(step.name(), value);
        } else {
            AttributeValue child = map.get(step.name());
            if (child == null) throw validation("The document path provided in the update expression is invalid for update");
            map.put(step.name(), withChild(child, steps, position + 1, value));
        }
        return AttributeValue.fromM(map);
    }

    /** Returns only the given paths of the item, nested as in the item; list elements keep their relative order. */
    static Map<String, AttributeValue> project(Map<String, AttributeValue> item, List<DocPath> paths) {
        if (paths == null) return item;
        Map<Object, Object> tree = new LinkedHashMap<>();
        for (DocPath path : paths) {
            AttributeValue value = resolve(item, path);
            if (value != null) insert(tree, path.elements(), 0, value);
        }
        Map<String, AttributeValue> projected = new HashMap<>();
        tree.forEach((name, node) -> projected.put((String) name, toValue(node)));
        return projected;
    }

    @SuppressWarnings("unchecked")
    private static void insert(Map<Object, Object> node, List<PathElement> steps, int position, AttributeValue value) {
        PathElement step = steps.get(position);
        Object key = step.name() == null ? (Object) step.index() : step.name();
        if (position == steps.size() - 1) {
            node.put(key, value);
            return;
        }
        Object child = node.get(key);
        if (!(child instanceof Map)) {
            child = steps.get(position + 1).name() == null ? new TreeMap<>() : new LinkedHashMap<>();
            node.put(key, child);
        }
        insert((Map<Object, Object>) child, steps, position + 1, value);
    }

    private static AttributeValue toValue(Object node) {
        if (node instanceof AttributeValue value) return value;
        if (node instanceof TreeMap<?, ?> list) return AttributeValue.fromL(list.values().stream().map(Expressions::toValue).toList());
        Map<String, AttributeValue> map = new HashMap<>();
        ((Map<?, ?>) node).forEach((k, v) -> map.put((String) k, toValue(v)));
        return AttributeValue.fromM(map);
    }

    // ---------------------------------------------------------------- expressions: syntax tree

    sealed interface Operand permits PathRef, Literal {
        /** The operand's value in the item, or null when it refers to a missing attribute. */
        AttributeValue evaluate(Map<String, AttributeValue> item);
    }

    record PathRef(DocPath path) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) { return resolve(item, path); }
    }

    record Literal(AttributeValue value) implements Operand {
        public AttributeValue evaluate(Map<String, AttributeValue> item) { return value; }
    }

    private static AttributeValue required(Operand operand, Map<String, AttributeValue> item) {
        AttributeValue value = operand.evaluate(item);
        if (value == null) throw validation("The provided expression refers to an attribute that does not exist in the item");
        return value;
    }

    sealed interface Condition permits Compare, Between, Function, And, Or, Not {
        boolean test(Map<String, AttributeValue> item);
    }

    record Compare(Operand left, String op, Operand right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = left.evaluate(item);
            AttributeValue b = right.evaluate(item);
            if (op.equals("=")) return a != null && b != null && valuesEqual(a, b);
            if (op.equals("<>")) return a == null || b == null || !valuesEqual(a, b);
            if (a == null || b == null || !orderable(a, b)) return false;
            int c = compareValues(a, b);
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                default -> c >= 0;
            };
        }
    }

    record Between(Operand value, Operand low, Operand high) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue v = value.evaluate(item);
            AttributeValue lo = low.evaluate(item);
            AttributeValue hi = high.evaluate(item);
            return v != null && lo != null && hi != null && orderable(v, lo) && orderable(v, hi)
                    && compareValues(lo, v) <= 0 && compareValues(v, hi) <= 0;
        }
    }

    record Function(String name, DocPath path, Operand argument) implements Condition {
        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue value = resolve(item, path);
            AttributeValue arg = argument == null ? null : argument.evaluate(item);
            if (name.equals("attribute_exists")) return value != null;
            if (name.equals("attribute_not_exists")) return value == null;
            // begins_with
            return value != null && arg != null
                    && ((value.type() == AttributeValue.Type.S && arg.type() == AttributeValue.Type.S && value.s().startsWith(arg.s()))
                    || (value.type() == AttributeValue.Type.B && arg.type() == AttributeValue.Type.B && startsWith(value.b().asByteArrayUnsafe(), arg.b().asByteArrayUnsafe())));
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    record And(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return left.test(item) && right.test(item); }
    }

    record Or(Condition left, Condition right) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return left.test(item) || right.test(item); }
    }

    record Not(Condition inner) implements Condition {
        public boolean test(Map<String, AttributeValue> item) { return !inner.test(item); }
    }

    /** kind: SET or REMOVE. */
    record UpdateAction(String kind, DocPath path, Operand value) {
        /** The value the path gets, computed from the item before the update; null means remove it. */
        AttributeValue newValue(Map<String, AttributeValue> old) {
            return kind.equals("SET") ? required(value, old) : null;
        }
    }
}
