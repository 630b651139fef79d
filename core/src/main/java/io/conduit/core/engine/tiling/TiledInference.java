package io.conduit.core.engine.tiling;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.engine.DevicePreference;
import io.conduit.core.engine.InferenceEngine;
import io.conduit.core.engine.InferenceResult;
import io.conduit.core.engine.RouteDecision;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.manifest.Tiling;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs an image model on a plate larger than its tile ({@code requirements.tiling}): square tiles
 * sharing {@code overlap} pixels are cut from the plate (edge tiles moved inside it, never padded out), run
 * one by one through any engine, and put back keeping each tile's pixels only from {@code overlap / 2}
 * inside its inner edges (see {@link TileGrid}), so a model whose receptive radius fits in half the
 * overlap gives exactly the whole plate's result, and memory stays bounded. Blending works on
 * a band of {@code tileSize} rows that rolls down the plate; rows are written out as soon as no later
 * tile touches them. When the caller allows it and an output has the input image's shape and type,
 * those rows go straight back into the input plate, so an 8K plate needs little more than itself.
 * Images the tile already covers, and models without tiling, run whole.
 */
public final class TiledInference {
    private TiledInference() {
    }

    /** Whether {@code model} tiles images larger than its tile. */
    public static boolean tiles(Manifest model) {
        return model.requirements().tiling().isPresent() && imageInput(model).isPresent();
    }

    /**
     * Runs {@code model} on {@code inputs}, tiled when its manifest asks and the image is larger than a
     * tile. With {@code mayOverwriteInputs}, the image input's buffer may receive an output.
     */
    public static InferenceResult run(InferenceEngine engine, ModelPackage model, Map<String, Tensor> inputs,
                                      DevicePreference device, boolean mayOverwriteInputs) {
        Manifest manifest = model.manifest();
        Optional<Tiling> tiling = manifest.requirements().tiling();
        Optional<TensorSpec> imageSpec = imageInput(manifest);
        if (tiling.isEmpty() || imageSpec.isEmpty() || !inputs.containsKey(imageSpec.get().name())) {
            return engine.run(model, inputs, device);
        }
        PlateView plate = PlateView.of(inputs.get(imageSpec.get().name()), imageSpec.get().layout(), imageSpec.get().name());
        int tile = tiling.get().tileSize();
        if (plate.height <= tile && plate.width <= tile) {
            return engine.run(model, inputs, device);
        }
        for (TensorSpec out : manifest.outputs()) {
            if (!PlateView.tileable(out.layout())) {
                throw new ConduitException(ErrorCode.INPUT_INVALID, manifest.coordinate() + " asks for tiling, but output "
                        + out.name() + " has layout " + out.layout().jsonName() + "; every output must be an image"
                        + " (NCHW, NHWC, CHW or HWC) to be blended back");
            }
        }
        return new Run(engine, model, inputs, device, plate, imageSpec.get(), tiling.get(), mayOverwriteInputs).execute();
    }

    static Optional<TensorSpec> imageInput(Manifest manifest) {
        return manifest.inputs().stream().filter(s -> PlateView.tileable(s.layout())).findFirst();
    }

    /** One tiled run: the grids, the rolling band of accumulated rows, and where finished rows go. */
    private static final class Run {
        private final InferenceEngine engine;
        private final ModelPackage model;
        private final Map<String, Tensor> inputs;
        private final DevicePreference device;
        private final PlateView plate;
        private final TensorSpec imageSpec;
        private final TileGrid rows;
        private final TileGrid cols;
        private final boolean mayOverwrite;
        private final Map<String, PlateView> outputs = new LinkedHashMap<>();
        private final Map<String, float[]> bands = new LinkedHashMap<>();
        private RouteDecision route;
        private long computeNanos;

        Run(InferenceEngine engine, ModelPackage model, Map<String, Tensor> inputs, DevicePreference device,
            PlateView plate, TensorSpec imageSpec, Tiling tiling, boolean mayOverwrite) {
            this.engine = engine;
            this.model = model;
            this.inputs = inputs;
            this.device = device;
            this.plate = plate;
            this.imageSpec = imageSpec;
            this.rows = new TileGrid(plate.height, tiling.tileSize(), tiling.overlap());
            this.cols = new TileGrid(plate.width, tiling.tileSize(), tiling.overlap());
            this.mayOverwrite = mayOverwrite;
        }

        InferenceResult execute() {
            long started = System.nanoTime();
            PlateView crop = PlateView.of(Tensor.allocate(plate.tensor.type(), PlateView.shapeLike(imageSpec.layout(),
                    plate.channels, rows.length(), cols.length())), imageSpec.layout(), imageSpec.name());
            int emitted = 0;
            for (int r = 0; r < rows.count(); r++) {
                for (int c = 0; c < cols.count(); c++) {
                    cut(crop, rows.start(r), cols.start(c));
                    Map<String, Tensor> tileInputs = new LinkedHashMap<>(inputs);
                    tileInputs.put(imageSpec.name(), crop.tensor);
                    InferenceResult result = engine.run(model, tileInputs, device);
                    route = route == null ? result.route() : route;
                    computeNanos += result.computeNanos();
                    blend(result, r, c);
                }
                int finished = r + 1 < rows.count() ? rows.start(r + 1) : plate.height;
                emit(emitted, finished);
                clear(rows.start(r) + rows.length(), r + 1 < rows.count() ? rows.start(r + 1) + rows.length() : 0);
                emitted = finished;
            }
            Map<String, Tensor> result = new LinkedHashMap<>();
            outputs.forEach((name, view) -> result.put(name, view.tensor));
            return new InferenceResult(result, route, computeNanos, System.nanoTime() - started);
        }

        private void cut(PlateView crop, int y0, int x0) {
            for (int ch = 0; ch < plate.channels; ch++) {
                for (int y = 0; y < crop.height; y++) {
                    for (int x = 0; x < crop.width; x++) {
                        crop.set(ch, y, x, plate.get(ch, y0 + y, x0 + x));
                    }
                }
            }
        }

        private void blend(InferenceResult result, int r, int c) {
            for (TensorSpec spec : model.manifest().outputs()) {
                PlateView out = PlateView.of(result.output(spec.name()), spec.layout(), spec.name());
                if (out.height != rows.length() || out.width != cols.length()) {
                    throw new ConduitException(ErrorCode.INFERENCE_FAILED, "output " + spec.name() + " of a "
                            + rows.length() + "x" + cols.length() + " tile is " + out.height + "x" + out.width
                            + "; tiling needs outputs the size of their input");
                }
                float[] band = bands.computeIfAbsent(spec.name(), n -> {
                    outputs.put(n, target(spec, out));
                    return new float[out.channels * rows.length() * plate.width];
                });
                int y0 = rows.start(r);
                int x0 = cols.start(c);
                for (int ch = 0; ch < out.channels; ch++) {
                    for (int y = 0; y < out.height; y++) {
                        float wy = rows.weight(r, y);
                        int rowBase = (ch * rows.length() + Math.floorMod(y0 + y, rows.length())) * plate.width + x0;
                        for (int x = 0; x < out.width; x++) {
                            band[rowBase + x] += out.get(ch, y, x) * wy * cols.weight(c, x);
                        }
                    }
                }
            }
        }

        /** Where an output's finished rows go: back into the input plate when allowed and alike, else a new plate. */
        private PlateView target(TensorSpec spec, PlateView tileOutput) {
            boolean alike = mayOverwrite && spec.layout() == imageSpec.layout() && tileOutput.channels == plate.channels
                    && tileOutput.tensor.type() == plate.tensor.type() && !outputs.containsValue(plate);
            if (alike) {
                return plate;
            }
            Tensor full = Tensor.allocate(tileOutput.tensor.type(), PlateView.shapeLike(spec.layout(), tileOutput.channels,
                    plate.height, plate.width));
            return PlateView.of(full, spec.layout(), spec.name());
        }

        /** Writes rows [from, to) of every band out to its plate. */
        private void emit(int from, int to) {
            for (Map.Entry<String, float[]> entry : bands.entrySet()) {
                PlateView out = outputs.get(entry.getKey());
                float[] band = entry.getValue();
                for (int ch = 0; ch < out.channels; ch++) {
                    for (int y = from; y < to; y++) {
                        int rowBase = (ch * rows.length() + Math.floorMod(y, rows.length())) * plate.width;
                        for (int x = 0; x < plate.width; x++) {
                            out.set(ch, y, x, band[rowBase + x]);
                        }
                    }
                }
            }
        }

        /** Zeroes band rows [from, to) before the next tile row starts adding to them. */
        private void clear(int from, int to) {
            for (Map.Entry<String, float[]> entry : bands.entrySet()) {
                int channels = outputs.get(entry.getKey()).channels;
                for (int ch = 0; ch < channels; ch++) {
                    for (int y = from; y < to; y++) {
                        int rowBase = (ch * rows.length() + Math.floorMod(y, rows.length())) * plate.width;
                        java.util.Arrays.fill(entry.getValue(), rowBase, rowBase + plate.width, 0f);
                    }
                }
            }
        }
    }
}
