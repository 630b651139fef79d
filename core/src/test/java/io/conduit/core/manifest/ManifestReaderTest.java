package io.conduit.core.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.conduit.core.ManifestException;
import io.conduit.core.tensor.DataType;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestReaderTest {

    static Path fixtures() throws URISyntaxException {
        return Path.of(ManifestReaderTest.class.getResource("/manifests").toURI());
    }

    /** Every fixture of every schema version this build has ever written must still load. */
    @Test
    void readsEveryFixtureOfEverySchemaVersion() throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(fixtures())) {
            files = walk.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertTrue(files.size() >= 2, "fixtures found: " + files);
        for (int version = 1; version <= Manifest.CURRENT_SCHEMA; version++) {
            int v = version;
            assertTrue(files.stream().anyMatch(p -> p.getParent().getFileName().toString().equals("v" + v)),
                    "no fixture for schema version " + v);
        }
        for (Path file : files) {
            Manifest manifest = ManifestReader.read(file);
            assertFalse(manifest.inputs().isEmpty(), file.toString());
        }
    }

    @Test
    void fullFixtureKeepsEveryField() throws Exception {
        Manifest m = ManifestReader.read(fixtures().resolve("v1/full.json"));
        assertEquals("plate-denoiser@2.1.0-rc.1", m.coordinate());
        assertEquals(DataType.FP16, m.input("plate").orElseThrow().datatype());
        assertEquals(Layout.NCHW, m.input("plate").orElseThrow().layout());
        assertEquals("linear", m.input("plate").orElseThrow().colorSpace().orElseThrow());
        assertEquals(6144, m.requirements().gpuMemoryMiB());
        assertFalse(m.requirements().cpuAllowed());
        assertEquals(new io.conduit.core.manifest.Tiling(512, 32), m.requirements().tiling().orElseThrow());
        assertEquals(5, m.hosts().get("nuke").parameters().size());
        assertEquals(1L, m.hosts().get("nuke").parameters().get(2).defaultValue());
        assertEquals(List.of("plate-denoiser@2.0.0", "grain-base@1.0.0"), m.lineage().parents());
        assertEquals(17, m.lineage().exporter().orElseThrow().opset().orElseThrow());
        assertEquals(40L, m.lineage().metrics().get("epochs"));
        assertEquals("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", m.modelDigest());
    }

    @Test
    void writerOutputReadsBackEqual() throws Exception {
        Manifest original = ManifestReader.read(fixtures().resolve("v1/full.json"));
        Manifest again = ManifestReader.parse(ManifestWriter.toJson(original));
        assertEquals(ManifestWriter.toJson(original), ManifestWriter.toJson(again));
        assertEquals(original.lineage(), again.lineage());
        assertEquals(original.hosts(), again.hosts());
    }

    @Test
    void zeroSizeAxesAndNoInputsAreValid() throws Exception {
        JsonObject json = JsonParser.parseString(Files.readString(fixtures().resolve("v1/full.json"))).getAsJsonObject();
        json.getAsJsonArray("outputs").get(0).getAsJsonObject().add("shape", JsonParser.parseString("[1, 0, 4, 4]"));
        json.add("inputs", new com.google.gson.JsonArray());
        json.getAsJsonObject().remove("hosts"); // its parameters feed inputs this manifest no longer has
        Manifest m = ManifestReader.parse(json.toString());
        assertTrue(m.inputs().isEmpty());
        assertEquals(0, m.outputs().get(0).shape()[1]);
    }

    @Test
    void unitsAreReadAndWrittenBack() throws Exception {
        JsonObject json = JsonParser.parseString(Files.readString(fixtures().resolve("v1/full.json"))).getAsJsonObject();
        input(json).add("units", JsonParser.parseString("{\"length\": \"m\", \"angle\": \"rad\"}"));
        Manifest m = ManifestReader.parse(json.toString());
        Units units = m.input("plate").orElseThrow().units().orElseThrow();
        assertEquals(new Units(java.util.Optional.of("m"), java.util.Optional.of("rad")), units);
        assertEquals(units, ManifestReader.parse(ManifestWriter.toJson(m)).input("plate").orElseThrow().units().orElseThrow());
        assertTrue(ManifestReader.read(fixtures().resolve("v1/full.json")).input("plate").orElseThrow().units().isEmpty());
    }

    static Stream<Arguments> invalidManifests() {
        return Stream.of(
                bad("missing name", m -> m.remove("name"), "name is missing"),
                bad("bad name", m -> m.addProperty("name", "Plate Denoiser"), "name is \"Plate Denoiser\""),
                bad("bad version", m -> m.addProperty("version", "2.1"), "version is \"2.1\" is not a semantic version"),
                bad("overlap too wide", m -> m.getAsJsonObject("requirements").getAsJsonObject("tiling")
                        .addProperty("overlap", 256), "requirements.tiling.overlap is 256; expected 0 or more and under half"),
                bad("unknown datatype", m -> input(m).addProperty("datatype", "FLOAT"),
                        "inputs[0].datatype is \"FLOAT\"; expected one of BOOL, UINT8, INT32, INT64, FP16, FP32, FP64, INT8, INT16, UINT16, UINT32, UINT64, BF16"),
                bad("bad axis", m -> input(m).add("shape", JsonParser.parseString("[1, -2, 4, 4]")),
                        "inputs[0].shape[1] is -2; expected a size of 0 or more, or -1 for a dynamic axis"),
                bad("no outputs", m -> m.add("outputs", new com.google.gson.JsonArray()),
                        "outputs is empty; expected at least one tensor"),
                bad("layout rank", m -> input(m).add("shape", JsonParser.parseString("[3, 4]")),
                        "layout NCHW cannot hold; expected rank 4"),
                bad("image without colour space", m -> input(m).remove("colorSpace"),
                        "declares role image without colorSpace"),
                bad("colour space Conduit cannot convert", m -> input(m).addProperty("colorSpace", "ACEScg"),
                        "inputs[0].colorSpace is \"ACEScg\"; expected one of sRGB, linear, raw"),
                bad("unknown field", m -> m.getAsJsonObject("requirements").addProperty("gpuMemoryMib", 2),
                        "requirements.gpuMemoryMib is not a field of this schema"),
                bad("string for number", m -> m.getAsJsonObject("requirements").addProperty("gpuMemoryMiB", "6 GB"),
                        "requirements.gpuMemoryMiB is \"6 GB\"; expected a whole number"),
                bad("duplicate input", m -> m.getAsJsonArray("inputs").add(input(m).deepCopy()),
                        "inputs[2].name is \"plate\", which an earlier entry already uses"),
                bad("parameter feeds no input", m -> nukeParam(m).addProperty("input", "amount"),
                        "hosts.nuke.parameters[0].input is \"amount\", which is not a model input"),
                bad("default outside range", m -> nukeParam(m).addProperty("default", 3),
                        "hosts.nuke.parameters[0].default is 3, outside [0.0, 1.0]"),
                bad("unknown host", m -> m.getAsJsonObject("hosts").add("blender", new JsonObject()),
                        "hosts.blender is not a field of this schema"),
                bad("bad parent", m -> m.getAsJsonObject("lineage").add("parents", JsonParser.parseString("[\"v2\"]")),
                        "lineage.parents[0] is \"v2\"; expected name@version"),
                bad("bad date", m -> m.getAsJsonObject("lineage").addProperty("createdAt", "yesterday"),
                        "lineage.createdAt is \"yesterday\"; expected an ISO-8601 UTC time"),
                bad("bad digest", m -> m.getAsJsonObject("files").addProperty("weights/model.onnx", "abc"),
                        "files.weights/model.onnx is \"abc\"; expected a sha256"),
                bad("model not listed", m -> m.addProperty("model", "other.onnx"),
                        "files has no sha256 for the model file \"other.onnx\""),
                bad("path escapes", m -> m.getAsJsonObject("files").addProperty("../x.onnx", "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"),
                        "files.../x.onnx is \"../x.onnx\"; expected a relative path inside the package"),
                bad("image of strings", m -> input(m).addProperty("datatype", "BYTES"),
                        "inputs[0].layout is NCHW for a BYTES (string) tensor; strings are no image"),
                bad("range of strings", m -> {
                    input(m).addProperty("datatype", "BYTES");
                    input(m).addProperty("layout", "any");
                    input(m).addProperty("role", "generic");
                }, "inputs[0] is a BYTES (string) tensor with a valueRange; strings have no values or colours"),
                bad("infinite range", m -> input(m).add("valueRange", JsonParser.parseString("[0, 1e400]")),
                        "inputs[0].valueRange[1] is 1e400; expected a finite number"),
                bad("overflowing range", m -> input(m).add("valueRange", JsonParser.parseString("[-1.7e308, 1.7e308]")),
                        "inputs[0].valueRange is [-1.7E308, 1.7E308]; expected [min, max] with finite min < max"),
                bad("dot segment", m -> m.addProperty("model", "./model.onnx"),
                        "model is \"./model.onnx\"; expected a relative path inside the package"),
                bad("unknown length unit", m -> input(m).add("units", JsonParser.parseString("{\"length\": \"metre\"}")),
                        "inputs[0].units.length is \"metre\"; expected one of [mm, cm, m, km, in, ft, yd, mi]"),
                bad("unknown units field", m -> input(m).add("units", JsonParser.parseString("{\"time\": \"s\"}")),
                        "inputs[0].units.time is not a field of this schema"),
                bad("future schema", m -> m.addProperty("schemaVersion", 9),
                        "schemaVersion is 9; this Conduit reads schema versions 1 to 1 (upgrade Conduit to read it)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidManifests")
    void refusesInvalidManifestNamingFieldValueAndExpectation(String label, Consumer<JsonObject> breakIt, String expected)
            throws Exception {
        JsonObject json = JsonParser.parseString(Files.readString(fixtures().resolve("v1/full.json"))).getAsJsonObject();
        breakIt.accept(json);
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestReader.parse(json.toString()));
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
    }

    @Test
    void refusesLenientJsonThatHidesTypos() {
        ManifestException e = assertThrows(ManifestException.class,
                () -> ManifestReader.parse("{\"schemaVersion\": 1, // a comment\n \"name\": \"x\"}"));
        assertTrue(e.getMessage().startsWith("the manifest is not valid JSON"), e.getMessage());
    }

    @Test
    void refusesTextThatIsNotJson() {
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestReader.parse("{\"name\": "));
        assertTrue(e.getMessage().startsWith("the manifest is not valid JSON"), e.getMessage());
    }

    @Test
    void errorFromFileNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("conduit.json");
        Files.writeString(file, "{\"schemaVersion\": 1}");
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestReader.read(file));
        assertTrue(e.getMessage().startsWith(file + ": manifest field name is missing"), e.getMessage());
    }

    private static Arguments bad(String label, Consumer<JsonObject> change, String expected) {
        return Arguments.of(label, change, expected);
    }

    private static JsonObject input(JsonObject m) {
        return m.getAsJsonArray("inputs").get(0).getAsJsonObject();
    }

    private static JsonObject nukeParam(JsonObject m) {
        return m.getAsJsonObject("hosts").getAsJsonObject("nuke").getAsJsonArray("parameters").get(0).getAsJsonObject();
    }
}
