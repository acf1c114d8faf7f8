package dev.daflow.data.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.data.service.Addresses.Kind;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The address classifier, over literal addresses only (nothing is resolved or connected). */
class AddressesTest {

  /** A literal as a URL host spells it; parsed without DNS. */
  private static InetAddress ip(String literal) {
    return Addresses.literal(literal.contains(":") ? "[" + literal + "]" : literal)
        .orElseThrow(() -> new AssertionError(literal + " is not a literal"));
  }

  @Test
  void classifiesIpv4() {
    Map<String, Kind> cases = Map.ofEntries(
        Map.entry("127.0.0.1", Kind.LOOPBACK),
        Map.entry("127.255.0.2", Kind.LOOPBACK),
        Map.entry("10.0.0.5", Kind.PRIVATE),
        Map.entry("10.255.255.255", Kind.PRIVATE),
        Map.entry("172.16.0.1", Kind.PRIVATE),
        Map.entry("172.31.255.254", Kind.PRIVATE),
        Map.entry("172.15.255.255", Kind.PUBLIC),
        Map.entry("172.32.0.1", Kind.PUBLIC),
        Map.entry("192.168.1.1", Kind.PRIVATE),
        Map.entry("192.169.0.1", Kind.PUBLIC),
        Map.entry("100.64.0.1", Kind.SHARED),
        Map.entry("100.127.255.255", Kind.SHARED),
        Map.entry("100.128.0.1", Kind.PUBLIC),
        Map.entry("169.254.169.254", Kind.LINK_LOCAL),
        Map.entry("224.0.0.251", Kind.MULTICAST),
        Map.entry("239.255.255.250", Kind.MULTICAST),
        Map.entry("0.0.0.0", Kind.UNSPECIFIED),
        Map.entry("255.255.255.255", Kind.RESERVED),
        Map.entry("198.18.0.1", Kind.RESERVED),
        Map.entry("192.0.2.1", Kind.RESERVED),
        Map.entry("8.8.8.8", Kind.PUBLIC),
        Map.entry("142.250.0.1", Kind.PUBLIC));
    cases.forEach((a, kind) -> assertThat(Addresses.classify(ip(a))).as(a).isEqualTo(kind));
    assertThat(Addresses.isPublic(ip("8.8.8.8"))).isTrue();
    assertThat(Addresses.isPublic(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void classifiesIpv6IncludingTheFormsThatCarryIpv4() {
    Map<String, Kind> cases = Map.ofEntries(
        Map.entry("::1", Kind.LOOPBACK),
        Map.entry("::", Kind.UNSPECIFIED),
        Map.entry("fe80::1", Kind.LINK_LOCAL),
        Map.entry("febf:ffff::1", Kind.LINK_LOCAL),
        Map.entry("fec0::1", Kind.PRIVATE),
        Map.entry("fc00::1", Kind.UNIQUE_LOCAL),
        Map.entry("fd12:3456:789a::1", Kind.UNIQUE_LOCAL),
        Map.entry("ff02::1", Kind.MULTICAST),
        Map.entry("::ffff:127.0.0.1", Kind.LOOPBACK),
        Map.entry("::ffff:7f00:1", Kind.LOOPBACK),
        Map.entry("::ffff:10.0.0.5", Kind.PRIVATE),
        Map.entry("::ffff:169.254.169.254", Kind.LINK_LOCAL),
        Map.entry("::127.0.0.1", Kind.LOOPBACK),
        Map.entry("::192.168.0.1", Kind.PRIVATE),
        Map.entry("64:ff9b::127.0.0.1", Kind.LOOPBACK),
        Map.entry("64:ff9b::8.8.8.8", Kind.PUBLIC),
        Map.entry("64:ff9b:1::1", Kind.PRIVATE),
        Map.entry("2002:7f00:1::1", Kind.LOOPBACK),
        Map.entry("2002:a9fe:a9fe::1", Kind.LINK_LOCAL),
        Map.entry("2002:808:808::1", Kind.PUBLIC),
        Map.entry("2001:db8::1", Kind.RESERVED),
        Map.entry("2001::1", Kind.RESERVED),
        Map.entry("100::1", Kind.RESERVED),
        Map.entry("2a00:1450:4001::1", Kind.PUBLIC),
        Map.entry("2606:4700::1111", Kind.PUBLIC));
    cases.forEach((a, kind) -> assertThat(Addresses.classify(ip(a))).as(a).isEqualTo(kind));
  }

  @Test
  void parsesCanonicalLiteralsAndLeavesNamesAlone() {
    assertThat(Addresses.literal("192.0.2.7")).get()
        .satisfies(a -> assertThat(a.getAddress()).containsExactly(192, 0, 2, 7));
    assertThat(Addresses.literal("[::1]")).get()
        .satisfies(a -> assertThat(a.isLoopbackAddress()).isTrue());
    assertThat(Addresses.literal("localhost")).isEmpty();
    assertThat(Addresses.literal("storage.googleapis.com")).isEmpty();
    assertThat(Addresses.literal("1e100.net")).isEmpty();
    assertThat(Addresses.literal("123.example")).isEmpty();
  }

  @Test
  void refusesNumericHostsInNonCanonicalSpellings() {
    for (String host : new String[] {"2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001",
        "127.1", "127.0.1", "0177.1", "127.0.0.01", "127.0.0.1.", "1.2.3.4.5", "256.0.0.1",
        "017700000001", "0x7F.0.0.1", "foo.0x7f", "foo.127"}) {
      assertThatThrownBy(() -> Addresses.literal(host)).as(host)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("host " + host + " is a numeric address in a non-canonical"
              + " form");
    }
    assertThatThrownBy(() -> Addresses.literal("[fe80::1%25eth0]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a plain IPv6 address");
    assertThatThrownBy(() -> Addresses.literal("[1:2:3]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid IPv6 address");
  }
}
