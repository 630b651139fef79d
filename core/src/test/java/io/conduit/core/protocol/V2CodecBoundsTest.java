package io.conduit.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.tensor.DataType;
import io.conduit.core.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a request can make the decoder read and reserve before it is refused: no more than it sent, and no more than its shape allows. */
class V2CodecBoundsTest {
    @Test
    void jsonDataLongerThanItsShapeIsRefusedAtTheFirstValueTooMany() {
        String head = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[2],\"data\":[";
        long values = 5_000_000;
        CountingStream body = new CountingStream(head, "1,", values, "1]}]}");
        ProtocolException e = assertThrows(ProtocolException.class, () -> V2Codec.decodeRequest(body, null, body.size));
        assertTrue(e.getMessage().contains("tensor \"x\": shape [2] needs 2 values, data has more"), e.getMessage());
        // The reader's own buffers (8 KiB of bytes, 1 KiB of chars) are all it may have read past the third value.
        assertTrue(body.read < 64 * 1024, "read " + body.read + " of " + body.size + " bytes before refusing");
    }

    @Test
    void dataBeforeItsShapeIsKeptUntilTheShapeIsKnown() {
        String json = "{\"inputs\":[{\"data\":[[1,2],[3,4]],\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"INT32\"}]}";
        Tensor t = V2Codec.decodeRequest(stream(json), null).inputMap().get("x");
        assertEquals(4, t.ints().get(3));
        ProtocolException shortData = assertThrows(ProtocolException.class, () -> V2Codec.decodeRequest(
                stream(json.replace("[2,2]", "[2,3]")), null));
        assertTrue(shortData.getMessage().contains("tensor \"x\": shape [2, 3] needs 6 values, data has 4"), shortData.getMessage());
        ProtocolException notNumber = assertThrows(ProtocolException.class, () -> V2Codec.decodeRequest(
                stream(json.replace("[3,4]", "[3,\"four\"]")), null));
        assertTrue(notNumber.getMessage().contains("tensor \"x\": value 3 is \"four\"; expected a number"), notNumber.getMessage());
        String strings = "{\"inputs\":[{\"data\":[\"a\\u0000b\",\"\"],\"name\":\"w\",\"shape\":[2],\"datatype\":\"BYTES\"}]}";
        assertEquals(List.of("a\0b", ""), List.of(V2Codec.decodeRequest(stream(strings), null).inputMap().get("w").strings()),
                "strings kept whole, a NUL inside one included");
    }

    @Test
    void aBinaryTensorReservesNoMoreThanTwiceWhatArrived() {
        long gib = 1L << 30;
        String header = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[" + gib / 4 + "],"
                + "\"parameters\":{\"binary_data_size\":" + gib + "}}]}";
        int sent = 3 << 20;
        InputStream body = new SequenceInputStream(stream(header), new ByteArrayInputStream(new byte[sent]));
        RecordingAllocator allocator = new RecordingAllocator(64 << 20);
        // A body without Content-Length (chunked): its size is unknown, so only the bytes received bound it.
        ProtocolException e = assertThrows(ProtocolException.class, () -> V2Codec.decodeRequest(body,
                (long) header.length(), Long.MAX_VALUE, allocator));
        assertTrue(e.getMessage().contains("input \"x\": the body ends after " + sent + " bytes of binary data"), e.getMessage());
        assertTrue(allocator.largest() <= 2L * sent, "reserved " + allocator.largest() + " bytes for " + sent + " received");
    }

    @Test
    void aTensorGrownAsItArrivesIsWholeAndTheOutgrownBuffersGoBack() {
        int count = (7 << 20) / 8; // 3.5 MiB of FP32
        Tensor sent = Tensor.allocate(DataType.FP32, count);
        for (int i = 0; i < count; i++) {
            sent.bytes().putFloat(i * 4, i * 0.5f);
        }
        V2Body body = V2Codec.encodeRequest(new InferRequest("", List.of(new NamedTensor("x", sent)), List.of(), false), true);
        byte[] bytes = new byte[(int) body.contentLength()];
        ByteBuffer all = ByteBuffer.wrap(bytes).put(body.header());
        body.sections().forEach(s -> all.put(s.duplicate()));
        RecordingAllocator allocator = new RecordingAllocator(64 << 20);
        Tensor received = V2Codec.decodeRequest(new ByteArrayInputStream(bytes), (long) body.header().length,
                bytes.length, allocator).inputMap().get("x");
        assertEquals(sent.bytes().rewind(), received.bytes().rewind());
        assertEquals(List.of(1 << 20, 2 << 20), allocator.released);
        assertEquals(List.of(1 << 20, 2 << 20, 7 << 19), allocator.sizes);
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Records every size asked for and every buffer given back; a size past {@code most} fails the test at once. */
    private static final class RecordingAllocator implements TensorAllocator {
        final List<Integer> sizes = new ArrayList<>();
        final List<Integer> released = new ArrayList<>();
        private final int most;

        RecordingAllocator(int most) {
            this.most = most;
        }

        @Override
        public ByteBuffer allocate(String name, int size) {
            sizes.add(size);
            if (size > most) {
                throw new AssertionError("asked to reserve " + size + " bytes for " + name);
            }
            return ByteBuffer.allocate(size);
        }

        @Override
        public void release(ByteBuffer buffer) {
            released.add(buffer.capacity());
        }

        long largest() {
            return sizes.stream().mapToLong(Integer::longValue).max().orElse(0);
        }
    }

    /** A head, a piece repeated, and a tail, made as they are read (never held whole), counting the bytes read. */
    private static final class CountingStream extends InputStream {
        private final byte[] head;
        private final byte[] piece;
        private final byte[] tail;
        final long size;
        long read;

        CountingStream(String head, String piece, long repeats, String tail) {
            this.head = head.getBytes(StandardCharsets.UTF_8);
            this.piece = piece.getBytes(StandardCharsets.UTF_8);
            this.tail = tail.getBytes(StandardCharsets.UTF_8);
            this.size = this.head.length + repeats * this.piece.length + this.tail.length;
        }

        @Override
        public int read() {
            if (read >= size) {
                return -1;
            }
            long at = read++;
            if (at < head.length) {
                return head[(int) at];
            }
            long inTail = at - (size - tail.length);
            return inTail >= 0 ? tail[(int) inTail] : piece[(int) ((at - head.length) % piece.length)];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (read >= size) {
                return -1;
            }
            int n = 0;
            while (n < length && read < size) {
                buffer[offset + n++] = (byte) read();
            }
            return n;
        }
    }
}
