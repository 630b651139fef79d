package io.conduit.core.protocol;

import io.conduit.core.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * BYTES tensors in Triton's binary layout: each element a 4-byte little-endian length followed by
 * that many bytes, one after another in row-major order. Conduit's strings are text (ONNX Runtime's
 * Java API takes and gives {@code String}s), so the bytes must be UTF-8: anything else is refused
 * rather than replaced, since a replaced byte would be a silently different input. The V2 codec uses it for
 * binary HTTP bodies, the service's gRPC port for raw tensor contents, which have the same layout.
 *
 * @see <a href="https://github.com/triton-inference-server/server/blob/main/docs/protocol/extension_binary_data.md">binary data extension</a>
 */
public final class BinaryStrings {
    private BinaryStrings() {
    }

    /** A BYTES tensor's strings in the binary layout (UTF-8), for an answer or a request. */
    public static ByteBuffer encode(Tensor tensor) {
        String[] strings = tensor.strings();
        byte[][] encoded = new byte[strings.length][];
        long total = 0;
        for (int i = 0; i < strings.length; i++) {
            encoded[i] = strings[i].getBytes(StandardCharsets.UTF_8);
            total += 4 + encoded[i].length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new ProtocolException("the strings of " + tensor + " take " + total + " bytes; one tensor may take 2 GiB");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : encoded) {
            out.putInt(e.length).put(e);
        }
        return out.flip();
    }

    /** The {@code count} strings in {@code raw}, which must hold exactly them. */
    public static String[] decode(ByteBuffer raw, long count, String what) {
        ByteBuffer in = raw.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        var utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String[] strings = new String[Math.toIntExact(count)];
        for (int i = 0; i < strings.length; i++) {
            if (in.remaining() < 4) {
                throw new ProtocolException(what + ": the binary data ends at string " + i + " of " + count
                        + "; expected each as a 4-byte little-endian length and its bytes");
            }
            long length = in.getInt() & 0xffffffffL;
            if (length > in.remaining()) {
                throw new ProtocolException(what + ": string " + i + " declares " + length + " bytes but only "
                        + in.remaining() + " remain in its binary data");
            }
            ByteBuffer bytes = in.slice().limit((int) length);
            try {
                strings[i] = utf8.decode(bytes).toString();
            } catch (CharacterCodingException e) {
                throw new ProtocolException(what + ": string " + i + " is not UTF-8 text; Conduit carries BYTES"
                        + " elements as text, as ONNX Runtime's string tensors hold them");
            }
            in.position(in.position() + (int) length);
        }
        if (in.hasRemaining()) {
            throw new ProtocolException(what + ": the binary data holds " + in.remaining() + " bytes after its "
                    + count + " strings; shape and data disagree");
        }
        return strings;
    }
}
