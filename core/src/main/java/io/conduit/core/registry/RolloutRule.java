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

    /** {@code show ABC -> 2.0.0}. */
    public String describe() {
        return scope.jsonName() + (value.isEmpty() ? "" : " " + value) + " -> " + target;
    }
}
