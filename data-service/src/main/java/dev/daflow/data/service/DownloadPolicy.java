package dev.daflow.data.service;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which URLs the data-service may download from, so that URL ingestion cannot be turned against
 * the network it runs in: http and https only, no user information, a host in the allow-list
 * ({@value #PROPERTY}; {@code *} allows any host), and every address the host resolves to public
 * unless the allow-list names that host or address itself (by name, not through {@code *}).
 * Numeric hosts must be canonical ({@link Addresses#literal}). {@link Downloads} checks every URL
 * it is given or redirected to, and connects only to the addresses checked here.
 */
public final class DownloadPolicy {
  /** The property that lists the allowed hosts. */
  public static final String PROPERTY = "daflow.data.download.allowed-hosts";

  /** Resolves a host name to its addresses; {@link InetAddress#getAllByName} outside tests. */
  @FunctionalInterface
  public interface Resolver {
    List<InetAddress> resolve(String host) throws UnknownHostException;
  }

  /**
   * A URL that passed the policy, and the addresses to connect to for it.
   *
   * @param url the URL
   * @param addresses every address of its host, each checked
   */
  public record Target(URI url, List<InetAddress> addresses) {
    public Target {
      addresses = List.copyOf(addresses);
    }
  }

  private final Set<String> hosts;
  private final Set<InetAddress> addresses;
  private final boolean anyHost;
  private final Resolver resolver;

  /**
   * @param allowed host names (any case), canonical IPv4 addresses, IPv6 addresses (bracketed or
   *     not), or {@code *} for any host
   * @param resolver how host names are resolved
   * @throws IllegalArgumentException for an entry that is a non-canonical numeric address
   */
  public DownloadPolicy(Collection<String> allowed, Resolver resolver) {
    Set<String> h = new LinkedHashSet<>();
    Set<InetAddress> a = new LinkedHashSet<>();
    boolean any = false;
    for (String raw : allowed) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        any = true;
        continue;
      }
      if (entry.contains(":") && !entry.startsWith("[")) {
        entry = "[" + entry + "]";
      }
      try {
        Addresses.literal(entry).ifPresent(a::add);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(PROPERTY + ": " + e.getMessage(), e);
      }
      h.add(entry);
    }
    this.hosts = Set.copyOf(h);
    this.addresses = Set.copyOf(a);
    this.anyHost = any;
    this.resolver = resolver;
  }

  /** A policy over the system's resolver. */
  public static DownloadPolicy of(Collection<String> allowed) {
    return new DownloadPolicy(allowed, host -> Arrays.asList(InetAddress.getAllByName(host)));
  }

  /**
   * Checks {@code url} without resolving anything: an absolute http(s) address without user
   * information whose host is allowed.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public URI check(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("url is required");
    }
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url is not a valid URI: " + e.getMessage());
    }
    return check(uri);
  }

  /**
   * Checks {@code uri} as {@link #check(String)} does.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public URI check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null && uri.getRawAuthority() != null) {
      // java.net.URI finds no host in authorities like 2130706433 or 0177.0.0.1: say why.
      String authority = uri.getRawAuthority();
      Addresses.literal(authority.substring(authority.lastIndexOf('@') + 1)
          .replaceFirst(":[0-9]*$", ""));
    }
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalArgumentException("url must be an absolute http or https address, got '"
          + uri + "'");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("url must not carry user information (user@host)");
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    Optional<InetAddress> literal = Addresses.literal(host);
    if (!(anyHost || hosts.contains(host) || literal.filter(addresses::contains).isPresent())) {
      throw new IllegalArgumentException("host " + uri.getHost() + " is not in " + PROPERTY);
    }
    return uri;
  }

  /**
   * Checks {@code uri} and resolves its host once; every address must be public, or named
   * in the allow-list, or the host itself must be.
   *
   * @throws DatasetRejectedException {@link DatasetRejectedException.Kind#REFUSED} naming the
   *     address and what it is, or {@link DatasetRejectedException.Kind#DOWNLOAD_FAILED} if the
   *     host does not resolve
   */
  public Target resolve(URI uri) throws DatasetRejectedException {
    try {
      check(uri);
    } catch (IllegalArgumentException e) {
      throw new DatasetRejectedException(DatasetRejectedException.Kind.REFUSED, e.getMessage());
    }
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    Optional<InetAddress> literal = Addresses.literal(host);
    List<InetAddress> resolved;
    if (literal.isPresent()) {
      resolved = List.of(literal.get());
    } else {
      try {
        resolved = resolver.resolve(host);
      } catch (UnknownHostException e) {
        throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
            "host " + uri.getHost() + " cannot be resolved", e);
      }
      if (resolved.isEmpty()) {
        throw new DatasetRejectedException(DatasetRejectedException.Kind.DOWNLOAD_FAILED,
            "host " + uri.getHost() + " has no address");
      }
    }
    boolean named = hosts.contains(host);
    for (InetAddress a : resolved) {
      Addresses.Kind kind = Addresses.classify(a);
      if (kind != Addresses.Kind.PUBLIC && !named && !addresses.contains(a)) {
        throw new DatasetRejectedException(DatasetRejectedException.Kind.REFUSED,
            "address " + a.getHostAddress() + " of host " + uri.getHost() + " is "
                + kind.label() + "; refused (only public addresses are downloaded from, unless "
                + PROPERTY + " names the host or address)");
      }
    }
    return new Target(uri, resolved);
  }
}
