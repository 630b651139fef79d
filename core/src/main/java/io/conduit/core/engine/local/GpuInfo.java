package io.conduit.core.engine.local;

/** One GPU as the probe saw it: its CUDA index, its name and the memory free on it right now. */
public record GpuInfo(int index, String name, long freeMemoryMiB) {
}
