package dev.daflow.data.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What kind of network an IP address belongs to (public, or loopback, private, link-local...),
 * and the parsing of URL hosts that are address literals. Pure functions: nothing here resolves a
 * name or opens a connection. IPv6 forms that carry an IPv4 address (IPv4-mapped and -compatible,
 * NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16}) are classified by
 * the IPv4 address they carry.
 */
public final class Addresses {

  /** The kind of network of an address; every kind but {@link #PUBLIC} is refused by default. */
  public enum Kind {
    PUBLIC("public"),
    LOOPBACK("loopback"),
    /** 10/8, 172.16/12, 192.168/16; IPv6 site-local fec0::/10. */
    PRIVATE("private"),
    /** 100.64/10, carrier-grade NAT. */
    SHARED("shared (carrier-grade NAT)"),
    /** 169.254/16 (cloud metadata services live here), fe80::/10. */
    LINK_LOCAL("link-local"),
    /** fc00::/7. */
    UNIQUE_LOCAL("unique-local"),
    MULTICAST("multicast"),
    /** 0.0.0.0/8, ::. */
    UNSPECIFIED("unspecified"),
    /** Reserved, documentation, benchmarking and broadcast ranges; IPv6 outside 2000::/3. */
    RESERVED("reserved");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** How messages call it, e.g. {@code link-local}. */
    public String label() {
      return label;
    }
  }

  /** A host that is all numbers, dots and hex numbers: what some parsers read as an address. */
  private static final Pattern NUMERIC_HOST =
      Pattern.compile("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?");
  /** The last label of a host name is a number: WHATWG URL parsers read such hosts as IPv4. */
  private static final Pattern NUMERIC_LAST_LABEL =
      Pattern.compile("(?i).*\\.(0x[0-9a-f]*|[0-9]+)\\.?");
  private static final Pattern CANONICAL_IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
          + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}");
  private static final Pattern IPV6_LITERAL =
      Pattern.compile("(?i)\\[[0-9a-f.]*:[0-9a-f:.]*\\]");

  private Addresses() {}

  /** Whether {@code address} is a public (globally routed unicast) address. */
  public static boolean isPublic(InetAddress address) {
    return classify(address) == Kind.PUBLIC;
  }

  /** The kind of network {@code address} belongs to. */
  public static Kind classify(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return classify4(b, 0);
    }
    if (address instanceof Inet6Address) {
      return classify6(b);
    }
    throw new IllegalArgumentException("not an IP address: " + address);
  }

  /**
   * The address a URL's host spells, if it is an address literal: a canonical dotted quad
   * ({@code 127.0.0.1}) or a bracketed IPv6 literal ({@code [::1]}); empty for a host name.
   *
   * @param host as {@link java.net.URI#getHost()} gives it
   * @throws IllegalArgumentException for a host that some parsers read as an address while others
   *     do not: decimal, octal or hex numbers and shortened forms ({@code 2130706433}, {@code
   *     0177.0.0.1}, {@code 0x7f.1}, {@code 127.1}), a name ending in a numeric label, an IPv6
   *     literal with a zone
   */
  public static Optional<InetAddress> literal(String host) {
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("the URL has no host");
    }
    if (host.startsWith("[")) {
      if (!IPV6_LITERAL.matcher(host).matches()) {
        throw new IllegalArgumentException("host " + host + " is not a plain IPv6 address"
            + " (zones and other forms are refused)");
      }
      try {
        // Bracketed, so InetAddress parses it and never asks DNS.
        return Optional.of(InetAddress.getByName(host));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("host " + host + " is not a valid IPv6 address");
      }
    }
    if (CANONICAL_IPV4.matcher(host).matches()) {
      String[] parts = host.split("\\.");
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        b[i] = (byte) Integer.parseInt(parts[i]);
      }
      try {
        return Optional.of(InetAddress.getByAddress(host, b));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e); // four bytes are always an address
      }
    }
    if (NUMERIC_HOST.matcher(host).matches() || NUMERIC_LAST_LABEL.matcher(host).matches()) {
      throw new IllegalArgumentException("host " + host + " is a numeric address in a"
          + " non-canonical form (decimal, octal or hex numbers, or fewer than four parts),"
          + " which parsers read differently; write the address as four decimal numbers,"
          + " e.g. 192.0.2.1, or use a host name");
    }
    return Optional.empty();
  }

  private static Kind classify4(byte[] b, int o) {
    int a = b[o] & 0xff;
    int s = b[o + 1] & 0xff;
    int t = b[o + 2] & 0xff;
    if (a == 0) {
      return Kind.UNSPECIFIED;
    }
    if (a == 127) {
      return Kind.LOOPBACK;
    }
    if (a == 10 || (a == 172 && (s & 0xf0) == 16) || (a == 192 && s == 168)) {
      return Kind.PRIVATE;
    }
    if (a == 100 && (s & 0xc0) == 64) {
      return Kind.SHARED;
    }
    if (a == 169 && s == 254) {
      return Kind.LINK_LOCAL;
    }
    if ((a & 0xf0) == 224) {
      return Kind.MULTICAST;
    }
    if ((a & 0xf0) == 240 // 240/4 and the broadcast address
        || (a == 192 && s == 0 && (t == 0 || t == 2)) // IETF assignments, TEST-NET-1
        || (a == 198 && (s & 0xfe) == 18) // benchmarking 198.18/15
        || (a == 198 && s == 51 && t == 100) // TEST-NET-2
        || (a == 203 && s == 0 && t == 113)) { // TEST-NET-3
      return Kind.RESERVED;
    }
    return Kind.PUBLIC;
  }

  private static Kind classify6(byte[] b) {
    if (zero(b, 0, 10)) {
      if ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
        return classify4(b, 12); // IPv4-mapped ::ffff:a.b.c.d
      }
      if (zero(b, 10, 2)) {
        if (zero(b, 12, 3)) {
          int last = b[15] & 0xff;
          return last == 0 ? Kind.UNSPECIFIED : last == 1 ? Kind.LOOPBACK : Kind.RESERVED;
        }
        return classify4(b, 12); // IPv4-compatible ::a.b.c.d (deprecated)
      }
    }
    int first = b[0] & 0xff;
    int second = b[1] & 0xff;
    if (first == 0x00 && second == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      if (zero(b, 4, 8)) {
        return classify4(b, 12); // NAT64 64:ff9b::/96
      }
      if ((b[4] & 0xff) == 0 && (b[5] & 0xff) == 1) {
        return Kind.PRIVATE; // local-use NAT64 64:ff9b:1::/48
      }
    }
    if (first == 0x20 && second == 0x02) {
      return classify4(b, 2); // 6to4 2002:a.b.c.d::/48
    }
    if (first == 0xff) {
      return Kind.MULTICAST;
    }
    if (first == 0xfe && (second & 0xc0) == 0x80) {
      return Kind.LINK_LOCAL;
    }
    if (first == 0xfe && (second & 0xc0) == 0xc0) {
      return Kind.PRIVATE; // site-local, deprecated
    }
    if ((first & 0xfe) == 0xfc) {
      return Kind.UNIQUE_LOCAL;
    }
    if ((first & 0xe0) != 0x20) {
      return Kind.RESERVED; // outside global unicast 2000::/3
    }
    if (first == 0x20 && second == 0x01) {
      int third = b[2] & 0xff;
      int fourth = b[3] & 0xff;
      if ((third == 0x0d && fourth == 0xb8) // documentation 2001:db8::/32
          || (third == 0 && fourth == 0) // Teredo 2001::/32 (carries obfuscated IPv4)
          || (third == 0 && (fourth & 0xf0) == 0x10)) { // ORCHID 2001:10::/28
        return Kind.RESERVED;
      }
    }
    return Kind.PUBLIC;
  }

  private static boolean zero(byte[] b, int from, int length) {
    for (int i = from; i < from + length; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
