package io.conduit.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Text files shipped inside a jar beside a class (templates the bridges render). */
public final class Resources {
    private Resources() {
    }

    /** The UTF-8 text of resource {@code name} next to {@code owner}; a missing one is a broken build. */
    public static String text(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar of " + owner.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " beside " + owner.getName(), e);
        }
    }
}
