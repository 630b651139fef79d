package io.conduit.core.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.testing.TestModels;
import org.junit.jupiter.api.Test;

/** A model stamped with an opset older than ONNX Runtime loads is refused with the fix, not as "corrupt". */
class OldOpsetTest {
    @Test
    void anOldOpsetSaysToConvertTheModel() {
        ConduitException e = assertThrows(ConduitException.class,
                () -> OnnxModels.readSignature(TestModels.onnx("old_opset.onnx")));
        assertEquals(ErrorCode.MODEL_CORRUPT, e.code());
        assertTrue(e.getMessage().contains("convert it to a newer opset"), e.getMessage());
    }
}
