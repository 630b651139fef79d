package io.conduit.core.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Half;
import io.conduit.core.tensor.Tensor;
import io.conduit.core.tensor.TensorMetrics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class V2CodecTest {
    static Tensor sample(DataType type) {
        Tensor t = Tensor.allocate(type, 2, 3);
        var b = t.bytes();
        for (int i = 0; i < 6; i++) {
            switch (type) {
                case BOOL -> b.put(i, (byte) (i % 2));
                case UINT8 -> b.put(i, (byte) (250 + i));
                case INT32 -> b.putInt(i * 4, -1000 * i);
                case INT64 -> b.putLong(i * 8, (1L << 40) + i);
                case FP16 -> b.putShort(i * 2, Half.fromFloat(i / 4f));
                case FP32 -> b.putFloat(i * 4, i == 5 ? -0.0f : i * 0.1f - 0.25f);
                case FP64 -> b.putDouble(i * 8, i == 5 ? -0.0 : i * 0.1 - 1e300);
                case INT8 -> b.put(i, (byte) (i == 5 ? -128 : 127 - i));
                case INT16 -> b.putShort(i * 2, (short) (i == 5 ? Short.MIN_VALUE : 1000 * i));
                case UINT16 -> b.putShort(i * 2, (short) (0xffff - i));
                case UINT32 -> b.putInt(i * 4, (int) (0xffffffffL - i));
                case UINT64 -> b.putLong(i * 8, -1L - i); // 2^64 - 1 - i
                case BF16 -> b.putShort(i * 2, (short) (0x3f80 + i));
            }
        }
        return t;
    }

    static byte[] bytes(V2Body body) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        assertEquals(body.contentLength(), out.size());
        return out.toByteArray();
    }

    @Test
    void everyDatatypeRoundTripsInBinaryAndJson() throws Exception {
        for (DataType type : DataType.values()) {
            if (type == DataType.BYTES) {
                continue; // strings: below
            }
            for (boolean binary : new boolean[]{true, false}) {
                if (!TensorJson.hasJsonForm(type) && !binary) {
                    continue;
                }
                InferRequest request = new InferRequest("req-1", List.of(new NamedTensor("x", sample(type))),
                        List.of(new InferRequest.OutputRequest("y", true)), false);
                V2Body body = V2Codec.encodeRequest(request, binary);
                assertEquals(binary, body.binary());
                InferRequest back = V2Codec.decodeRequest(new ByteArrayInputStream(bytes(body)),
                        binary ? (long) body.header().length : null);
                Tensor t = back.inputMap().get("x");
                assertEquals(type, t.type(), type + " binary=" + binary);
                assertArrayEquals(new long[]{2, 3}, t.shape());
                for (int i = 0; i < 6; i++) {
                    assertEquals(TensorMetrics.value(sample(type), i), TensorMetrics.value(t, i), type + " element " + i);
                }
                assertEquals(sample(type).bytes(), t.bytes(), type + " binary=" + binary + ": bit for bit, -0.0 included");
                assertEquals("req-1", back.id());
                assertTrue(back.outputs().get(0).binary());
            }
        }
    }

    @Test
    void stringsRoundTripAsJsonStringsAndInTritonsBinaryLayout() throws Exception {
        Tensor words = Tensor.ofStrings(new long[]{2, 2}, "cat", "", "naïve \"quoted\"\n", "日本 a😀b");
        for (boolean binary : new boolean[]{true, false}) {
            V2Body body = V2Codec.encodeRequest(new InferRequest("", List.of(new NamedTensor("w", words)), List.of(), false),
                    binary);
            InferRequest back = V2Codec.decodeRequest(new ByteArrayInputStream(bytes(body)),
                    binary ? (long) body.header().length : null);
            Tensor t = back.inputMap().get("w");
            assertEquals(DataType.BYTES, t.type());
            assertArrayEquals(new long[]{2, 2}, t.shape());
            assertArrayEquals(words.strings(), t.strings(), "binary=" + binary);
        }
        String json = new String(V2Codec.encodeRequest(new InferRequest("", List.of(new NamedTensor("w",
                Tensor.ofStrings(new long[]{2}, "a", "bc"))), List.of(), false), false).header(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"datatype\":\"BYTES\"") && json.contains("\"data\":[\"a\",\"bc\"]"), json);
        // Triton's layout: each element a 4-byte little-endian length, then its UTF-8 bytes.
        V2Body body = V2Codec.encodeRequest(new InferRequest("", List.of(new NamedTensor("w",
                Tensor.ofStrings(new long[]{2}, "a", "é"))), List.of(), false), true);
        byte[] all = bytes(body);
        byte[] section = java.util.Arrays.copyOfRange(all, body.header().length, all.length);
        assertArrayEquals(new byte[]{1, 0, 0, 0, 'a', 2, 0, 0, 0, (byte) 0xc3, (byte) 0xa9}, section);
        assertTrue(new String(body.header(), StandardCharsets.UTF_8).contains("\"binary_data_size\":11"));
    }

    @Test
    void malformedStringsAreRefusedNamingTheElement() {
        String header = "{\"inputs\":[{\"name\":\"w\",\"datatype\":\"BYTES\",\"shape\":[2],"
                + "\"parameters\":{\"binary_data_size\":%d}}]}";
        String good = String.format(header, 10);
        expect(good + "\u0001\0\0\0a\u0001\0\0\0\u00ff", (long) good.length(), "string 1 is not UTF-8 text");
        expect(good + "\u0001\0\0\0a\u0009\0\0\0b", (long) good.length(), "string 1 declares 9 bytes but only 1 remain");
        String extra = String.format(header, 11);
        expect(extra + "\u0001\0\0\0a\u0001\0\0\0bc", (long) extra.length(), "holds 1 bytes after its 2 strings");
        String small = String.format(header, 7);
        expect(small + "\u0003\0\0\0abc", (long) small.length(), "2 strings need at least 8");
        expect("{\"inputs\":[{\"name\":\"w\",\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"a\",3]}]}", null,
                "value 1 is 3; expected a JSON string for BYTES");
    }

    @Test
    void responsesMixBinaryAndJsonOutputs() throws Exception {
        InferResponse response = new InferResponse("m", "1.0.0", "", List.of(new NamedTensor("a", sample(DataType.FP16)),
                new NamedTensor("b", sample(DataType.INT64))), Map.of("conduit_route", "local-cpu"));
        V2Body body = V2Codec.encodeResponse(response, name -> name.equals("a"));
        InferResponse back = V2Codec.decodeResponse(new ByteArrayInputStream(bytes(body)), (long) body.header().length);
        assertEquals("local-cpu", back.parameters().get("conduit_route"));
        assertEquals((1L << 40) + 5, back.outputMap().get("b").longs().get(5));
        assertEquals(1.25f, Half.toFloat(back.outputMap().get("a").halfBits().get(5)));
        String header = new String(body.header(), StandardCharsets.UTF_8);
        assertTrue(header.contains("\"binary_data_size\":12"), header);
        assertTrue(header.contains("\"data\":[1099511627776,"), header);
    }

    @Test
    void binaryDataOutputAppliesUnlessAnOutputSaysOtherwise() {
        String json = "{\"parameters\":{\"binary_data_output\":true},\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\","
                + "\"shape\":[1],\"data\":[1]}],\"outputs\":[{\"name\":\"a\",\"parameters\":{\"classification\":0}},"
                + "{\"name\":\"b\",\"parameters\":{\"binary_data\":false}},{\"name\":\"c\"}]}";
        InferRequest r = V2Codec.decodeRequest(stream(json), null);
        assertEquals(List.of(true, false, true), r.outputs().stream().map(InferRequest.OutputRequest::binary).toList());
    }

    @Test
    void binarySizesBeyondTheBodyAreRefusedBeforeAllocating() {
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[134217728,2],"
                + "\"parameters\":{\"binary_data_size\":1073741824}}]}";
        ProtocolException e = assertThrows(ProtocolException.class, () -> V2Codec.decodeRequest(stream(header + "1234"),
                (long) header.length(), header.length() + 4));
        assertTrue(e.getMessage().contains("binary_data_size 1073741824 would end the body at byte"), e.getMessage());
        String huge = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[4611686018427387904],"
                + "\"parameters\":{\"binary_data_size\":0}}]}";
        assertTrue(assertThrows(ProtocolException.class, () -> V2Codec.decodeRequest(stream(huge), (long) huge.length()))
                .getMessage().contains("is too large"));
    }

    @Test
    void jsonCarriesUnsignedValuesAndNegativeZeroAsWritten() {
        String json = new String(V2Codec.encodeRequest(new InferRequest("", List.of(new NamedTensor("x", sample(DataType.UINT64)),
                new NamedTensor("z", sample(DataType.FP32))), List.of(), false), false).header(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"data\":[18446744073709551615,18446744073709551614,"), json);
        assertTrue(json.contains(",-0.0]"), json);
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"UINT64\",\"shape\":[1],\"data\":[18446744073709551616]}]}", null,
                "tensor \"x\": value 0 is 18446744073709551616; expected a whole number from 0 to 18446744073709551615");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"BF16\",\"shape\":[1],\"data\":[1]}]}", null,
                "tensor \"x\" is BF16, which the protocol carries only as binary data");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[1],\"data\":[NaN]}]}", null,
                "tensor \"x\": value 0 is \"NaN\"; expected a number");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1e39]}]}", null,
                "tensor \"x\": value 0 is 1e39, beyond the range of FP32");
    }

    @Test
    void nestedJsonDataIsFlattened() {
        String json = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[2,2],\"data\":[[1,2],[3,4]]}]}";
        Tensor t = V2Codec.decodeRequest(stream(json), null).inputMap().get("x");
        assertEquals(4, t.ints().get(3));
    }

    @Test
    void malformedMessagesAreRefusedNamingTheTensorAndTheProblem() {
        expect("{\"inputs\": [", null, "the JSON header is not valid JSON");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FLOAT\",\"shape\":[1],\"data\":[1]}]}", null,
                "input \"x\": datatype \"FLOAT\" is not supported; expected one of BOOL, UINT8, INT32, INT64, FP16, FP32, FP64, INT8, INT16, UINT16, UINT32, UINT64, BF16");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2,3],\"data\":[1,2,3]}]}", null,
                "tensor \"x\": shape [2, 3] needs 6 values, data has 3");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"UINT8\",\"shape\":[1],\"data\":[300]}]}", null,
                "tensor \"x\": value 0 is 300; expected a whole number from 0 to 255");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP16\",\"shape\":[1],\"data\":[1]}]}", null,
                "tensor \"x\" is FP16, which the protocol carries only as binary data");
        expect("{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1],\"data\":[]}]}", null,
                "input \"x\": shape[0] is -1; expected a size of 0 or more");
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[3],"
                + "\"parameters\":{\"binary_data_size\":12}}]}";
        expect(header + "12345678", (long) header.length(), "input \"x\": the body ends after 8 bytes of binary data");
        expect(header + "1234567890123456", (long) header.length(), "the body has 4 bytes after the 12 bytes of binary data");
        expect(header.replace("12}", "16}"), (long) header.replace("12}", "16}").length(),
                "input \"x\": binary_data_size is 16 bytes but FP32[3] needs 12");
        expect(header + "123456789012", null, "binary data needs the Inference-Header-Content-Length header");
        expect(header, 4000L, "Inference-Header-Content-Length is 4000 but the body has only");
    }

    private static void expect(String body, Long headerLength, String message) {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> V2Codec.decodeRequest(stream(body), headerLength));
        assertTrue(e.getMessage().contains(message), "expected \"" + message + "\" in: " + e.getMessage());
        assertFalse(e.getMessage().isBlank());
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
