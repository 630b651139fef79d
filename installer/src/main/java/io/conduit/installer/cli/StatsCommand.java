package io.conduit.installer.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code conduit stats MODEL}: how a model runs in production, from the service's telemetry. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Per version and route of MODEL (all models when -): calls, p50/p95/p99 of total, queue,"
                + " transfer and compute time, error rate and fallback rate, from the service's telemetry (its own"
                + " inferences and those the agents forward)."})
final class StatsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL")
    String model;

    @Mixin
    ServiceOptions serviceOptions;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        String name = model.equals("-") ? "" : model;
        String service = serviceOptions.service();
        String token = serviceOptions.token(service);
        JsonObject answer = ServiceGet.json(service, "/conduit/v1/stats?model=" + URLEncoder.encode(name,
                StandardCharsets.UTF_8), token);
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled) {
            json.print(out, answer);
        } else if (answer.getAsJsonArray("stats").isEmpty()) {
            out.println("no inferences of " + (name.isEmpty() ? "any model" : name) + " recorded at " + service);
        } else {
            out.printf("%-28s %-10s %6s %22s %22s %22s %6s %6s%n", "model@version", "route", "calls", "total p50/p95/p99 ms",
                    "transfer p50/p95/p99", "compute p50/p95/p99", "errors", "fallbk");
            for (JsonElement e : answer.getAsJsonArray("stats")) {
                JsonObject r = e.getAsJsonObject();
                out.printf("%-28s %-10s %6d %22s %22s %22s %5.1f%% %5.1f%%%n",
                        r.get("model").getAsString() + "@" + r.get("version").getAsString(),
                        r.get("route").getAsString().isEmpty() ? "(failed)" : r.get("route").getAsString(),
                        r.get("calls").getAsInt(), triple(r, "totalMs"), triple(r, "transferMs"), triple(r, "computeMs"),
                        100 * r.get("errorRate").getAsDouble(), 100 * r.get("fallbackRate").getAsDouble());
            }
        }
        out.flush();
        return 0;
    }

    private static String triple(JsonObject row, String field) {
        JsonObject p = row.getAsJsonObject(field);
        if (!p.has("p50")) {
            return "-";
        }
        return p.get("p50").getAsString() + "/" + p.get("p95").getAsString() + "/" + p.get("p99").getAsString();
    }
}
