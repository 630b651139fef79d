package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of {@code conduit feedback report}: per model version, how many notes, the spread of
 * ratings, the mean, the notes themselves, and the same counts by show and by department. A pure
 * function of the notes, so it is checked against a known set.
 */
final class FeedbackReport {
    private FeedbackReport() {
    }

    static JsonObject of(String model, List<JsonObject> notes) {
        Map<String, List<JsonObject>> byVersion = new TreeMap<>();
        notes.forEach(n -> byVersion.computeIfAbsent(n.get("version").getAsString(), v -> new java.util.ArrayList<>()).add(n));
        JsonArray versions = new JsonArray();
        byVersion.forEach((version, list) -> {
            JsonObject v = summary(list);
            v.addProperty("version", version);
            v.add("byShow", breakdown(list, "show"));
            v.add("byDepartment", breakdown(list, "department"));
            JsonArray texts = new JsonArray();
            list.stream().filter(n -> !n.get("note").getAsString().isEmpty()).forEach(n -> {
                JsonObject t = new JsonObject();
                t.addProperty("rating", n.get("rating").getAsInt());
                t.addProperty("user", n.get("user").getAsString());
                t.addProperty("show", n.get("show").getAsString());
                t.addProperty("note", n.get("note").getAsString());
                texts.add(t);
            });
            v.add("notes", texts);
            versions.add(v);
        });
        JsonObject report = new JsonObject();
        report.addProperty("model", model);
        report.add("versions", versions);
        return report;
    }

    private static JsonObject summary(List<JsonObject> notes) {
        int[] ratings = new int[6];
        notes.forEach(n -> ratings[n.get("rating").getAsInt()]++);
        JsonObject s = new JsonObject();
        s.addProperty("count", notes.size());
        JsonObject spread = new JsonObject();
        double total = 0;
        for (int r = 1; r <= 5; r++) {
            spread.addProperty(String.valueOf(r), ratings[r]);
            total += r * ratings[r];
        }
        s.add("ratings", spread);
        s.addProperty("mean", notes.isEmpty() ? 0 : Math.round(total / notes.size() * 100) / 100.0);
        return s;
    }

    private static JsonObject breakdown(List<JsonObject> notes, String field) {
        Map<String, List<JsonObject>> groups = new TreeMap<>();
        notes.forEach(n -> groups.computeIfAbsent(n.get(field).getAsString().isEmpty() ? "(none)" : n.get(field).getAsString(),
                k -> new java.util.ArrayList<>()).add(n));
        JsonObject out = new JsonObject();
        groups.forEach((key, list) -> out.add(key, summary(list)));
        return out;
    }

    /** One CSV row per version and show: model, version, show, count, ratings 1..5, mean. */
    static String csv(JsonObject report) {
        StringBuilder out = new StringBuilder("model,version,show,count,r1,r2,r3,r4,r5,mean\n");
        for (var v : report.getAsJsonArray("versions")) {
            JsonObject version = v.getAsJsonObject();
            for (var show : version.getAsJsonObject("byShow").entrySet()) {
                JsonObject s = show.getValue().getAsJsonObject();
                JsonObject r = s.getAsJsonObject("ratings");
                out.append(String.join(",", cell(report.get("model").getAsString()),
                        cell(version.get("version").getAsString()), cell(show.getKey()), s.get("count").getAsString(), r.get("1").getAsString(),
                        r.get("2").getAsString(), r.get("3").getAsString(), r.get("4").getAsString(),
                        r.get("5").getAsString(), s.get("mean").getAsString())).append('\n');
            }
        }
        return out.toString();
    }

    /**
     * One CSV cell. Text that a spreadsheet would run as a formula (starting with = + - @, or a tab or
     * carriage return before one) gets a leading apostrophe, as OWASP advises against CSV injection: the
     * show names and versions come from whoever sent the notes.
     */
    static String cell(String field) {
        String text = !field.isEmpty() && "=+-@\t\r".indexOf(field.charAt(0)) >= 0 ? "'" + field : field;
        return text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")
                ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    /** Text for a terminal: control characters (escape sequences, carriage returns, bells) become spaces. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }
}
