package io.conduit.installer.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One GET of a Conduit service's JSON for the report commands, its failures turned into typed errors. */
final class ServiceGet {
    private ServiceGet() {
    }

    static JsonObject json(String service, String pathAndQuery, String token) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.replaceAll("/+$", "") + pathAndQuery)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new ConduitException(ErrorCode.REMOTE_UNAVAILABLE, "service " + service + " is unreachable ("
                    + (e.getMessage() == null ? "no answer" : e.getMessage()) + "); check the URL and that conduit serve runs there");
        }
        JsonObject answer;
        try {
            answer = JsonParser.parseString(response.body()).getAsJsonObject();
        } catch (RuntimeException notJson) {
            throw new ConduitException(ErrorCode.PROTOCOL, "service " + service + " answered " + pathAndQuery
                    + " with something other than JSON (HTTP " + response.statusCode() + "); is it conduit serve?");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new ConduitException(ErrorCode.UNAUTHORIZED, "service " + service + " refused "
                    + (token == null ? "a request without a token" : "the token") + " (HTTP " + response.statusCode()
                    + "); set remote.token (CONDUIT_REMOTE_TOKEN, or ~/.conduit/config.json) or pass --token-file FILE");
        }
        if (response.statusCode() != 200) {
            throw new ConduitException(ErrorCode.bySearchCode(answer.has("code") ? answer.get("code").getAsString() : ""),
                    "service " + service + ": " + (answer.has("error") ? answer.get("error").getAsString() : response.body()));
        }
        return answer;
    }
}
