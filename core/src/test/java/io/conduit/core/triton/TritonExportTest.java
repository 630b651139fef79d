package io.conduit.core.triton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inference.ModelConfigOuterClass.ModelConfig;
import inference.ModelConfigOuterClass.ModelInstanceGroup;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Layout;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.Requirements;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.manifest.TensorSpec;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.pkg.PackageWriter;
import io.conduit.core.pkg.Sha256;
import io.conduit.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TritonExportTest {
    private static final List<String> TEST_MODELS = List.of("all_types.onnx", "flatten.onnx", "image_gain.onnx",
            "invert_nchw.onnx", "invert_nhwc.onnx", "point_offset.onnx", "scale_bias.onnx", "slow_identity.onnx",
            "two_in_two_out.onnx");

    @TempDir
    Path dir;

    @Test
    void everyTestModelsConfigParsesAsTritonsModelConfig() throws Exception {
        Path repo = dir.resolve("triton");
        for (String file : TEST_MODELS) {
            try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf(file, dir))) {
                TritonExport.Result r = TritonExport.export(pkg, repo, 8);
                String pbtxt = Files.readString(r.modelDir().resolve("config.pbtxt"));
                ModelConfig parsed = TritonSchema.parsePbtxt(pbtxt);
                Manifest m = pkg.manifest();
                assertEquals(m.name(), parsed.getName());
                assertEquals("onnxruntime_onnx", parsed.getPlatform());
                assertTrue(parsed.getVersionPolicy().hasAll(), "every exported version served: " + pbtxt);
                assertEquals(m.inputs().stream().map(TensorSpec::name).toList(),
                        parsed.getInputList().stream().map(t -> t.getName()).toList());
                assertEquals(m.outputs().stream().map(TensorSpec::name).toList(),
                        parsed.getOutputList().stream().map(t -> t.getName()).toList());
                for (int i = 0; i < m.inputs().size(); i++) {
                    assertEquals("TYPE_" + m.inputs().get(i).datatype().name(),
                            parsed.getInput(i).getDataType().name());
                    long[] dims = parsed.getInput(i).getDimsList().stream().mapToLong(Long::longValue).toArray();
                    long[] shape = m.inputs().get(i).shape();
                    assertArrayEquals(parsed.getMaxBatchSize() > 0 ? java.util.Arrays.copyOfRange(shape, 1, shape.length)
                            : shape, dims, file + " " + m.inputs().get(i).name());
                }
                TritonVersionMap versions = TritonVersionMap.fromParameters(parameters(parsed));
                assertEquals(List.of(new TritonVersion(1, SemVer.parse("1.0.0"),
                        Sha256.ofFile(pkg.root().resolve("conduit.json")))), versions.versions());
                // The JSON a config endpoint answers is the same message.
                String json = TritonModelConfig.of(m, 8, versions).toJson().toString();
                assertEquals(parsed, TritonSchema.parseJson(json), file);
            }
        }
    }

    @Test
    void namesAreEscapedSoAnyTensorNameParses() throws Exception {
        String odd = "a \"quoted\" \\back\\slash 'x' \u00e9\u4e2d\n";
        Manifest m = rename(manifestOf("scale_bias.onnx", UnaryOperator.identity()), odd);
        ModelConfig parsed = TritonSchema.parsePbtxt(TritonModelConfig.of(m, 8, new TritonVersionMap(List.of())).toPbtxt());
        assertEquals(odd, parsed.getInput(0).getName());
        assertEquals(odd + "out", parsed.getOutput(0).getName());
    }

    @Test
    void aBatchAxisOnlyWhereTheLayoutsSaySo() throws Exception {
        Manifest vectors = manifestOf("scale_bias.onnx", m -> withLayout(m, Layout.VECTOR));
        ModelConfig batched = parse(vectors);
        assertEquals(8, batched.getMaxBatchSize());
        assertEquals(List.of(-1L), batched.getInput(0).getDimsList());
        assertTrue(batched.hasDynamicBatching());

        // A point cloud's N axis is dynamic but it is the data, not a batch.
        Manifest points = manifestOf("slow_identity.onnx", m -> withLayout(m, Layout.POINTS));
        ModelConfig cloud = parse(points);
        assertEquals(0, cloud.getMaxBatchSize());
        assertEquals(List.of(-1L, 3L), cloud.getInput(0).getDimsList());
        assertFalse(cloud.hasDynamicBatching());

        // No layout stated: nothing is assumed.
        assertEquals(0, parse(manifestOf("scale_bias.onnx", UnaryOperator.identity())).getMaxBatchSize());
    }

    @Test
    void gpuInstancesOnlyForModelsThatRequireAGpu() throws Exception {
        Manifest cpuOk = manifestOf("scale_bias.onnx", UnaryOperator.identity());
        assertEquals(ModelInstanceGroup.Kind.KIND_AUTO, parse(cpuOk).getInstanceGroup(0).getKind());
        Manifest gpuOnly = manifestOf("scale_bias.onnx", m -> withRequirements(m, new Requirements(512, false, "fp32")));
        assertEquals(ModelInstanceGroup.Kind.KIND_GPU, parse(gpuOnly).getInstanceGroup(0).getKind());
    }

    @Test
    void versionsGetTheirOwnNumbersAndNeverOverwriteEachOther() throws Exception {
        Path repo = dir.resolve("triton");
        Path v1 = TestModels.packageOf("scale_bias.onnx", dir.resolve("a"));
        Path v2 = TestModels.packageOf("scale_bias.onnx", dir.resolve("b"), m -> withVersion(m, "1.1.0"));
        TritonExport.Result first;
        TritonExport.Result second;
        try (ModelPackage p1 = ModelPackage.open(v1); ModelPackage p2 = ModelPackage.open(v2)) {
            first = TritonExport.export(p1, repo, 8);
            second = TritonExport.export(p2, repo, 8);
            assertEquals(1, first.version().number());
            assertEquals(2, second.version().number());
            assertFalse(second.alreadyThere());
            assertTrue(TritonExport.export(p1, repo, 8).alreadyThere(), "the same package again changes nothing");
        }
        Path model = repo.resolve("scale-bias");
        assertTrue(Files.isRegularFile(model.resolve("1/model.onnx")));
        assertTrue(Files.isRegularFile(model.resolve("2/model.onnx")));
        TritonVersionMap map = TritonVersionMap.fromParameters(parameters(
                TritonSchema.parsePbtxt(Files.readString(model.resolve("config.pbtxt")))));
        assertEquals(List.of("1.0.0", "1.1.0"), map.versions().stream().map(v -> v.version().toString()).toList());
        assertEquals(Sha256.ofFile(v2.resolve("conduit.json")), map.find(2).orElseThrow().manifestSha256());

        // Another package claiming 1.0.0 is refused, and nothing changes.
        String before = Files.readString(model.resolve("config.pbtxt"));
        Path impostor = TestModels.packageOf("scale_bias.onnx", dir.resolve("c"),
                m -> withDescription(m, "not the published one"));
        try (ModelPackage p = ModelPackage.open(impostor)) {
            ConduitException e = assertThrows(ConduitException.class, () -> TritonExport.export(p, repo, 8));
            assertEquals(ErrorCode.VERSION_EXISTS, e.code());
            assertTrue(e.getMessage().contains("Triton version 1"), e.getMessage());
        }
        // A version whose tensors differ cannot share the one config.pbtxt Triton keeps per model.
        Path reshaped = TestModels.packageOf("scale_bias.onnx", dir.resolve("d"),
                m -> withLayout(withVersion(m, "2.0.0"), Layout.VECTOR));
        try (ModelPackage p = ModelPackage.open(reshaped)) {
            ConduitException e = assertThrows(ConduitException.class, () -> TritonExport.export(p, repo, 8));
            assertEquals(ErrorCode.USAGE, e.code());
            assertTrue(e.getMessage().contains("one config.pbtxt per model"), e.getMessage());
        }
        assertEquals(before, Files.readString(model.resolve("config.pbtxt")));
        assertFalse(Files.exists(model.resolve("3")));
    }

    @Test
    void externalDataTravelsWithTheModelAndAssetsStayBehind() throws Exception {
        Path pkgDir = TestModels.packageOf("scale_bias.onnx", dir);
        byte[] weights = new byte[4096];
        new java.util.Random(7).nextBytes(weights);
        Files.write(pkgDir.resolve("scale_bias.onnx.data"), weights);
        Files.createDirectories(pkgDir.resolve("weights"));
        Files.write(pkgDir.resolve("weights/extra.bin"), new byte[] {1, 2, 3});
        Files.writeString(pkgDir.resolve("preview.png"), "not model data");
        Manifest sealed = PackageWriter.reseal(pkgDir);
        Manifest withAsset = new Manifest(sealed.schemaVersion(), sealed.name(), sealed.version(), sealed.description(),
                sealed.authors(), sealed.modelFile(), sealed.inputs(), sealed.outputs(), sealed.requirements(),
                sealed.hosts(), sealed.lineage(), List.of("preview.png"), sealed.files());
        Files.writeString(pkgDir.resolve("conduit.json"), io.conduit.core.manifest.ManifestWriter.toJson(withAsset));
        try (ModelPackage pkg = ModelPackage.open(pkgDir)) {
            TritonExport.Result r = TritonExport.export(pkg, dir.resolve("triton"), 8);
            Path version = r.modelDir().resolve("1");
            assertArrayEquals(weights, Files.readAllBytes(version.resolve("scale_bias.onnx.data")));
            assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(version.resolve("weights/extra.bin")));
            assertArrayEquals(Files.readAllBytes(pkg.modelFile()), Files.readAllBytes(version.resolve("model.onnx")));
            assertFalse(Files.exists(version.resolve("preview.png")));
            assertEquals(List.of("model.onnx", "scale_bias.onnx.data", "weights/extra.bin"), r.files().stream().sorted().toList());
        }
    }

    @Test
    void aFolderConduitDidNotWriteIsLeftAlone() throws Exception {
        Path repo = dir.resolve("triton");
        Files.createDirectories(repo.resolve("scale-bias/1"));
        Files.writeString(repo.resolve("scale-bias/config.pbtxt"), "name: \"scale-bias\"\n");
        try (ModelPackage pkg = ModelPackage.open(TestModels.packageOf("scale_bias.onnx", dir))) {
            ConduitException e = assertThrows(ConduitException.class, () -> TritonExport.export(pkg, repo, 8));
            assertEquals(ErrorCode.USAGE, e.code());
        }
        assertEquals("name: \"scale-bias\"\n", Files.readString(repo.resolve("scale-bias/config.pbtxt")));
    }

    private ModelConfig parse(Manifest m) throws Exception {
        return TritonSchema.parsePbtxt(TritonModelConfig.of(m, 8, new TritonVersionMap(List.of())).toPbtxt());
    }

    static java.util.Map<String, String> parameters(ModelConfig config) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        config.getParametersMap().forEach((k, v) -> out.put(k, v.getStringValue()));
        return out;
    }

    private Manifest manifestOf(String file, UnaryOperator<Manifest> edit) throws Exception {
        Path pkg = TestModels.packageOf(file, Files.createTempDirectory(dir, "m"), edit);
        try (ModelPackage p = ModelPackage.open(pkg)) {
            return p.manifest();
        }
    }

    static Manifest withLayout(Manifest m, Layout layout) {
        UnaryOperator<TensorSpec> lay = s -> new TensorSpec(s.name(), s.datatype(), s.shape(), layout, s.role(),
                s.valueRange(), s.colorSpace());
        return copy(m, m.version(), m.description(), m.inputs().stream().map(lay).toList(),
                m.outputs().stream().map(lay).toList(), m.requirements());
    }

    static Manifest withVersion(Manifest m, String version) {
        return copy(m, SemVer.parse(version), m.description(), m.inputs(), m.outputs(), m.requirements());
    }

    private static Manifest withDescription(Manifest m, String description) {
        return copy(m, m.version(), description, m.inputs(), m.outputs(), m.requirements());
    }

    private static Manifest withRequirements(Manifest m, Requirements r) {
        return copy(m, m.version(), m.description(), m.inputs(), m.outputs(), r);
    }

    private static Manifest rename(Manifest m, String name) {
        TensorSpec in = m.inputs().get(0);
        TensorSpec out = m.outputs().get(0);
        return copy(m, m.version(), m.description(),
                List.of(new TensorSpec(name, in.datatype(), in.shape(), in.layout(), in.role(), Optional.empty(), Optional.empty())),
                List.of(new TensorSpec(name + "out", out.datatype(), out.shape(), out.layout(), out.role(), Optional.empty(),
                        Optional.empty())), m.requirements());
    }

    private static Manifest copy(Manifest m, SemVer version, String description, List<TensorSpec> inputs,
                                 List<TensorSpec> outputs, Requirements requirements) {
        return new Manifest(m.schemaVersion(), m.name(), version, description, m.authors(), m.modelFile(), inputs, outputs,
                requirements, m.hosts(), m.lineage(), m.assets(), m.files());
    }
}
