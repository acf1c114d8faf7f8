package dev.daflow.deploy.k8s;

import static dev.daflow.deploy.k8s.Workload.list;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What every rendered manifest set must have, whatever it deploys: names and the namespace,
 * selectors that select, references (ConfigMaps, Secrets, volumes, ports, roles, scale targets)
 * that resolve, pinned images, resource requests and limits, probes on declared ports, and pods
 * that meet the "restricted" Pod Security Standard.
 */
public final class ManifestRules {

  private static final Set<String> CLUSTER_SCOPED =
      Set.of("Namespace", "ClusterRole", "ClusterRoleBinding");

  private final KubeObjects objects;
  private final String namespace;
  private final Externals externals;
  private final List<String> problems = new ArrayList<>();

  private ManifestRules(KubeObjects objects, String namespace, Externals externals) {
    this.objects = objects;
    this.namespace = namespace;
    this.externals = externals;
  }

  /**
   * Checks a rendered set.
   *
   * @param namespace the namespace every namespaced object must be in
   * @param externals what the set may reference without containing it
   * @return one line per problem, empty when all is well
   */
  public static List<String> check(KubeObjects objects, String namespace, Externals externals) {
    ManifestRules rules = new ManifestRules(objects, namespace, externals);
    rules.run();
    return List.copyOf(rules.problems);
  }

  private void run() {
    for (HasMetadata o : objects.objects()) {
      metadata(o);
    }
    Workload.all(objects).forEach(this::workload);
    objects.ofType(Service.class).forEach(this::service);
    objects.ofType(PodDisruptionBudget.class).forEach(this::pdb);
    objects.ofType(HorizontalPodAutoscaler.class).forEach(this::hpa);
    objects.ofType(RoleBinding.class).forEach(b -> binding(KubeObjects.label(b),
        b.getRoleRef().getKind(), b.getRoleRef().getName(), b.getSubjects()));
    objects.ofType(ClusterRoleBinding.class).forEach(b -> binding(KubeObjects.label(b),
        b.getRoleRef().getKind(), b.getRoleRef().getName(), b.getSubjects()));
  }

  private void metadata(HasMetadata o) {
    String label = KubeObjects.label(o);
    if (o.getMetadata() == null || blank(o.getMetadata().getName())) {
      problems.add(label + ": no metadata.name");
      return;
    }
    if (!CLUSTER_SCOPED.contains(o.getKind())
        && !Objects.equals(o.getMetadata().getNamespace(), namespace)) {
      problems.add(label + ": namespace is " + o.getMetadata().getNamespace() + ", not "
          + namespace);
    }
  }

  private void workload(Workload w) {
    String label = w.label();
    if (w.template() == null || w.template().getSpec() == null) {
      problems.add(label + ": no pod template");
      return;
    }
    if (w.selector() != null) {
      Map<String, String> match = w.selector().getMatchLabels();
      if (match == null || match.isEmpty() || !w.selectedBy(match)) {
        problems.add(label + ": selector " + match + " does not match the pod labels "
            + w.podLabels());
      }
    } else if (!(w.owner() instanceof io.fabric8.kubernetes.api.model.batch.v1.Job)) {
      problems.add(label + ": no selector");
    }
    for (String key : List.of("app.kubernetes.io/name", "app.kubernetes.io/part-of")) {
      if (!w.podLabels().containsKey(key)) {
        problems.add(label + ": pod template has no label " + key);
      }
    }
    if (w.owner() instanceof StatefulSet s) {
      String serviceName = s.getSpec().getServiceName();
      boolean headless = objects.find(Service.class, serviceName)
          .map(svc -> "None".equals(svc.getSpec().getClusterIP())).orElse(false);
      if (!headless) {
        problems.add(label + ": serviceName " + serviceName + " is not a headless Service here");
      }
    }
    podSecurity(w);
    String account = w.pod().getServiceAccountName();
    if (account != null && !account.equals("default")
        && objects.find(ServiceAccount.class, account).isEmpty()) {
      problems.add(label + ": ServiceAccount " + account + " is not defined");
    }
    Set<String> volumes = list(w.pod().getVolumes()).stream().map(Volume::getName)
        .collect(Collectors.toSet());
    for (Volume v : list(w.pod().getVolumes())) {
      if (v.getConfigMap() != null && objects.configMap(v.getConfigMap().getName()).isEmpty()) {
        problems.add(label + ": volume " + v.getName() + " mounts ConfigMap "
            + v.getConfigMap().getName() + ", which is not defined");
      }
      // An optional Secret (a private CA's certificate) may be absent: the pod starts without.
      if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
        secretRef(label, v.getSecret().getSecretName(), null);
      }
    }
    Set<String> claimTemplates = w.owner() instanceof StatefulSet s
        ? list(s.getSpec().getVolumeClaimTemplates()).stream()
            .map(c -> c.getMetadata().getName()).collect(Collectors.toSet())
        : Set.of();
    for (Container c : w.containers()) {
      container(w, c, volumes, claimTemplates);
    }
  }

  private void container(Workload w, Container c, Set<String> volumes,
      Set<String> claimTemplates) {
    String label = w.label() + " container " + c.getName();
    image(label, c.getImage());
    resources(label, c);
    containerSecurity(label, c.getSecurityContext());
    for (VolumeMount m : list(c.getVolumeMounts())) {
      if (!volumes.contains(m.getName()) && !claimTemplates.contains(m.getName())) {
        problems.add(label + ": mounts volume " + m.getName() + ", which the pod does not have");
      }
    }
    if (c.getSecurityContext() != null
        && Boolean.TRUE.equals(c.getSecurityContext().getReadOnlyRootFilesystem())
        && list(c.getVolumeMounts()).stream().noneMatch(m -> m.getMountPath().equals("/tmp"))) {
      problems.add(label + ": read-only root file system without a volume at /tmp");
    }
    for (Probe p : probes(c)) {
      if (p.getHttpGet() != null) {
        HTTPGetAction get = p.getHttpGet();
        if (w.resolvePort(get.getPort()).isEmpty()) {
          problems.add(label + ": probe " + get.getPath() + " targets port " + get.getPort()
              + ", which no container declares");
        }
      } else if (p.getTcpSocket() != null && w.resolvePort(p.getTcpSocket().getPort()).isEmpty()) {
        problems.add(label + ": tcp probe targets undeclared port " + p.getTcpSocket().getPort());
      }
    }
    for (EnvFromSource from : list(c.getEnvFrom())) {
      if (from.getConfigMapRef() != null
          && objects.configMap(from.getConfigMapRef().getName()).isEmpty()) {
        problems.add(label + ": envFrom ConfigMap " + from.getConfigMapRef().getName()
            + " is not defined");
      }
      if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
        secretRef(label, from.getSecretRef().getName(), null);
      }
    }
    for (EnvVar e : list(c.getEnv())) {
      if (e.getValueFrom() == null) {
        continue;
      }
      if (e.getValueFrom().getSecretKeyRef() != null) {
        secretRef(label, e.getValueFrom().getSecretKeyRef().getName(),
            e.getValueFrom().getSecretKeyRef().getKey());
      }
      if (e.getValueFrom().getConfigMapKeyRef() != null) {
        String name = e.getValueFrom().getConfigMapKeyRef().getName();
        String key = e.getValueFrom().getConfigMapKeyRef().getKey();
        if (!objects.configMap(name).map(d -> d.containsKey(key)).orElse(false)) {
          problems.add(label + ": env " + e.getName() + " reads ConfigMap " + name + " key "
              + key + ", which is not defined");
        }
      }
    }
  }

  private void secretRef(String label, String name, String key) {
    Optional<List<String>> keys = objects.secretKeys(name);
    if (keys.isEmpty()) {
      if (!externals.secrets().contains(name)) {
        problems.add(label + ": Secret " + name + " is not defined (nor declared external)");
      }
    } else if (key != null && !keys.get().contains(key)) {
      problems.add(label + ": Secret " + name + " has no key " + key);
    }
  }

  private void image(String label, String image) {
    if (blank(image)) {
      problems.add(label + ": no image");
      return;
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (image.contains("@sha256:")) {
      return;
    }
    if (colon <= slash || image.endsWith(":latest")) {
      problems.add(label + ": image " + image + " is not pinned to a version tag");
    }
  }

  private void resources(String label, Container c) {
    Map<String, Quantity> requests = c.getResources() == null ? null
        : c.getResources().getRequests();
    Map<String, Quantity> limits = c.getResources() == null ? null
        : c.getResources().getLimits();
    for (String r : List.of("cpu", "memory")) {
      if (requests == null || !requests.containsKey(r)) {
        problems.add(label + ": no " + r + " request");
      }
      if (limits == null || !limits.containsKey(r)) {
        problems.add(label + ": no " + r + " limit");
      }
    }
    if (requests != null && limits != null && requests.containsKey("memory")
        && limits.containsKey("memory")
        && Quantity.getAmountInBytes(requests.get("memory"))
            .compareTo(Quantity.getAmountInBytes(limits.get("memory"))) > 0) {
      problems.add(label + ": memory request above its limit");
    }
  }

  private void podSecurity(Workload w) {
    PodSecurityContext pod = w.pod().getSecurityContext();
    if (pod == null || !Boolean.TRUE.equals(pod.getRunAsNonRoot())) {
      problems.add(w.label() + ": pod securityContext.runAsNonRoot is not true");
    }
    if (pod != null && Long.valueOf(0).equals(pod.getRunAsUser())) {
      problems.add(w.label() + ": pod runs as user 0");
    }
    if (pod == null || pod.getSeccompProfile() == null
        || !"RuntimeDefault".equals(pod.getSeccompProfile().getType())) {
      problems.add(w.label() + ": pod seccompProfile is not RuntimeDefault");
    }
    for (Volume v : list(w.pod().getVolumes())) {
      if (v.getHostPath() != null) {
        problems.add(w.label() + ": hostPath volume " + v.getName());
      }
    }
  }

  private void containerSecurity(String label, SecurityContext s) {
    if (s == null) {
      problems.add(label + ": no securityContext");
      return;
    }
    if (!Boolean.FALSE.equals(s.getAllowPrivilegeEscalation())) {
      problems.add(label + ": allowPrivilegeEscalation is not false");
    }
    if (Boolean.TRUE.equals(s.getPrivileged())) {
      problems.add(label + ": privileged");
    }
    if (s.getCapabilities() == null || s.getCapabilities().getDrop() == null
        || !s.getCapabilities().getDrop().contains("ALL")) {
      problems.add(label + ": capabilities do not drop ALL");
    }
    if (s.getCapabilities() != null && !list(s.getCapabilities().getAdd()).isEmpty()) {
      problems.add(label + ": adds capabilities " + s.getCapabilities().getAdd());
    }
  }

  private void service(Service s) {
    String label = KubeObjects.label(s);
    Map<String, String> selector = s.getSpec().getSelector();
    List<Workload> selected = Workload.all(objects).filter(w -> w.selectedBy(selector)).toList();
    if (selected.isEmpty()) {
      problems.add(label + ": selector " + selector + " selects no workload");
      return;
    }
    for (ServicePort p : list(s.getSpec().getPorts())) {
      for (Workload w : selected) {
        if (w.resolvePort(p.getTargetPort() != null ? p.getTargetPort()
            : new io.fabric8.kubernetes.api.model.IntOrString(p.getPort())).isEmpty()) {
          problems.add(label + ": port " + p.getName() + " targets " + p.getTargetPort()
              + ", which " + w.label() + " does not declare");
        }
      }
    }
  }

  private void pdb(PodDisruptionBudget pdb) {
    Map<String, String> match = pdb.getSpec().getSelector() == null ? null
        : pdb.getSpec().getSelector().getMatchLabels();
    if (Workload.all(objects).noneMatch(w -> w.selectedBy(match))) {
      problems.add(KubeObjects.label(pdb) + ": selector " + match + " selects no workload");
    }
  }

  private void hpa(HorizontalPodAutoscaler hpa) {
    String label = KubeObjects.label(hpa);
    var ref = hpa.getSpec().getScaleTargetRef();
    Optional<Deployment> target = "Deployment".equals(ref.getKind())
        ? objects.find(Deployment.class, ref.getName()) : Optional.empty();
    if (target.isEmpty()) {
      problems.add(label + ": scale target " + ref.getKind() + "/" + ref.getName()
          + " is not defined");
      return;
    }
    if (target.get().getSpec().getReplicas() != null) {
      problems.add(label + ": its Deployment sets replicas, which every apply would reset");
    }
    boolean cpuMetric = list(hpa.getSpec().getMetrics()).stream()
        .anyMatch(m -> m.getResource() != null && "cpu".equals(m.getResource().getName()));
    if (cpuMetric && Workload.of(target.get()).orElseThrow().containers().stream()
        .anyMatch(c -> c.getResources() == null || c.getResources().getRequests() == null
            || !c.getResources().getRequests().containsKey("cpu"))) {
      problems.add(label + ": scales on CPU but a container has no CPU request");
    }
    if (hpa.getSpec().getMinReplicas() != null
        && hpa.getSpec().getMinReplicas() > hpa.getSpec().getMaxReplicas()) {
      problems.add(label + ": minReplicas above maxReplicas");
    }
  }

  private void binding(String label, String roleKind, String roleName, List<Subject> subjects) {
    boolean roleExists = "Role".equals(roleKind)
        ? objects.find(Role.class, roleName).isPresent()
        : objects.find(ClusterRole.class, roleName).isPresent();
    if (!roleExists) {
      problems.add(label + ": " + roleKind + " " + roleName + " is not defined");
    }
    for (Subject s : list(subjects)) {
      if ("ServiceAccount".equals(s.getKind())
          && objects.find(ServiceAccount.class, s.getName()).isEmpty()) {
        problems.add(label + ": ServiceAccount " + s.getName() + " is not defined");
      }
    }
  }

  private static List<Probe> probes(Container c) {
    List<Probe> probes = new ArrayList<>();
    for (Probe p : new Probe[] {c.getStartupProbe(), c.getReadinessProbe(),
        c.getLivenessProbe()}) {
      if (p != null) {
        probes.add(p);
      }
    }
    return probes;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
