#!/bin/sh
# Regenerates the EXR fixtures in this folder. Needs Java 17 + Maven (for Conduit's own writer) and
# the reference tools from Debian: apt-get install -y openexr openimageio-tools
# (tested with OpenEXR 3.1.5 and OpenImageIO 2.4.7.1 on Debian bookworm).
#
# 1. ExrTestImages writes the deterministic source images uncompressed with Conduit's ExrWriter.
# 2. oiiotool (the reference OpenEXR library underneath) rewrites them with each compression,
#    scanline and tiled. The tests then check each file decodes to exactly the source formulas,
#    which also proves OpenEXR read Conduit's own NONE output correctly.
# CI does not run this script: the tests use the committed files.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(cd "$repo" && mvn -q -o test-compile -pl core)
java -cp "$repo/core/target/classes:$repo/core/target/test-classes" io.conduit.core.io.exr.ExrTestImages "$tmp"

# oiiotool would otherwise promote every channel to float; keep each channel's own type.
types="-d half -d depth.Z=float -d id=uint"
for c in none rle zips zip piz; do
    oiiotool --nosoftwareattrib --native "$tmp/source.exr" $types --compression $c -o "$here/scan_$c.exr"
    oiiotool --nosoftwareattrib --native "$tmp/source.exr" $types --compression $c --tile 16 16 -o "$here/tiled_$c.exr"
done
oiiotool --nosoftwareattrib --native "$tmp/source.exr" $types --compression zip --attrib openexr:lineOrder decreasingY \
    -o "$here/scan_zip_decreasing.exr"
# PIZ stores a bitmap of the 16-bit words present (up to 8 KiB), so small tiles of wild values
# never shrink and are stored raw; the tame image makes every PIZ tile really compressed.
oiiotool --nosoftwareattrib --native "$tmp/smooth.exr" $types --compression piz --tile 16 16 \
    -o "$here/tiled_piz_smooth.exr"
# More than 2^14 distinct 16-bit words per chunk: PIZ's 16-bit wavelet path.
oiiotool --nosoftwareattrib --native "$tmp/wide.exr" -d float --compression piz -o "$here/wide_piz.exr"
# A MIP-mapped tiled texture: Conduit reads its full-resolution level, which oiiotool also writes
# out as a plain scanline file to compare with (-otex widens the data window to the display window,
# so the source formulas no longer apply; HALF throughout keeps the files small).
oiiotool --nosoftwareattrib --native "$tmp/source.exr" -d half --compression zip --tile 16 16 \
    -otex "$here/tiled_zip_mipmap.exr"
oiiotool --nosoftwareattrib --native "$here/tiled_zip_mipmap.exr" --unmip -d half --scanline --compression none \
    -o "$here/tiled_zip_mipmap_level0.exr"
# A compression Conduit refuses by name.
oiiotool --nosoftwareattrib --native "$tmp/source.exr" $types --compression dwaa -o "$here/scan_dwaa.exr"

exrheader "$here"/*.exr | grep -E '^file|compression|lineOrder|tile size'
