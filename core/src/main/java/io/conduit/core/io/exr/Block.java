package io.conduit.core.io.exr;

/** One chunk's pixel rectangle in image coordinates: first pixel (x, y), width and height. */
record Block(int x, int y, int width, int height) {
}
