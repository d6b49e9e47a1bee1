package filesapi.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured JSON log lines on stdout (CloudWatch on Lambda). Every line of a request carries its request id.
 * Never pass API keys, link tokens or presigned URLs here.
 */
public final class Log {
    private static volatile boolean quiet = Boolean.parseBoolean(System.getenv().getOrDefault("FILES_API_QUIET", "false"));

    private Log() {}

    public static void quiet(boolean value) {
        quiet = value;
    }

    public static void info(String requestId, String message, Object... keyValues) {
        write("INFO", requestId, message, null, keyValues);
    }

    /** What an operator may want when investigating, but which does not affect any request. */
    public static void debug(String requestId, String message, Object... keyValues) {
        write("DEBUG", requestId, message, null, keyValues);
    }

    public static void error(String requestId, String message, Throwable error, Object... keyValues) {
        write("ERROR", requestId, message, error, keyValues);
    }

    private static void write(String level, String requestId, String message, Throwable error, Object... kv) {
        if (quiet && error == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", level);
        line.put("request_id", requestId);
        line.put("message", message);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            line.put(String.valueOf(kv[i]), kv[i + 1]);
        }
        if (error != null) {
            line.put("error", error.getClass().getName() + ": " + error.getMessage());
            StackTraceElement[] trace = error.getStackTrace();
            if (trace.length > 0) {
                line.put("at", trace[0].toString());
            }
        }
        System.out.println(Json.compact(line));
    }
}
