package io.conduit.core.onnx;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The external data files an ONNX model names: tensors stored outside the {@code .onnx} file
 * (models over protobuf's 2 GB limit, or exported with {@code save_as_external_data}), each
 * {@code TensorProto} with {@code data_location = EXTERNAL} and a {@code location} relative to the
 * model's folder. A package must carry them, or the model loads nowhere but on the machine it was
 * exported on. Walks the protobuf wire format with protobuf-java's {@link CodedInputStream} (ModelProto →
 * graph → initializers, node attributes and subgraphs; there are no generated ONNX classes to use),
 * skipping tensor data, so a large model is scanned without being loaded.
 *
 * @see <a href="https://github.com/onnx/onnx/blob/main/docs/ExternalData.md">ONNX external data</a>
 */
public final class ExternalData {
    // Field numbers from onnx.proto3.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_TENSOR = 5;
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_TENSORS = 10;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
    private static final int ATTRIBUTE_SPARSE_TENSORS = 23;
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;

    private ExternalData() {
    }

    /**
     * The {@code location}s the model's tensors name, relative to the model's folder, sorted and
     * without duplicates. Each is checked to stay inside that folder and to exist. A file that is
     * not well-formed protobuf names none; loading it reports the damage.
     */
    public static Set<String> locations(Path onnxFile) {
        Set<String> locations = new TreeSet<>();
        try (InputStream file = Files.newInputStream(onnxFile)) {
            CodedInputStream in = CodedInputStream.newInstance(file, 1 << 16);
            in.setSizeLimit(Integer.MAX_VALUE); // protobuf's own 2 GB bound on a message, not its 64 MB default
            scan(in, MessageKind.MODEL, locations);
        } catch (NoSuchFileException e) {
            throw new ConduitException(ErrorCode.FILE_NOT_FOUND, "no ONNX file at " + onnxFile);
        } catch (IOException notProtobuf) {
            // Not a well-formed ONNX file: ONNX Runtime says so when it loads it, in its own words.
            return Set.of();
        }
        Path folder = onnxFile.toAbsolutePath().getParent();
        for (String location : locations) {
            Path resolved = folder.resolve(location).normalize();
            if (location.isEmpty() || Path.of(location).isAbsolute() || !resolved.startsWith(folder)
                    || location.contains("\\")) {
                throw new ConduitException(ErrorCode.MODEL_CORRUPT, onnxFile + " names external data \"" + location
                        + "\"; expected a path relative to the model's folder and inside it");
            }
            if (!Files.isRegularFile(resolved)) {
                throw new ConduitException(ErrorCode.FILE_NOT_FOUND, onnxFile + " keeps tensors in \"" + location
                        + "\", which is not at " + resolved + "; put the external data file beside the model");
            }
        }
        return locations;
    }

    /** The messages whose fields lead to tensors. */
    private enum MessageKind { MODEL, GRAPH, NODE, ATTRIBUTE, SPARSE_TENSOR, TENSOR, ENTRY }

    /** Reads one message up to the stream's current limit, descending only into fields that lead to tensors. */
    private static void scan(CodedInputStream in, MessageKind kind, Set<String> locations) throws IOException {
        String key = null;
        String value = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            MessageKind child = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED
                    ? child(kind, field) : null;
            if (kind == MessageKind.ENTRY && field == ENTRY_KEY) {
                key = in.readStringRequireUtf8();
            } else if (kind == MessageKind.ENTRY && field == ENTRY_VALUE) {
                value = in.readStringRequireUtf8();
            } else if (child != null) {
                int limit = in.pushLimit(in.readRawVarint32());
                scan(in, child, locations);
                in.popLimit(limit);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        if (kind == MessageKind.ENTRY && "location".equals(key) && value != null) {
            locations.add(value);
        }
    }

    private static MessageKind child(MessageKind kind, int field) {
        return switch (kind) {
            case MODEL -> field == MODEL_GRAPH ? MessageKind.GRAPH : null;
            case GRAPH -> field == GRAPH_NODE ? MessageKind.NODE : field == GRAPH_INITIALIZER ? MessageKind.TENSOR
                    : field == GRAPH_SPARSE_INITIALIZER ? MessageKind.SPARSE_TENSOR : null;
            case NODE -> field == NODE_ATTRIBUTE ? MessageKind.ATTRIBUTE : null;
            case ATTRIBUTE -> field == ATTRIBUTE_TENSOR || field == ATTRIBUTE_TENSORS ? MessageKind.TENSOR
                    : field == ATTRIBUTE_GRAPH || field == ATTRIBUTE_GRAPHS ? MessageKind.GRAPH
                    : field == ATTRIBUTE_SPARSE_TENSOR || field == ATTRIBUTE_SPARSE_TENSORS ? MessageKind.SPARSE_TENSOR
                    : null;
            case SPARSE_TENSOR -> field == SPARSE_VALUES || field == SPARSE_INDICES ? MessageKind.TENSOR : null;
            case TENSOR -> field == TENSOR_EXTERNAL_DATA ? MessageKind.ENTRY : null;
            case ENTRY -> null;
        };
    }
}
