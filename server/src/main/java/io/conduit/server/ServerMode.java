package io.conduit.server;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The two ways the one HTTP front runs: the workstation {@link #AGENT}, which DCC bridges call and
 * which must never be reachable from another machine, and the remote inference {@link #SERVICE} on
 * GPU machines. Both speak the same protocol; they differ in where they may listen.
 */
public enum ServerMode {
    AGENT, SERVICE;

    /** Resolves the address to bind, refusing anything but loopback for the agent. */
    public InetAddress bindAddress(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConduitException(ErrorCode.USAGE, "--host " + host + " is not an address this machine can resolve");
        }
        if (this == AGENT && !address.isLoopbackAddress()) {
            throw new ConduitException(ErrorCode.USAGE, "the agent listens on loopback only (127.0.0.1 or ::1), not "
                    + host + "; run conduit serve for a service other machines can reach");
        }
        return address;
    }
}
