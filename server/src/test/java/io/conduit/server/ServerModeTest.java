package io.conduit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import org.junit.jupiter.api.Test;

class ServerModeTest {
    @Test
    void agentBindsLoopbackOnly() {
        assertTrue(ServerMode.AGENT.bindAddress("127.0.0.1").isLoopbackAddress());
        assertTrue(ServerMode.AGENT.bindAddress("::1").isLoopbackAddress());
        ConduitException e = assertThrows(ConduitException.class, () -> ServerMode.AGENT.bindAddress("0.0.0.0"));
        assertEquals(ErrorCode.USAGE, e.code());
        assertTrue(e.getMessage().startsWith("the agent listens on loopback only"), e.getMessage());
    }

    @Test
    void serviceMayBindAnyAddress() {
        assertTrue(ServerMode.SERVICE.bindAddress("0.0.0.0").isAnyLocalAddress());
    }
}
