package io.conduit.core.onnx;

import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * exported on. Reads the protobuf wire format directly (ModelProto → graph → initializers, node
 * attributes and subgraphs), skipping tensor data, so a large model is scanned without being loaded.
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
    private static final int LENGTH_DELIMITED = 2;

    private ExternalData() {
    }

    /**
     * The {@code location}s the model's tensors name, relative to the model's folder, sorted and
     * without duplicates. Each is checked to stay inside that folder and to exist. A file that is
     * not well-formed protobuf names none; loading it reports the damage.
     */
    public static Set<String> locations(Path onnxFile) {
        Set<String> locations = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(onnxFile), 1 << 16))) {
            new Scan(in, locations, onnxFile).message(Files.size(onnxFile), MessageKind.MODEL);
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

    /** A walk over the wire format that descends only into fields leading to tensors. */
    private record Scan(DataInputStream in, Set<String> locations, Path file) {
        void message(long length, MessageKind kind) throws IOException {
            String key = null;
            String value = null;
            long end = length;
            while (end > 0) {
                long[] read = new long[1];
                long tag = varint(read);
                end -= read[0];
                int field = (int) (tag >>> 3);
                int wire = (int) (tag & 7);
                if (wire != LENGTH_DELIMITED) {
                    end -= skipScalar(wire);
                    continue;
                }
                read[0] = 0;
                long size = varint(read);
                end -= read[0] + size;
                if (size < 0 || end < 0) {
                    throw new IOException("a field runs past the end of its message");
                }
                MessageKind child = child(kind, field);
                if (kind == MessageKind.ENTRY && (field == ENTRY_KEY || field == ENTRY_VALUE)) {
                    String text = new String(bytes(size), StandardCharsets.UTF_8);
                    if (field == ENTRY_KEY) {
                        key = text;
                    } else {
                        value = text;
                    }
                } else if (child != null) {
                    message(size, child);
                } else {
                    in.skipNBytes(size);
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

        private long varint(long[] count) throws IOException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("the file ends inside a field");
                }
                count[0]++;
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IOException("a varint is longer than 10 bytes");
        }

        private long skipScalar(int wire) throws IOException {
            return switch (wire) {
                case 0 -> {
                    long[] n = new long[1];
                    varint(n);
                    yield n[0];
                }
                case 1 -> {
                    in.skipNBytes(8);
                    yield 8;
                }
                case 5 -> {
                    in.skipNBytes(4);
                    yield 4;
                }
                default -> throw new IOException("wire type " + wire + " is not used by ONNX");
            };
        }

        private byte[] bytes(long size) throws IOException {
            if (size > 1 << 16) {
                throw new IOException("an external data entry of " + size + " bytes");
            }
            return in.readNBytes((int) size);
        }
    }
}
