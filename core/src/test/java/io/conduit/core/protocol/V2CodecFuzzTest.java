package io.conduit.core.protocol;

import io.conduit.core.testing.Fuzz;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Fuzzing the V2 request decoder, JSON and binary (corpus: fuzz/v2-json, fuzz/v2-binary; see docs/testing.md). */
class V2CodecFuzzTest {
    @Property
    void jsonRequestsDecodeOrAreRefusedClearly(@ForAll("json") byte[] body) throws Exception {
        Fuzz.check(body, () -> V2Codec.decodeRequest(new ByteArrayInputStream(body), null, body.length));
    }

    /** Binary seeds start with the JSON header's length (4 bytes), as the Inference-Header-Content-Length header carries it. */
    @Property
    void binaryRequestsDecodeOrAreRefusedClearly(@ForAll("binary") byte[] seed) throws Exception {
        Fuzz.check(seed, () -> {
            if (seed.length < 4) {
                return;
            }
            long headerLength = ByteBuffer.wrap(seed, 0, 4).getInt() & 0xffffffffL;
            byte[] body = java.util.Arrays.copyOfRange(seed, 4, seed.length);
            V2Codec.decodeRequest(new ByteArrayInputStream(body), headerLength, body.length);
        });
    }

    @Provide
    Arbitrary<byte[]> json() {
        return Fuzz.mutants("v2-json");
    }

    @Provide
    Arbitrary<byte[]> binary() {
        return Fuzz.mutants("v2-binary");
    }
}
