package io.conduit.installer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under {@code deploy/} against the schemas the cluster itself applies: Kubernetes'
 * own API models (client-java-api's generated {@code validateJsonElement}, which refuses unknown
 * fields and missing required ones), the "restricted" Pod Security Standard, and KServe's
 * InferenceService CRD schema with unknown fields refused as for a structural schema.
 */
class DeployManifestsTest {
    private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> documents(Path dir) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var parser = new YAMLFactory().createParser(f.toFile())) {
                    YAML.readValues(parser, JsonNode.class).forEachRemaining(d -> {
                        if (d != null && !d.isNull() && !d.isEmpty()) {
                            docs.add(d);
                        }
                    });
                }
            }
        }
        assertFalse(docs.isEmpty(), "no manifests in " + dir);
        return docs;
    }

    private static JsonElement gson(JsonNode node) {
        return JsonParser.parseString(node.toString());
    }

    /** Validates one Kubernetes object with its API model; returns the Deployment when it is one. */
    private static V1Deployment validateKubernetes(JsonNode doc) throws IOException {
        String kind = doc.get("apiVersion").asText() + " " + doc.get("kind").asText();
        switch (kind) {
            case "apps/v1 Deployment" -> {
                V1Deployment.validateJsonElement(gson(doc));
                return V1Deployment.fromJson(doc.toString());
            }
            case "v1 Service" -> V1Service.validateJsonElement(gson(doc));
            case "autoscaling/v2 HorizontalPodAutoscaler" -> V2HorizontalPodAutoscaler.validateJsonElement(gson(doc));
            default -> throw new AssertionError("no model for " + kind + "; add it to this test");
        }
        return null;
    }

    @Test
    void kubernetesManifestsValidateAndPassTheRestrictedPodSecurityStandard() throws Exception {
        int deployments = 0;
        for (JsonNode doc : documents(DEPLOY.resolve("kubernetes"))) {
            V1Deployment d = validateKubernetes(doc);
            if (d != null) {
                deployments++;
                var pod = d.getSpec().getTemplate().getSpec();
                assertEquals(List.of(), RestrictedPodSecurity.violations(pod));
                var c = pod.getContainers().get(0);
                assertTrue(c.getStartupProbe() != null && c.getReadinessProbe() != null && c.getLivenessProbe() != null);
                assertTrue(c.getLifecycle().getPreStop() != null, "a preStop drain");
                long grace = pod.getTerminationGracePeriodSeconds();
                assertTrue(grace > 10 + 30, "grace " + grace + " s covers the preStop wait and --drain-seconds 30");
                assertTrue(c.getArgs().contains("--feedback-db"), "feedback goes to a named database, not the pod");
                String scrapePort = d.getSpec().getTemplate().getMetadata().getAnnotations().get("prometheus.io/port");
                assertTrue(c.getPorts().stream().anyMatch(p -> p.getContainerPort() == Integer.parseInt(scrapePort)
                        && "metrics".equals(p.getName())), "the scrape annotation names the token-free metrics port");
            }
        }
        assertEquals(1, deployments);
    }

    @Test
    void theImagesPortsAreTheOnesTheDeploymentAndServiceExpose() throws Exception {
        // The image's ENTRYPOINT sets the ports; the manifest only adds arguments after it.
        String entrypoint = Files.readAllLines(DEPLOY.resolve("Dockerfile")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        List<String> args = List.of(JSON.readValue(entrypoint.substring("ENTRYPOINT".length()).strip(), String[].class));
        int grpc = Integer.parseInt(args.get(args.indexOf("--grpc-port") + 1));
        int http = Integer.parseInt(args.get(args.indexOf("--port") + 1));
        List<JsonNode> docs = documents(DEPLOY.resolve("kubernetes"));
        JsonNode container = docs.stream().filter(d -> d.get("kind").asText().equals("Deployment")).findFirst()
                .orElseThrow().at("/spec/template/spec/containers/0");
        JsonNode service = docs.stream().filter(d -> d.get("kind").asText().equals("Service")).findFirst().orElseThrow();
        for (var port : List.of(java.util.Map.entry("http", http), java.util.Map.entry("grpc", grpc))) {
            boolean declared = false;
            for (JsonNode p : container.get("ports")) {
                declared |= p.get("name").asText().equals(port.getKey()) && p.get("containerPort").asInt() == port.getValue();
            }
            assertTrue(declared, "the container declares " + port + " as the image serves it");
            boolean exposed = false;
            for (JsonNode p : service.at("/spec/ports")) {
                exposed |= p.get("targetPort").asText().equals(port.getKey());
            }
            assertTrue(exposed, "the Service exposes " + port.getKey());
        }
    }

    @Test
    void theChecksRefuseWhatAClusterRefuses() throws Exception {
        JsonNode deployment = documents(DEPLOY.resolve("kubernetes")).get(0).deepCopy();
        ObjectNode container = (ObjectNode) deployment.at("/spec/template/spec/containers/0");
        container.put("imagePullPolicyy", "Always");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> validateKubernetes(deployment));
        assertTrue(unknown.getMessage().contains("imagePullPolicyy"), unknown.getMessage());
        container.remove("imagePullPolicyy");
        ((ObjectNode) container.get("securityContext")).put("allowPrivilegeEscalation", true);
        ((ObjectNode) deployment.at("/spec/template/spec")).remove("securityContext");
        List<String> violations = RestrictedPodSecurity.violations(validateKubernetes(deployment).getSpec().getTemplate()
                .getSpec());
        assertTrue(violations.contains("container conduit: allowPrivilegeEscalation must be false"), violations.toString());
        assertTrue(violations.contains("container conduit: runAsNonRoot must be true"), violations.toString());

        JsonNode isvc = documents(DEPLOY.resolve("kserve")).get(0).deepCopy();
        ((ObjectNode) isvc.at("/spec/predictor/model")).put("storageURI", "pvc://typo");
        assertFalse(kserveSchema().validate(isvc).isEmpty(), "an unknown field in an InferenceService is refused");
    }

    @Test
    void kserveManifestsValidateAgainstKServesInferenceServiceSchema() throws Exception {
        JsonSchema schema = kserveSchema();
        for (JsonNode doc : documents(DEPLOY.resolve("kserve"))) {
            assertEquals("serving.kserve.io/v1beta1 InferenceService", doc.get("apiVersion").asText() + " "
                    + doc.get("kind").asText());
            Set<ValidationMessage> errors = schema.validate(doc);
            assertEquals(Set.of(), errors, doc.at("/metadata/name").asText());
            var pod = new io.kubernetes.client.openapi.models.V1PodSpec()
                    .securityContext(io.kubernetes.client.openapi.models.V1PodSecurityContext.fromJson(
                            doc.at("/spec/predictor/securityContext").toString()))
                    .addContainersItem(new io.kubernetes.client.openapi.models.V1Container().name("kserve-container")
                            .securityContext(io.kubernetes.client.openapi.models.V1SecurityContext.fromJson(
                                    doc.at("/spec/predictor/model/securityContext").toString())));
            assertEquals(List.of(), RestrictedPodSecurity.violations(pod));
        }
    }

    /**
     * The v1beta1 {@code openAPIV3Schema} of KServe's CRD, with {@code additionalProperties: false}
     * on every object that lists its properties and does not preserve unknown fields: what the API
     * server's pruning and strict field validation do with a structural schema.
     */
    private static JsonSchema kserveSchema() throws IOException {
        if (kserve == null) {
            kserve = loadKserveSchema();
        }
        return kserve;
    }

    private static JsonSchema kserve;

    private static JsonSchema loadKserveSchema() throws IOException {
        JsonNode crd;
        try (InputStream in = new GZIPInputStream(DeployManifestsTest.class.getResourceAsStream(
                "/schemas/kserve/serving.kserve.io_inferenceservices.yaml.gz"))) {
            crd = YAML.readTree(in);
        }
        JsonNode schema = null;
        for (JsonNode version : crd.at("/spec/versions")) {
            if (version.get("name").asText().equals("v1beta1")) {
                schema = version.at("/schema/openAPIV3Schema").deepCopy();
            }
        }
        strict(schema);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(JSON.valueToTree(schema));
    }

    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")
                    && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(DeployManifestsTest::strict);
        } else if (node != null && node.isArray()) {
            node.elements().forEachRemaining(DeployManifestsTest::strict);
        }
    }
}
