package io.conduit.core.triton;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import com.google.protobuf.util.JsonFormat;
import inference.ModelConfigOuterClass.ModelConfig;

/**
 * Triton's own {@code ModelConfig} schema, compiled from {@code src/test/proto/triton/model_config.proto}
 * (copied unchanged from triton-inference-server/common): parses a {@code config.pbtxt} the way
 * Triton does, unknown fields and malformed literals refused.
 */
public final class TritonSchema {
    private TritonSchema() {
    }

    public static ModelConfig parsePbtxt(String text) throws TextFormat.ParseException {
        return TextFormat.parse(text, ModelConfig.class);
    }

    /** Parses the JSON a config endpoint answers, as Triton's own clients read it. */
    public static ModelConfig parseJson(String json) throws InvalidProtocolBufferException {
        ModelConfig.Builder b = ModelConfig.newBuilder();
        JsonFormat.parser().merge(json, b);
        return b.build();
    }

    /** The JSON form as Triton's config endpoint writes it (proto field names). */
    public static String toJson(ModelConfig config) throws InvalidProtocolBufferException {
        return JsonFormat.printer().preservingProtoFieldNames().print(config);
    }
}
