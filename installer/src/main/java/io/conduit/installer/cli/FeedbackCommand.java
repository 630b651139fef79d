package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code conduit feedback}: what artists said about the models in production. */
@Command(name = "feedback", mixinStandardHelpOptions = true, description = "Artists' feedback on models.",
        subcommands = {FeedbackCommand.Report.class})
final class FeedbackCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code conduit feedback report MODEL}: per version, count, ratings, notes, by show and department. */
    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Per version of MODEL: count, rating distribution, mean, notes, by show and by department.")
    static final class Report implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL")
        String model;

        @picocli.CommandLine.Mixin
        ServiceOptions serviceOptions;

        @Option(names = "--since", paramLabel = "DATE", description = "Only notes from this day on (YYYY-MM-DD).")
        String since;

        @Option(names = "--csv", description = "One CSV row per version and show.")
        boolean csv;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "500", description = "Notes fetched per request"
                + " (1 to 1000); the report always covers them all. Default: ${DEFAULT-VALUE}.")
        int pageSize;

        @picocli.CommandLine.Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String query = "?model=" + URLEncoder.encode(model, StandardCharsets.UTF_8)
                    + (since == null ? "" : "&since=" + URLEncoder.encode(since, StandardCharsets.UTF_8))
                    + "&limit=" + pageSize;
            String service = serviceOptions.service();
            List<JsonObject> notes = new ArrayList<>();
            // The service answers a page at a time; the report covers every note, so follow the cursors to the end.
            String cursor = "";
            do {
                JsonObject answer = ServiceGet.json(service, "/conduit/v1/feedback" + query
                        + (cursor.isEmpty() ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)),
                        serviceOptions.token(service));
                answer.getAsJsonArray("feedback").forEach(e -> notes.add(e.getAsJsonObject()));
                cursor = answer.has("next") ? answer.get("next").getAsString() : "";
            } while (!cursor.isEmpty());
            JsonObject report = FeedbackReport.of(model, notes);
            PrintWriter out = spec.commandLine().getOut();
            if (csv) {
                out.print(FeedbackReport.csv(report));
            } else if (json.enabled) {
                json.print(out, report);
            } else {
                out.println(FeedbackReport.printable(model) + ": " + notes.size() + " note(s)" + (since == null ? "" : " since " + since));
                for (var v : report.getAsJsonArray("versions")) {
                    JsonObject version = v.getAsJsonObject();
                    out.println("  " + FeedbackReport.printable(version.get("version").getAsString()) + ": " + version.get("count").getAsInt()
                            + " note(s), mean " + version.get("mean").getAsDouble() + ", ratings 1-5 "
                            + version.getAsJsonObject("ratings").entrySet().stream().map(e -> e.getValue().getAsString())
                            .toList());
                    version.getAsJsonObject("byShow").entrySet().forEach(e -> out.println("    show "
                            + FeedbackReport.printable(e.getKey()) + ": "
                            + e.getValue().getAsJsonObject().get("count").getAsInt() + ", mean "
                            + e.getValue().getAsJsonObject().get("mean").getAsDouble()));
                    version.getAsJsonArray("notes").forEach(n -> out.println("    [" + n.getAsJsonObject().get("rating")
                            .getAsInt() + "] " + FeedbackReport.printable(n.getAsJsonObject().get("note").getAsString())));
                }
            }
            out.flush();
            return 0;
        }
    }
}
