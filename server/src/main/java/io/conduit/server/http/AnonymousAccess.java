package io.conduit.server.http;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What callers without a token may do when a server has no tokens file. On loopback only the machine's
 * own users can call, so they may do everything (a TD trying things out). Bound to a network address,
 * anyone who can reach the port could publish a model and roll it out to the studio, so anonymous
 * callers then get only {@code infer} and {@code feedback} unless the operator says
 * {@code --allow-anonymous-writes}; either way the server warns, naming the risk.
 */
public final class AnonymousAccess {
    private static final Logger LOG = LoggerFactory.getLogger(AnonymousAccess.class);

    private AnonymousAccess() {
    }

    /** {@code tokens}, with anonymous callers' roles set for {@code bound}; a warning is logged and added to {@code warnings}. */
    public static TokenStore apply(TokenStore tokens, InetAddress bound, boolean allowWrites, List<String> warnings) {
        if (tokens.enforced() || bound.isLoopbackAddress()) {
            return tokens;
        }
        String warning = "listening on " + bound.getHostAddress() + " without a tokens file: anyone who can reach"
                + " this port can run models and read the registry as \"anonymous\""
                + (allowWrites ? ", and (--allow-anonymous-writes) publish models and roll them out to the whole studio"
                : "; registry writes are refused (give --tokens FILE, or --allow-anonymous-writes to accept them)");
        LOG.warn(warning);
        warnings.add(warning);
        return allowWrites ? tokens : tokens.anonymousRoles(EnumSet.of(Role.INFER, Role.FEEDBACK));
    }
}
