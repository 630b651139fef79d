package io.conduit.core.tensor;

import java.util.Arrays;

/** Arithmetic and formatting on tensor shapes, where -1 marks a dynamic axis in a signature. */
public final class Shapes {
    /** The marker for an axis whose size is only known at run time. */
    public static final long DYNAMIC = -1;

    private Shapes() {
    }

    /** The number of elements in a concrete shape; refuses negative axes and overflow. */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long axis : shape) {
            if (axis < 0) {
                throw new IllegalArgumentException("shape " + format(shape) + " has a negative axis");
            }
            count = Math.multiplyExact(count, axis);
        }
        return count;
    }

    /** Whether a concrete shape fits a signature whose -1 axes accept any size. */
    public static boolean fits(long[] signature, long[] concrete) {
        if (signature.length != concrete.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if (signature[i] != DYNAMIC && signature[i] != concrete[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code [1, 3, -1, -1]}. */
    public static String format(long[] shape) {
        return Arrays.toString(shape);
    }
}
