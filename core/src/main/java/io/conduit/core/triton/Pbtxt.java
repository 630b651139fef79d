package io.conduit.core.triton;

import java.nio.charset.StandardCharsets;

/**
 * Protocol-buffer text format string literals. A tensor may be named anything ONNX allows, quotes
 * and backslashes included, so every name is written escaped: printable ASCII as is, {@code "},
 * {@code '} and {@code \} behind a backslash, every other byte of its UTF-8 form as an octal
 * escape, which protobuf's text parser reads back as the same bytes.
 */
final class Pbtxt {
    private Pbtxt() {
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '"' || c == '\'' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            }
        }
        return out.append('"').toString();
    }
}
