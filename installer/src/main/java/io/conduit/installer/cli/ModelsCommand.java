package io.conduit.installer.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.conduit.core.ConduitException;
import io.conduit.core.ErrorCode;
import io.conduit.core.manifest.Manifest;
import io.conduit.core.manifest.ManifestWriter;
import io.conduit.core.manifest.SemVer;
import io.conduit.core.pkg.ModelPackage;
import io.conduit.core.registry.DirectoryRegistry;
import io.conduit.core.registry.Resolution;
import io.conduit.core.registry.RolloutRule;
import io.conduit.core.registry.Scope;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conduit models ...}: publishing models to the registry, and who gets which version. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Publishes models to the registry and manages which version each show, department and user gets.",
        subcommands = {ModelsCommand.Publish.class, ModelsCommand.ListModels.class, ModelsCommand.Show.class,
                ModelsCommand.Pull.class, ModelsCommand.Alias.class, ModelsCommand.Rollout.class,
                ModelsCommand.Resolve.class, ModelsCommand.Keygen.class, ModelsCommand.Verify.class,
                ModelsCommand.LineageCommand.class, ModelsCommand.ForAsset.class, ModelsCommand.Test.class,
                ModelsCommand.Diff.class, ModelsCommand.ExportTriton.class})
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Shared by every subcommand: the registry, --json, and where to print. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        RegistryOptions registry;

        @Mixin
        JsonOption json;

        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        /** A {@code NAME@VERSION} argument, split and checked. */
        record Coordinate(String name, SemVer version) {
        }

        static Coordinate coordinate(String text) {
            int at = text.lastIndexOf('@');
            if (at <= 0) {
                throw new ConduitException(ErrorCode.USAGE, "\"" + text + "\" is not NAME@VERSION");
            }
            return new Coordinate(text.substring(0, at), version(text.substring(at + 1)));
        }

        static SemVer version(String text) {
            try {
                return SemVer.parse(text);
            } catch (IllegalArgumentException e) {
                throw new ConduitException(ErrorCode.USAGE, e.getMessage());
            }
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publishes a package (verified first) as an immutable version.")
    static final class Publish extends Sub {
        @Parameters(paramLabel = "PACKAGE")
        Path pkg;

        @Override
        public Integer call() {
            DirectoryRegistry r = registry.open();
            try (ModelPackage opened = ModelPackage.open(pkg)) {
                var golden = io.conduit.core.pkg.GoldenTests.of(opened);
                if (!golden.isEmpty()) {
                    try (var cpu = new io.conduit.core.engine.local.LocalEngine(
                            io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                            () -> io.conduit.core.engine.local.GpuStatus.none("golden tests run on the CPU"))) {
                        var failed = golden.run(cpu, io.conduit.core.engine.DevicePreference.CPU).stream()
                                .filter(t -> !t.passed()).toList();
                        if (!failed.isEmpty()) {
                            var f = failed.get(0);
                            throw new ConduitException(ErrorCode.MANIFEST_INVALID, opened.manifest().coordinate()
                                    + " fails its golden tests, so it was not published: case " + f.testCase() + " output "
                                    + f.output() + " is off by " + f.maxAbsError() + " (tolerance " + f.tolerance() + ")"
                                    + (failed.size() > 1 ? " and " + (failed.size() - 1) + " more" : ""));
                        }
                    }
                }
                Manifest m = r.publish(opened, System.getProperty("user.name", "unknown"), new TerminalProgress());
                if (json.enabled) {
                    JsonObject o = new JsonObject();
                    o.addProperty("published", m.coordinate());
                    o.addProperty("registry", r.describe());
                    json.print(out(), o);
                } else {
                    out().println("published " + m.coordinate() + " to " + r.describe());
                }
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists models, their versions and aliases.")
    static final class ListModels extends Sub {
        @Override
        public Integer call() {
            DirectoryRegistry r = registry.open();
            JsonArray all = new JsonArray();
            for (String name : r.models()) {
                List<SemVer> versions = r.versions(name);
                JsonObject o = new JsonObject();
                o.addProperty("name", name);
                JsonArray vs = new JsonArray();
                versions.forEach(v -> vs.add(v.toString()));
                o.add("versions", vs);
                JsonObject aliases = new JsonObject();
                r.aliases(name).forEach((a, v) -> aliases.addProperty(a, v.toString()));
                o.add("aliases", aliases);
                all.add(o);
                if (!json.enabled) {
                    out().println(name + "  " + versions + (r.aliases(name).isEmpty() ? "" : "  aliases " + r.aliases(name)));
                }
            }
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.add("models", all);
                json.print(out(), o);
            } else if (all.isEmpty()) {
                out().println("no models in " + r.describe());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints a published version's manifest.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "NAME@VERSION")
        String coordinate;

        @Override
        public Integer call() {
            Coordinate c = coordinate(coordinate);
            Manifest m = registry.open().manifest(c.name(), c.version());
            json.print(out(), ManifestWriter.toTree(m));
            return 0;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Copies a version into the local cache (verifying every file) and prints where.")
    static final class Pull extends Sub {
        @Parameters(paramLabel = "NAME@VERSION")
        String coordinate;

        @Override
        public Integer call() {
            Coordinate c = coordinate(coordinate);
            try (ModelPackage pkg = registry.modelCache().pull(registry.open(), c.name(), c.version(),
                    new TerminalProgress())) {
                out().println(pkg.root());
            }
            return 0;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true, description = "Points an alias (stable, beta, ...) at a version.")
    static final class Alias extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "ALIAS")
        String alias;

        @Parameters(index = "2", paramLabel = "VERSION")
        String target;

        @Override
        public Integer call() {
            registry.open().setAlias(name, alias, version(target));
            out().println(name + " " + alias + " -> " + target);
            return 0;
        }
    }

    @Command(name = "rollout", mixinStandardHelpOptions = true,
            description = {"Sets who gets which version: a rule for the studio, a show, a department or a user,"
                    + " pointing at a version or an alias. An empty TARGET (\"\") removes the rule.",
                    "Narrower rules win: user > department > show > studio."})
    static final class Rollout extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "TARGET", description = "A version or an alias.")
        String target;

        @Option(names = "--show")
        String show;

        @Option(names = {"--dept", "--department"})
        String department;

        @Option(names = "--user")
        String user;

        @Option(names = "--studio", description = "A studio-wide rule.")
        boolean studio;

        @Override
        public Integer call() {
            int given = (show != null ? 1 : 0) + (department != null ? 1 : 0) + (user != null ? 1 : 0) + (studio ? 1 : 0);
            if (given != 1) {
                throw new ConduitException(ErrorCode.USAGE, "give exactly one of --studio, --show S, --dept D, --user U");
            }
            RolloutRule rule = studio ? new RolloutRule(Scope.STUDIO, "", target)
                    : show != null ? new RolloutRule(Scope.SHOW, show, target)
                    : department != null ? new RolloutRule(Scope.DEPARTMENT, department, target)
                    : new RolloutRule(Scope.USER, user, target);
            registry.open().setRule(name, rule);
            out().println(name + ": " + (target.isEmpty() ? "removed the " + rule.scope().jsonName() + " rule"
                    : rule.describe()));
            return 0;
        }
    }

    @Command(name = "lineage", mixinStandardHelpOptions = true,
            description = "Prints the chain of parent models back to the root, with each one's training data and code"
                    + " commit; --json, or --dot for Graphviz.")
    static final class LineageCommand extends Sub {
        @Parameters(paramLabel = "NAME@VERSION")
        String coordinate;

        @Option(names = "--dot", description = "Print a Graphviz graph (dot -Tpng lineage.dot -o lineage.png).")
        boolean dot;

        @Override
        public Integer call() {
            Coordinate c = coordinate(coordinate);
            var graph = io.conduit.core.registry.LineageGraph.of(registry.open(), c.name(),
                    c.version());
            if (dot) {
                out().print(graph.toDot());
                out().flush();
                return 0;
            }
            JsonArray nodes = new JsonArray();
            for (var node : graph.nodes()) {
                JsonObject o = new JsonObject();
                o.addProperty("model", node.coordinate());
                o.addProperty("inRegistry", !node.missing());
                JsonArray parents = new JsonArray();
                node.parents().forEach(parents::add);
                o.add("parents", parents);
                node.lineage().ifPresent(l -> {
                    JsonArray data = new JsonArray();
                    l.trainingData().forEach(d -> {
                        JsonObject j = new JsonObject();
                        j.addProperty("uri", d.uri());
                        j.addProperty("sha256", d.sha256());
                        data.add(j);
                    });
                    o.add("trainingData", data);
                    l.code().ifPresent(code -> o.addProperty("commit", code.repository() + "@" + code.commit()));
                    o.addProperty("createdBy", l.createdBy());
                    o.addProperty("createdAt", l.createdAt().toString());
                });
                nodes.add(o);
                if (!json.enabled) {
                    out().println(node.coordinate() + (node.missing() ? "  (not in this registry)" : ""));
                    node.lineage().ifPresent(l -> {
                        l.code().ifPresent(code -> out().println("    code: " + code.repository() + " @ " + code.commit()));
                        l.trainingData().forEach(d -> out().println("    data: " + d.uri() + "  sha256 " + d.sha256()));
                        out().println("    parents: " + (node.parents().isEmpty() ? "none (root)"
                                : String.join(", ", node.parents())));
                    });
                }
            }
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.add("lineage", nodes);
                json.print(out(), o);
            }
            return 0;
        }
    }

    @Command(name = "for-asset", mixinStandardHelpOptions = true,
            description = "Lists the models valid for an asset, with the version each resolves to for you. Each"
                    + " argument is an asset the catalog (assetCatalog setting) knows, or a tag itself.")
    static final class ForAsset extends Sub {
        @Parameters(paramLabel = "ASSET_OR_TAG", arity = "1..*")
        java.util.List<String> assets;

        @Override
        public Integer call() {
            String catalogFile = registry.config().get(io.conduit.core.config.Setting.ASSET_CATALOG);
            var catalog = catalogFile.isBlank() ? io.conduit.core.registry.FileAssetCatalog.empty()
                    : io.conduit.core.registry.FileAssetCatalog.load(Path.of(catalogFile));
            var matches = io.conduit.core.registry.AssetMatcher.find(registry.open(), assets, catalog,
                    registry.context(null, null, null));
            JsonArray all = new JsonArray();
            for (var m : matches) {
                JsonObject o = new JsonObject();
                o.addProperty("model", m.resolution().model());
                o.addProperty("version", m.resolution().version().toString());
                o.addProperty("rule", m.resolution().chosenBy());
                JsonArray tags = new JsonArray();
                m.matchedTags().forEach(tags::add);
                o.add("matchedTags", tags);
                all.add(o);
                if (!json.enabled) {
                    out().println(m.resolution().coordinate() + "  (tags " + m.matchedTags() + "; "
                            + m.resolution().chosenBy() + ")");
                }
            }
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.add("models", all);
                json.print(out(), o);
            } else if (matches.isEmpty()) {
                out().println("no model lists any of the tags "
                        + io.conduit.core.registry.AssetMatcher.tags(assets, catalog));
            }
            return 0;
        }
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Runs a package's golden tests (tests/CASE/input.NAME.npy, expected.NAME.npy) on every route"
                    + " available here: the CPU, a usable GPU, the remote service; reports the largest error per output.")
    static final class Test extends Sub {
        @Parameters(paramLabel = "PACKAGE", description = "A package folder or .zip, or NAME[@VERSION|@ALIAS].")
        String reference;

        @Mixin
        EngineOptions engine;

        @Override
        public Integer call() {
            var config = engine.config();
            try (ModelPackage pkg = PackageReference.open(reference, registry, spec.commandLine().getErr());
                 var routing = EngineOptions.newEngine(config)) {
                var golden = io.conduit.core.pkg.GoldenTests.of(pkg);
                if (golden.isEmpty()) {
                    throw new ConduitException(ErrorCode.FILE_NOT_FOUND, pkg.manifest().coordinate()
                            + " has no golden tests; add tests/CASE/input.NAME.npy and expected.NAME.npy, then conduit seal");
                }
                java.util.List<io.conduit.core.pkg.GoldenTests.Result> results = new java.util.ArrayList<>(
                        golden.run(routing, io.conduit.core.engine.DevicePreference.CPU));
                if (routing.local().gpuProblem(pkg).isEmpty()) {
                    results.addAll(golden.run(routing, io.conduit.core.engine.DevicePreference.GPU));
                }
                if (routing.remote().isPresent()) {
                    results.addAll(golden.run(routing, io.conduit.core.engine.DevicePreference.REMOTE));
                }
                JsonArray all = new JsonArray();
                for (var r : results) {
                    JsonObject o = new JsonObject();
                    o.addProperty("route", r.route());
                    o.addProperty("case", r.testCase());
                    o.addProperty("output", r.output());
                    o.addProperty("maxAbsError", r.maxAbsError());
                    o.addProperty("tolerance", r.tolerance());
                    o.addProperty("passed", r.passed());
                    all.add(o);
                    if (!json.enabled) {
                        out().printf("%-5s %-12s case %-12s output %-12s max error %.3g (tolerance %.3g)%n",
                                r.passed() ? "ok" : "FAIL", r.route(), r.testCase(), r.output(), r.maxAbsError(),
                                r.tolerance());
                    }
                }
                if (json.enabled) {
                    JsonObject o = new JsonObject();
                    o.addProperty("model", pkg.manifest().coordinate());
                    o.add("results", all);
                    json.print(out(), o);
                }
                return results.stream().allMatch(io.conduit.core.pkg.GoldenTests.Result::passed) ? 0
                        : ErrorCode.INFERENCE_FAILED.exitStatus();
            }
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "Runs two versions on A's golden inputs (on the CPU) and reports the largest difference per output.")
    static final class Diff extends Sub {
        @Parameters(index = "0", paramLabel = "A")
        String a;

        @Parameters(index = "1", paramLabel = "B")
        String b;

        @Override
        public Integer call() {
            try (ModelPackage pa = PackageReference.open(a, registry, spec.commandLine().getErr());
                 ModelPackage pb = PackageReference.open(b, registry, spec.commandLine().getErr());
                 var cpu = new io.conduit.core.engine.local.LocalEngine(
                         io.conduit.core.engine.local.LocalEngineConfig.defaults(),
                         () -> io.conduit.core.engine.local.GpuStatus.none("diff runs on the CPU"))) {
                var golden = io.conduit.core.pkg.GoldenTests.of(pa);
                if (golden.isEmpty()) {
                    throw new ConduitException(ErrorCode.FILE_NOT_FOUND, pa.manifest().coordinate()
                            + " has no golden tests whose inputs could be compared on");
                }
                JsonArray all = new JsonArray();
                for (String testCase : golden.caseNames()) {
                    var inputs = golden.inputs(testCase);
                    var ra = cpu.run(pa, inputs, io.conduit.core.engine.DevicePreference.CPU);
                    var rb = cpu.run(pb, inputs, io.conduit.core.engine.DevicePreference.CPU);
                    for (String output : ra.outputs().keySet()) {
                        if (!rb.outputs().containsKey(output)) {
                            continue;
                        }
                        var ta = ra.output(output);
                        var tb = rb.output(output);
                        double diff = java.util.Arrays.equals(ta.shape(), tb.shape()) && ta.type() == tb.type()
                                ? io.conduit.core.tensor.TensorMetrics.maxAbsDifference(ta, tb) : Double.POSITIVE_INFINITY;
                        JsonObject o = new JsonObject();
                        o.addProperty("case", testCase);
                        o.addProperty("output", output);
                        o.addProperty("maxAbsDifference", diff);
                        all.add(o);
                        if (!json.enabled) {
                            out().printf("case %-12s output %-12s max difference %.3g%n", testCase, output, diff);
                        }
                    }
                }
                if (json.enabled) {
                    JsonObject o = new JsonObject();
                    o.addProperty("a", pa.manifest().coordinate());
                    o.addProperty("b", pb.manifest().coordinate());
                    o.add("differences", all);
                    json.print(out(), o);
                }
            }
            return 0;
        }
    }

    @Command(name = "export-triton", mixinStandardHelpOptions = true,
            description = "Writes a Triton model repository (NAME/1/model.onnx, config.pbtxt) holding the version each"
                    + " registry model resolves to for you, or the named models.")
    static final class ExportTriton extends Sub {
        @Parameters(index = "0", paramLabel = "DIR")
        Path out;

        @Parameters(index = "1..*", paramLabel = "MODEL", description = "NAME[@VERSION|@ALIAS]; default: every model.")
        java.util.List<String> models = new java.util.ArrayList<>();

        @Option(names = "--max-batch-size", defaultValue = "8", description = "For models with a batch axis."
                + " Default: ${DEFAULT-VALUE}.")
        int maxBatchSize;

        @Override
        public Integer call() {
            java.util.List<String> names = models.isEmpty() ? registry.open().models() : models;
            for (String reference : names) {
                try (ModelPackage pkg = PackageReference.open(reference, registry, spec.commandLine().getErr())) {
                    Path dir = io.conduit.core.registry.TritonExport.export(pkg, out, maxBatchSize);
                    out().println("exported " + pkg.manifest().coordinate() + " to " + dir);
                }
            }
            return 0;
        }
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Creates the studio's Ed25519 signing key pair; point registry.signingKey at the folder"
                    + " where models are published, and copy the .pub.pem into every workstation's registry.trustStore.")
    static final class Keygen extends Sub {
        @Option(names = "--out", required = true, paramLabel = "DIR")
        Path out;

        @Override
        public Integer call() {
            var key = io.conduit.core.registry.Signatures.generate(out);
            out().println("wrote " + out.resolve("studio-signing.pem") + " (private; keep it on the publishing machine)"
                    + " and " + out.resolve("studio-signing.pub.pem") + ", key id "
                    + io.conduit.core.registry.Signatures.keyId(key));
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks a version's signature against the trust store and every file's sha256.")
    static final class Verify extends Sub {
        @Parameters(paramLabel = "NAME@VERSION")
        String coordinate;

        @Override
        public Integer call() {
            Coordinate c = coordinate(coordinate);
            Path scratch;
            try {
                scratch = java.nio.file.Files.createTempDirectory("conduit-verify-");
            } catch (java.io.IOException e) {
                throw new ConduitException(ErrorCode.IO_ERROR, "cannot create a temporary folder: " + e.getMessage());
            }
            DirectoryRegistry r = registry.open();
            var outcome = r.verifySignature(c.name(), c.version());
            try (ModelPackage pkg = r.pull(c.name(), c.version(), scratch)) {
                String signature = switch (outcome) {
                    case VERIFIED -> "signature verified";
                    case UNSIGNED_ACCEPTED -> "unsigned (accepted: registry.allowUnsigned)";
                    case NOT_CHECKED -> "signed, but NOT checked (no trust store configured)";
                };
                out().println(pkg.manifest().coordinate() + ": " + signature + "; " + pkg.manifest().files().size()
                        + " file digest(s) verified");
            } finally {
                io.conduit.core.io.FileTrees.deleteQuietly(scratch);
            }
            return 0;
        }
    }

    @Command(name = "resolve", mixinStandardHelpOptions = true,
            description = "Prints the version an artist gets and the rule that chose it. Scope defaults to the"
                    + " launcher's environment (scope.showVariable, scope.departmentVariable) and the user name.")
    static final class Resolve extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--show")
        String show;

        @Option(names = {"--dept", "--department"})
        String department;

        @Option(names = "--user")
        String user;

        @Override
        public Integer call() {
            var context = registry.context(show, department, user);
            Resolution r = registry.open().resolve(name, context);
            if (json.enabled) {
                JsonObject o = new JsonObject();
                o.addProperty("model", r.model());
                o.addProperty("version", r.version().toString());
                o.addProperty("rule", r.chosenBy());
                o.addProperty("show", context.show());
                o.addProperty("department", context.department());
                o.addProperty("user", context.user());
                json.print(out(), o);
            } else {
                out().println(r.coordinate() + "  (" + r.chosenBy() + "; show \"" + context.show() + "\", department \""
                        + context.department() + "\", user \"" + context.user() + "\")");
            }
            return 0;
        }
    }
}
