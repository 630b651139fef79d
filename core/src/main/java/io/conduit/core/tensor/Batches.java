package io.conduit.core.tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Joins tensors along their first (batch) axis and cuts them apart again: what dynamic batching
 * does with the requests it groups into one run.
 */
public final class Batches {
    private Batches() {
    }

    /** Whether these tensors differ at most in their first axis, so they can be joined. */
    public static boolean joinable(List<Tensor> tensors) {
        Tensor first = tensors.get(0);
        long[] rest = Arrays.copyOfRange(first.shape(), 1, first.shape().length);
        for (Tensor t : tensors) {
            long[] shape = t.shape();
            if (t.type() != first.type() || shape.length == 0
                    || !Arrays.equals(rest, Arrays.copyOfRange(shape, 1, shape.length))) {
                return false;
            }
        }
        return first.shape().length > 0;
    }

    /** One tensor holding {@code parts} one after another along axis 0. */
    public static Tensor join(List<Tensor> parts) {
        if (!joinable(parts)) {
            throw new IllegalArgumentException("tensors differ beyond their first axis: " + parts);
        }
        long[] shape = parts.get(0).shape();
        shape[0] = parts.stream().mapToLong(t -> t.shape()[0]).sum();
        if (parts.get(0).type() == DataType.BYTES) {
            return Tensor.ofStrings(shape, parts.stream().flatMap(t -> Arrays.stream(t.strings())).toArray(String[]::new));
        }
        Tensor joined = Tensor.allocate(parts.get(0).type(), shape);
        ByteBuffer out = joined.bytes();
        for (Tensor part : parts) {
            out.put(part.bytes());
        }
        return joined;
    }

    /** Rows {@code [start, start + count)} of axis 0, as a view sharing {@code tensor}'s memory (strings: a copy). */
    public static Tensor slice(Tensor tensor, long start, long count) {
        long[] shape = tensor.shape();
        if (shape.length == 0 || start < 0 || count < 0 || start + count > shape[0]) {
            throw new IllegalArgumentException("cannot take rows " + start + ".." + (start + count) + " of " + tensor);
        }
        if (tensor.type() == DataType.BYTES) {
            int row = shape[0] == 0 ? 0 : Math.toIntExact(tensor.elementCount() / shape[0]);
            String[] rows = Arrays.copyOfRange(tensor.strings(), Math.toIntExact(start * row),
                    Math.toIntExact((start + count) * row));
            shape[0] = count;
            return Tensor.ofStrings(shape, rows);
        }
        long rowBytes = shape[0] == 0 ? 0 : tensor.bytes().remaining() / shape[0];
        ByteBuffer view = tensor.bytes();
        view.position(Math.toIntExact(start * rowBytes)).limit(Math.toIntExact((start + count) * rowBytes));
        shape[0] = count;
        return Tensor.wrap(tensor.type(), shape, view.slice());
    }
}
