package io.conduit.core.python;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.protocol.InferRequest;
import io.conduit.core.protocol.InferResponse;
import io.conduit.core.protocol.NamedTensor;
import io.conduit.core.protocol.V2Body;
import io.conduit.core.protocol.V2Codec;
import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs conduit_client's tensor tests (src/test/python/test_tensors.py) with the machine's python3:
 * every datatype Conduit carries packs to the bytes the V2 binary extension expects and back; and strings
 * cross between the client and Java's V2 codec.
 */
class PythonClientTensorsTest {
    @Test
    void theClientCarriesEveryDatatype() throws Exception {
        Process python = new ProcessBuilder("python3", Path.of("src/test/python/test_tensors.py").toString(),
                Path.of("src/main/python").toAbsolutePath().toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, python.exitValue(), output);
        assertTrue(output.contains("Ran 6 tests"), output);
    }

    /**
     * Strings cross between the Python client and Java's V2 codec both ways: a request the client encodes
     * decodes in Java to the same strings, and a response Java encodes (binary and JSON) decodes in the client.
     */
    @Test
    void stringsCrossBetweenThePythonClientAndTheJavaCodec(@TempDir Path dir) throws Exception {
        String[] words = {"cat", "", "naïve", "日本 a😀b"};
        InferResponse response = new InferResponse("m", "1", "", List.of(
                new NamedTensor("bin", Tensor.ofStrings(new long[]{2, 2}, words)),
                new NamedTensor("json", Tensor.ofStrings(new long[]{1}, "é"))), Map.of());
        V2Body body = V2Codec.encodeResponse(response, name -> name.equals("bin"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        body.writeTo(bytes);
        Files.write(dir.resolve("response.bin"), bytes.toByteArray());
        String script = String.join("\n",
                "import json, struct, sys",
                "sys.path.insert(0, sys.argv[1])",
                "from conduit_client import protocol",
                "from conduit_client.tensors import Tensor",
                "words = [u'cat', u'', u'na\\u00efve', u'\\u65e5\\u672c a\\U0001F600b']",
                "header, buffers = protocol.encode_request([Tensor.from_values('w', 'BYTES', [2, 2], words)])",
                "open(sys.argv[2], 'wb').write(struct.pack('>I', len(header)) + header"
                        + " + b''.join(bytes(bytearray(b)) for b in buffers))",
                "raw = open(sys.argv[3], 'rb').read()",
                "_, outputs = protocol.decode_response(raw, int(sys.argv[4]))",
                "print(json.dumps(dict((n, t.values()) for n, t in outputs.items()), sort_keys=True))", "");
        Path py = Files.writeString(dir.resolve("strings.py"), script);
        Process python = new ProcessBuilder("python3", py.toString(), Path.of("src/main/python").toAbsolutePath().toString(),
                dir.resolve("request.bin").toString(), dir.resolve("response.bin").toString(),
                String.valueOf(body.header().length)).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(2, TimeUnit.MINUTES), output);
        assertEquals(0, python.exitValue(), output);
        assertEquals("{\"bin\": [\"cat\", \"\", \"na\\u00efve\", \"\\u65e5\\u672c a\\ud83d\\ude00b\"],"
                + " \"json\": [\"\\u00e9\"]}", output.strip());
        byte[] request = Files.readAllBytes(dir.resolve("request.bin"));
        long headerLength = ByteBuffer.wrap(request, 0, 4).getInt();
        InferRequest decoded = V2Codec.decodeRequest(new ByteArrayInputStream(request, 4, request.length - 4), headerLength);
        Tensor w = decoded.inputMap().get("w");
        assertEquals(DataType.BYTES, w.type());
        assertArrayEquals(words, w.strings());
    }
}
