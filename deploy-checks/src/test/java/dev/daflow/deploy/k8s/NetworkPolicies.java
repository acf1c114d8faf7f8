package dev.daflow.deploy.k8s;

import static dev.daflow.deploy.k8s.Workload.list;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes NetworkPolicy semantics (networking.k8s.io/v1) over the policies of one rendered
 * set in one namespace: whether a connection is allowed. A pod's egress is free until a policy
 * of type Egress selects it, then only what one of their rules allows; likewise its ingress.
 * A connection needs both the sender's egress and the receiver's ingress (for the ends inside
 * the namespace; the rest of the cluster is taken as unrestricted).
 */
final class NetworkPolicies {
  /** The namespace label every namespace has. */
  static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  private final List<NetworkPolicy> policies;
  private final String namespace;

  NetworkPolicies(KubeObjects objects, String namespace) {
    this.policies = objects.ofType(NetworkPolicy.class).toList();
    this.namespace = namespace;
  }

  /**
   * One end of a connection: a pod (its namespace and labels) or an address outside the cluster.
   *
   * @param namespace the pod's namespace, or null for an address
   * @param podLabels the pod's labels
   * @param ip an IPv4 address outside the cluster, or null for a pod
   */
  record Peer(String namespace, Map<String, String> podLabels, String ip) {
    static Peer pod(String namespace, Map<String, String> labels) {
      return new Peer(namespace, Map.copyOf(labels), null);
    }

    /** A pod in {@code namespace} with {@code app.kubernetes.io/name: name}. */
    static Peer app(String namespace, String name) {
      return pod(namespace, Map.of("app.kubernetes.io/name", name));
    }

    static Peer address(String ip) {
      return new Peer(null, Map.of(), ip);
    }

    boolean isPod() {
      return ip == null;
    }

    @Override
    public String toString() {
      return isPod() ? namespace + "/" + podLabels.getOrDefault("app.kubernetes.io/name",
          podLabels.toString()) : ip;
    }
  }

  /** Whether {@code from} may open a connection to {@code to} on {@code protocol}/{@code port}. */
  boolean allows(Peer from, Peer to, String protocol, int port) {
    boolean egress = !inNamespace(from) || allowed(from, to, protocol, port, true);
    boolean ingress = !inNamespace(to) || allowed(to, from, protocol, port, false);
    return egress && ingress;
  }

  /** Policies that select every pod and allow nothing, in both directions. */
  List<NetworkPolicy> defaultDenies() {
    return policies.stream()
        .filter(p -> selectsAll(p.getSpec().getPodSelector()))
        .filter(p -> types(p).containsAll(List.of("Ingress", "Egress")))
        .filter(p -> list(p.getSpec().getIngress()).isEmpty()
            && list(p.getSpec().getEgress()).isEmpty())
        .toList();
  }

  private boolean inNamespace(Peer p) {
    return p.isPod() && namespace.equals(p.namespace());
  }

  /** {@code self}'s egress to {@code other} ({@code egress}), or ingress from it. */
  private boolean allowed(Peer self, Peer other, String protocol, int port, boolean egress) {
    String type = egress ? "Egress" : "Ingress";
    List<NetworkPolicy> selecting = policies.stream()
        .filter(p -> types(p).contains(type))
        .filter(p -> matches(p.getSpec().getPodSelector(), self.podLabels()))
        .toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      if (egress) {
        for (var rule : list(p.getSpec().getEgress())) {
          if (ports(rule.getPorts(), protocol, port) && peers(rule.getTo(), other)) {
            return true;
          }
        }
      } else {
        for (var rule : list(p.getSpec().getIngress())) {
          if (ports(rule.getPorts(), protocol, port) && peers(rule.getFrom(), other)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static List<String> types(NetworkPolicy p) {
    List<String> types = list(p.getSpec().getPolicyTypes());
    if (!types.isEmpty()) {
      return types;
    }
    return list(p.getSpec().getEgress()).isEmpty() ? List.of("Ingress")
        : List.of("Ingress", "Egress");
  }

  private static boolean ports(List<NetworkPolicyPort> ports, String protocol, int port) {
    if (list(ports).isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort p : ports) {
      String proto = p.getProtocol() == null ? "TCP" : p.getProtocol();
      if (!proto.equals(protocol)) {
        continue;
      }
      IntOrString value = p.getPort();
      if (value == null) {
        return true;
      }
      if (value.getIntVal() == null) {
        continue; // a named port: not used here, never matched
      }
      int end = p.getEndPort() == null ? value.getIntVal() : p.getEndPort();
      if (port >= value.getIntVal() && port <= end) {
        return true;
      }
    }
    return false;
  }

  private boolean peers(List<NetworkPolicyPeer> peers, Peer other) {
    if (list(peers).isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        if (!other.isPod() && inBlock(peer.getIpBlock(), other.ip())) {
          return true;
        }
        continue;
      }
      if (!other.isPod()) {
        continue;
      }
      boolean namespaceOk = peer.getNamespaceSelector() == null
          ? namespace.equals(other.namespace())
          : matches(peer.getNamespaceSelector(),
              Map.of(NAMESPACE_NAME_LABEL, other.namespace()));
      boolean podOk = peer.getPodSelector() == null
          || matches(peer.getPodSelector(), other.podLabels());
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean selectsAll(LabelSelector s) {
    return s == null || (list(s.getMatchExpressions()).isEmpty()
        && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty()));
  }

  static boolean matches(LabelSelector s, Map<String, String> labels) {
    if (s == null) {
      return true;
    }
    if (s.getMatchLabels() != null) {
      for (var e : s.getMatchLabels().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : list(s.getMatchExpressions())) {
      String value = labels.get(r.getKey());
      boolean ok = switch (r.getOperator()) {
        case "In" -> value != null && list(r.getValues()).contains(value);
        case "NotIn" -> value == null || !list(r.getValues()).contains(value);
        case "Exists" -> value != null;
        case "DoesNotExist" -> value == null;
        default -> throw new AssertionError("unknown selector operator " + r.getOperator());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean inBlock(IPBlock block, String ip) {
    if (!inCidr(block.getCidr(), ip)) {
      return false;
    }
    return list(block.getExcept()).stream().noneMatch(e -> inCidr(e, ip));
  }

  static boolean inCidr(String cidr, String ip) {
    String[] parts = cidr.split("/");
    try {
      byte[] net = InetAddress.getByName(parts[0]).getAddress();
      byte[] addr = InetAddress.getByName(ip).getAddress();
      if (net.length != addr.length) {
        return false;
      }
      int bits = Integer.parseInt(parts[1]);
      int total = net.length * 8;
      BigInteger mask = bits == 0 ? BigInteger.ZERO
          : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftLeft(total - bits);
      return new BigInteger(1, net).and(mask).equals(new BigInteger(1, addr).and(mask));
    } catch (UnknownHostException | RuntimeException e) {
      throw new AssertionError("not a CIDR block or address: " + cidr + " / " + ip, e);
    }
  }
}
