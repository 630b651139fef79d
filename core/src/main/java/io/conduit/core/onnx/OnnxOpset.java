package io.conduit.core.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The opset a model is stamped with for ONNX's default operator domain ({@code ModelProto.opset_import}
 * entries with an empty domain), read from the protobuf without loading the model, so a refusal by
 * ONNX Runtime ("could not find an implementation for Relu(1)") can be told apart from corruption: an
 * opset older than {@link #OLDEST_LOADABLE} only needs converting.
 */
public final class OnnxOpset {
    /** The oldest default-domain opset ONNX Runtime 1.x loads. */
    public static final long OLDEST_LOADABLE = 7;

    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;

    private OnnxOpset() {
    }

    /** The default domain's opset, or empty when the file says none or cannot be read as a ModelProto. */
    public static OptionalLong defaultDomain(Path model) {
        try (InputStream file = Files.newInputStream(model)) {
            CodedInputStream in = CodedInputStream.newInstance(file, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE);
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) == MODEL_OPSET_IMPORT
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    int limit = in.pushLimit(in.readRawVarint32());
                    String domain = "";
                    long version = -1;
                    while (!in.isAtEnd()) {
                        int inner = in.readTag();
                        switch (WireFormat.getTagFieldNumber(inner)) {
                            case OPSET_DOMAIN -> domain = in.readString();
                            case OPSET_VERSION -> version = in.readInt64();
                            default -> in.skipField(inner);
                        }
                    }
                    in.popLimit(limit);
                    if ((domain.isEmpty() || domain.equals("ai.onnx")) && version >= 0) {
                        return OptionalLong.of(version);
                    }
                } else if (!in.skipField(tag)) {
                    break;
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            return OptionalLong.empty(); // the caller's own error about the file stands
        }
        return OptionalLong.empty();
    }

    /** {@code "; it is stamped with opset 5 ..."} when the model's opset is too old, else empty. */
    public static String hint(Path model) {
        OptionalLong opset = defaultDomain(model);
        if (opset.isPresent() && opset.getAsLong() < OLDEST_LOADABLE) {
            return "; it is stamped with opset " + opset.getAsLong() + ", older than ONNX Runtime loads (" + OLDEST_LOADABLE
                    + " and later): convert it to a newer opset (in Python: onnx.version_converter.convert_version(model,"
                    + " 17)) and package it again";
        }
        return "";
    }
}
