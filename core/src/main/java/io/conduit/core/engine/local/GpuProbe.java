package io.conduit.core.engine.local;

/**
 * Finds out whether this machine has a GPU the local engine can use. An interface so tests can
 * play a GPU workstation on a machine without one; the real probe ({@link NvidiaSmiProbe}) asks the
 * driver's own tool in a child process, so a broken or absent driver can never crash the JVM.
 */
@FunctionalInterface
public interface GpuProbe {
    GpuStatus probe();
}
