package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.manifest.HostEntry;
import io.conduit.server.agent.AgentFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code conduit doctor --models}: what this user's running agent offers in each application for the
 * artist's show and department, and why each other model is hidden, as the bridges' menus see it.
 * Asks the agent (never starts one: doctor only reports).
 */
final class AgentModels {
    private AgentModels() {
    }

    /** {host: {"offered": [name@version...], "hidden": [{name, reason}...]}}, or {"error": why} without an agent. */
    static JsonObject query(Path agentHome, String show, String department) {
        JsonObject answer = new JsonObject();
        Optional<AgentFile> file = AgentFile.read(agentHome);
        if (file.isEmpty()) {
            answer.addProperty("error", "no agent is running for this user (a bridge starts it on demand; so does"
                    + " conduit agent)");
            return answer;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        for (String host : HostEntry.HOSTS) {
            String query = "?host=" + host + "&show=" + encode(show) + "&department=" + encode(department);
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + file.get().port()
                            + "/conduit/v1/agent/models" + query))
                    .header("Authorization", "Bearer " + file.get().token()).timeout(Duration.ofSeconds(30)).GET().build();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    answer.addProperty("error", "the agent answered " + response.statusCode() + " for " + host);
                    return answer;
                }
                JsonObject listing = JsonParser.parseString(response.body()).getAsJsonObject();
                JsonObject perHost = new JsonObject();
                JsonArray offered = new JsonArray();
                for (JsonElement m : listing.getAsJsonArray("models")) {
                    offered.add(m.getAsJsonObject().get("name").getAsString() + "@"
                            + m.getAsJsonObject().get("version").getAsString());
                }
                perHost.add("offered", offered);
                perHost.add("hidden", listing.has("hidden") ? listing.getAsJsonArray("hidden") : new JsonArray());
                answer.add(host, perHost);
            } catch (java.io.IOException e) {
                answer.addProperty("error", "the agent in " + agentHome + " does not answer; the next bridge call starts"
                        + " a new one");
                return answer;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer.addProperty("error", "interrupted");
                return answer;
            }
        }
        return answer;
    }

    /** The same, as lines for a TD to read. */
    static void print(java.io.PrintWriter out, JsonObject answer, String show, String department) {
        out.println("Models the agent offers (show " + (show.isEmpty() ? "not set" : show) + ", department "
                + (department.isEmpty() ? "not set" : department) + "):");
        if (answer.has("error")) {
            out.println("  " + answer.get("error").getAsString());
            return;
        }
        for (String host : HostEntry.HOSTS) {
            JsonObject perHost = answer.getAsJsonObject(host);
            out.println("  " + host + ": " + (perHost.getAsJsonArray("offered").isEmpty() ? "none"
                    : perHost.getAsJsonArray("offered").toString().replaceAll("[\\[\\]\"]", "").replace(",", ", ")));
            for (JsonElement h : perHost.getAsJsonArray("hidden")) {
                out.println("    not offered: " + h.getAsJsonObject().get("name").getAsString() + " ("
                        + h.getAsJsonObject().get("reason").getAsString() + ")");
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
