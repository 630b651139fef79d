package io.conduit.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.engine.local.GpuStatus;
import io.conduit.core.engine.local.LocalEngine;
import io.conduit.core.engine.local.LocalEngineConfig;
import io.conduit.core.io.Npy;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a local route a batch job runs the model for one frame at a time, however many frames it has in
 * flight: one ONNX Runtime run already uses every core, and two at once fight over them.
 */
class BatchJobModelGateTest {
    @TempDir
    Path dir;

    @Test
    void localRunsNeverOverlapWhileFramesRunInParallel() throws Exception {
        Path frames = Files.createDirectories(dir.resolve("in"));
        for (int f = 1; f <= 6; f++) {
            Npy.write(Tensor.ofFloats(new long[]{2, 3}, f, f, f, f, f, f), frames.resolve("x." + f + ".npy"));
        }
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir));
             LocalEngine local = new LocalEngine(LocalEngineConfig.defaults(), () -> GpuStatus.none("test"))) {
            Overlap engine = new Overlap(local);
            BatchJob job = new BatchJob(engine, pkg, Map.of("x", new FramePattern(frames + "/x.%d.npy")),
                    Map.of("y", new FramePattern(dir + "/out/y.%d.npy")), DevicePreference.CPU,
                    new BatchCache(dir.resolve("cache")), 4, 1L << 30);
            List<BatchJob.FrameOutcome> outcomes = job.run(List.of(1, 2, 3, 4, 5, 6), (o, done, total) -> { });
            assertTrue(outcomes.stream().allMatch(o -> o.status() == BatchJob.Status.RAN), outcomes.toString());
            assertEquals(6, engine.calls.get());
            assertEquals(1, engine.mostAtOnce.get(), "model runs overlapped on the CPU route");
            assertEquals(3f * 2 + 1, Npy.read(dir.resolve("out/y.3.npy")).floats().get(0), "y = 2x + 1 of frame 3");
        }
    }

    /**
     * The real engine, counting runs in flight. The first run waits (a little) for a second to start,
     * so that frames able to overlap do overlap, whatever the machine's timing.
     */
    private static final class Overlap implements InferenceEngine {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final CountDownLatch second = new CountDownLatch(2);
        private final InferenceEngine engine;

        Overlap(InferenceEngine engine) {
            this.engine = engine;
        }

        @Override
        public RouteDecision plan(ModelPackage model, DevicePreference device) {
            return engine.plan(model, device);
        }

        @Override
        public InferenceResult run(ModelPackage model, Map<String, Tensor> inputs, DevicePreference device) {
            mostAtOnce.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                second.countDown();
                if (calls.incrementAndGet() == 1) {
                    second.await(2, TimeUnit.SECONDS);
                    mostAtOnce.accumulateAndGet(inFlight.get(), Math::max);
                }
                return engine.run(model, inputs, device);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public void close() {
        }
    }
}
