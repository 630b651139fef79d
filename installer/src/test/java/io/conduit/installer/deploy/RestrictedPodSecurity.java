package io.conduit.installer.deploy;

import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The checks of Kubernetes' "restricted" Pod Security Standard
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/), baseline ones included,
 * over a pod spec: what the admission controller would refuse, each named.
 */
final class RestrictedPodSecurity {
    private static final Set<String> VOLUME_TYPES = Set.of("configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
            "persistentVolumeClaim", "projected", "secret");

    private RestrictedPodSecurity() {
    }

    static List<String> violations(V1PodSpec pod) {
        List<String> out = new ArrayList<>();
        V1PodSecurityContext podContext = pod.getSecurityContext();
        if (Boolean.TRUE.equals(pod.getHostNetwork()) || Boolean.TRUE.equals(pod.getHostPID())
                || Boolean.TRUE.equals(pod.getHostIPC())) {
            out.add("host namespaces");
        }
        for (V1Volume v : pod.getVolumes() == null ? List.<V1Volume>of() : pod.getVolumes()) {
            String type = volumeType(v);
            if (!VOLUME_TYPES.contains(type)) {
                out.add("volume " + v.getName() + " of type " + type);
            }
        }
        List<V1Container> containers = new ArrayList<>(pod.getContainers());
        if (pod.getInitContainers() != null) {
            containers.addAll(pod.getInitContainers());
        }
        for (V1Container c : containers) {
            V1SecurityContext sc = c.getSecurityContext();
            String name = "container " + c.getName() + ": ";
            if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
                out.add(name + "allowPrivilegeEscalation must be false");
            }
            if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
                out.add(name + "privileged");
            }
            V1Capabilities caps = sc == null ? null : sc.getCapabilities();
            if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
                out.add(name + "capabilities must drop ALL");
            }
            if (caps != null && caps.getAdd() != null && caps.getAdd().stream().anyMatch(a -> !a.equals("NET_BIND_SERVICE"))) {
                out.add(name + "only NET_BIND_SERVICE may be added");
            }
            boolean nonRoot = sc != null && sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot()
                    : podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot());
            if (!nonRoot) {
                out.add(name + "runAsNonRoot must be true");
            }
            Long user = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser()
                    : podContext == null ? null : podContext.getRunAsUser();
            if (user != null && user == 0) {
                out.add(name + "runAsUser must not be 0");
            }
            String seccomp = sc != null && sc.getSeccompProfile() != null ? sc.getSeccompProfile().getType()
                    : podContext != null && podContext.getSeccompProfile() != null
                    ? podContext.getSeccompProfile().getType() : null;
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                out.add(name + "seccompProfile must be RuntimeDefault or Localhost");
            }
            if (c.getPorts() != null && c.getPorts().stream().anyMatch(p -> p.getHostPort() != null && p.getHostPort() != 0)) {
                out.add(name + "hostPort");
            }
        }
        return out;
    }

    private static String volumeType(V1Volume v) {
        com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(v.toJson()).getAsJsonObject();
        return json.keySet().stream().filter(k -> !k.equals("name")).findFirst().orElse("none");
    }
}
