package io.conduit.core.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {
    @Test
    void joinsAndSlicesAlongTheFirstAxis() {
        Tensor a = Tensor.ofFloats(new long[]{1, 2}, 1, 2);
        Tensor b = Tensor.ofFloats(new long[]{2, 2}, 3, 4, 5, 6);
        Tensor joined = Batches.join(List.of(a, b));
        assertArrayEquals(new long[]{3, 2}, joined.shape());
        Tensor back = Batches.slice(joined, 1, 2);
        assertArrayEquals(new long[]{2, 2}, back.shape());
        assertEquals(3f, back.floats().get(0));
        assertEquals(6f, back.floats().get(3));
    }

    @Test
    void joinsAndSlicesStringsAsADynamicBatchDoes() {
        Tensor a = Tensor.ofStrings(new long[]{1, 2}, "a", "b");
        Tensor b = Tensor.ofStrings(new long[]{2, 2}, "c", "", "é", "f");
        Tensor joined = Batches.join(List.of(a, b));
        assertEquals(DataType.BYTES, joined.type());
        assertArrayEquals(new long[]{3, 2}, joined.shape());
        assertArrayEquals(new String[]{"a", "b", "c", "", "é", "f"}, joined.strings());
        Tensor back = Batches.slice(joined, 1, 2);
        assertArrayEquals(new long[]{2, 2}, back.shape());
        assertArrayEquals(b.strings(), back.strings());
        assertFalse(Batches.joinable(List.of(a, Tensor.ofFloats(new long[]{1, 2}, 1, 2))), "strings join only strings");
    }

    @Test
    void refusesTensorsThatDifferBeyondTheBatchAxis() {
        Tensor a = Tensor.ofFloats(new long[]{1, 2}, 1, 2);
        Tensor c = Tensor.ofFloats(new long[]{1, 3}, 1, 2, 3);
        assertFalse(Batches.joinable(List.of(a, c)));
        assertThrows(IllegalArgumentException.class, () -> Batches.join(List.of(a, c)));
        assertThrows(IllegalArgumentException.class, () -> Batches.slice(a, 1, 1));
    }
}
