package io.conduit.core.registry;

/**
 * "At this scope, use this target": {@code show ABC -> 2.0.0}, {@code department lighting -> beta},
 * {@code studio -> stable}. The target is a version or an alias of the model. {@code value} is empty
 * for the studio scope.
 */
public record RolloutRule(Scope scope, String value, String target) {
    public RolloutRule {
        value = scope == Scope.STUDIO ? "" : value;
    }

    public boolean matches(ArtistContext context) {
        return switch (scope) {
            case STUDIO -> true;
            case SHOW -> value.equals(context.show());
            case DEPARTMENT -> value.equals(context.department());
            case USER -> value.equals(context.user());
        };
    }

    public com.google.gson.JsonObject toJson() {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("scope", scope.jsonName());
        o.addProperty("value", value);
        o.addProperty("target", target);
        return o;
    }

    /** The rule in {@code {"scope": ..., "value": ..., "target": ...}}; a studio rule may omit the value. */
    public static RolloutRule fromJson(com.google.gson.JsonObject o) {
        if (!o.has("scope") || !o.has("target")) {
            throw new io.conduit.core.ConduitException(io.conduit.core.ErrorCode.USAGE, "a rollout rule needs \"scope\""
                    + " and \"target\" (and \"value\" unless the scope is studio); got " + o);
        }
        return new RolloutRule(Scope.parse(o.get("scope").getAsString()),
                o.has("value") ? o.get("value").getAsString() : "", o.get("target").getAsString());
    }

    /** {@code show ABC -> 2.0.0}. */
    public String describe() {
        return scope.jsonName() + (value.isEmpty() ? "" : " " + value) + " -> " + target;
    }
}
