package io.conduit.core.engine;

/** Where an inference ran. The names are what the CLI, logs and telemetry print. */
public enum Route {
    LOCAL_GPU("local-gpu"),
    LOCAL_CPU("local-cpu"),
    REMOTE("remote");

    private final String label;

    Route(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
