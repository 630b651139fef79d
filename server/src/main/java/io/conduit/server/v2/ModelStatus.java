package io.conduit.server.v2;

/**
 * Where one configured model version stands, for the command that started the service to print.
 *
 * @param reason why it is unavailable; empty otherwise
 */
public record ModelStatus(String name, String version, ModelState state, String reason) {
}
