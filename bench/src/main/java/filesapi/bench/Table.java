package filesapi.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one table the benchmark prints: metric, floor, ours, ratio, target, pass/fail. */
final class Table {
    private record Row(String metric, String floor, String ours, String ratio, String target, String verdict) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A figure compared with its floor: ratio = ours / floor, passing when it is at most {@code target}. */
    void ratio(String metric, double floor, double ours, String unit, double target) {
        double ratio = ours / floor;
        rows.add(new Row(metric, fmt(floor, unit), fmt(ours, unit), String.format(Locale.ROOT, "%.2fx", ratio),
                String.format(Locale.ROOT, "<= %.1fx", target), ratio <= target ? "PASS" : "FAIL"));
    }

    /** A figure with an absolute target. */
    void absolute(String metric, String ours, String target, boolean pass) {
        rows.add(new Row(metric, "-", ours, "-", target, pass ? "PASS" : "FAIL"));
    }

    /** A figure compared with its floor for context only: ratio = ours / floor, judged against nothing. */
    void reported(String metric, double floor, double ours, String unit) {
        info(metric, fmt(floor, unit), fmt(ours, unit), String.format(Locale.ROOT, "%.2fx", ours / floor));
    }

    /** A figure for context only. */
    void info(String metric, String floor, String ours, String ratio) {
        rows.add(new Row(metric, floor, ours, ratio, "-", "info"));
    }

    void note(String note) {
        notes.add(note);
    }

    static String fmt(double value, String unit) {
        return switch (unit) {
            case "ns" -> value >= 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", value / 1e6)
                    : String.format(Locale.ROOT, "%.1f us", value / 1e3);
            case "ms" -> String.format(Locale.ROOT, "%.0f ms", value);
            default -> String.format(Locale.ROOT, "%.0f %s", value, unit);
        };
    }

    /** A count without a trailing ".0" when it is whole (capacity units come in halves). */
    static String num(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    void print(PrintStream out) {
        String[] head = {"metric", "floor", "ours", "ratio", "target", "pass/fail"};
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
        }
        for (Row r : rows) {
            String[] c = cells(r);
            for (int i = 0; i < c.length; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        line(out, head, w);
        StringBuilder sep = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sep.append(i == 0 ? "|" : "").append("-".repeat(w[i] + 2)).append('|');
        }
        out.println(sep);
        for (Row r : rows) {
            line(out, cells(r), w);
        }
        for (String n : notes) {
            out.println(n);
        }
    }

    private static String[] cells(Row r) {
        return new String[] {r.metric, r.floor, r.ours, r.ratio, r.target, r.verdict};
    }

    private static void line(PrintStream out, String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i];
            sb.append(' ').append(i == 0 ? pad(c, w[i]) : padLeft(c, w[i])).append(" |");
        }
        out.println(sb);
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
