package io.conduit.core.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a tensor's axes are arranged, which tells a bridge how to pack an image, a point cloud or a
 * volume into it. Each layout knows the ranks it allows, so a manifest whose shape contradicts its
 * layout is refused at load rather than at the first artist's click.
 */
public enum Layout {
    NCHW("NCHW", 4),
    NHWC("NHWC", 4),
    CHW("CHW", 3),
    HWC("HWC", 3),
    /** Points as rows: {@code [N, C]} or batched {@code [B, N, C]}. */
    POINTS("points", 2, 3),
    /** A dense grid: {@code [D, H, W]}, {@code [C, D, H, W]} or {@code [N, C, D, H, W]}. */
    VOLUME("volume", 3, 4, 5),
    /** One row of features, possibly batched. */
    VECTOR("vector", 1, 2),
    SCALAR("scalar", 0, 1),
    /** No arrangement a bridge should interpret; any rank. */
    ANY("any");

    private final String jsonName;
    private final int[] ranks;

    Layout(String jsonName, int... ranks) {
        this.jsonName = jsonName;
        this.ranks = ranks;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Whether a shape of this rank can carry this layout. */
    public boolean allowsRank(int rank) {
        return ranks.length == 0 || Arrays.stream(ranks).anyMatch(r -> r == rank);
    }

    /**
     * Whether a tensor of this layout and rank leads with a batch axis: {@code N} of NCHW/NHWC,
     * {@code B} of batched points, {@code N} of a five-axis volume, the rows of a vector. Only
     * such an axis may be split or joined across requests; a point cloud's own {@code N} may not.
     */
    public boolean leadsWithBatch(int rank) {
        return switch (this) {
            case NCHW, NHWC -> rank == 4;
            case POINTS -> rank == 3;
            case VOLUME -> rank == 5;
            case VECTOR -> rank == 2;
            case CHW, HWC, SCALAR, ANY -> false;
        };
    }

    public String allowedRanks() {
        return ranks.length == 0 ? "any" : Arrays.stream(ranks).mapToObj(Integer::toString).collect(Collectors.joining(" or "));
    }

    public static Optional<Layout> fromJson(String name) {
        return Arrays.stream(values()).filter(l -> l.jsonName.equalsIgnoreCase(name)).findFirst();
    }

    public static String jsonNames() {
        return Arrays.stream(values()).map(Layout::jsonName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return jsonName.toLowerCase(Locale.ROOT).equals(jsonName) ? jsonName : name();
    }
}
