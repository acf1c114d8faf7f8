package dev.daflow.data.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The download policy over a fake resolver: no name is looked up in DNS and nothing is connected
 * to.
 */
class DownloadPolicyTest {
  private final List<String> asked = new ArrayList<>();
  private final Map<String, List<String>> dns = Map.of(
      "files.example", List.of("10.0.0.5"),
      "mixed.example", List.of("93.184.216.34", "169.254.169.254"),
      "public.example", List.of("93.184.216.34", "2606:2800:220:1::1"),
      "v6.example", List.of("fd00::1"));

  private DownloadPolicy policy(String... allowed) {
    return new DownloadPolicy(List.of(allowed), host -> {
      asked.add(host);
      List<String> literals = dns.get(host);
      if (literals == null) {
        throw new UnknownHostException(host);
      }
      List<InetAddress> out = new ArrayList<>();
      for (String l : literals) {
        out.add(Addresses.literal(l.contains(":") ? "[" + l + "]" : l).orElseThrow());
      }
      return out;
    });
  }

  private static void refused(DownloadPolicy p, String url, String message) {
    assertThatThrownBy(() -> p.resolve(URI.create(url)))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((DatasetRejectedException) e).kind())
            .isEqualTo(DatasetRejectedException.Kind.REFUSED));
  }

  @Test
  void onlyHostsOfTheAllowListPassAndNothingIsResolvedForOthers() {
    DownloadPolicy p = policy("public.example", "127.0.0.1");
    assertThat(p.check("https://PUBLIC.example/a.zip")).hasHost("PUBLIC.example");
    assertThat(p.check("http://127.0.0.1:8080/a.zip")).hasPort(8080);
    for (String url : new String[] {"http://other.example/a.zip", "http://127.0.0.2/a.zip",
        "http://localhost/a.zip", "http://[::1]/a.zip"}) {
      String host = URI.create(url).getHost();
      assertThatThrownBy(() -> p.check(url)).as(url)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("host " + host + " is not in daflow.data.download.allowed-hosts");
      refused(p, url, "host " + host + " is not in daflow.data.download.allowed-hosts");
    }
    assertThat(asked).isEmpty();
  }

  @Test
  void refusesOtherSchemesUserInformationAndNumericSpellings() {
    DownloadPolicy p = policy("*");
    assertThatThrownBy(() -> p.check("file:///etc/passwd"))
        .hasMessage("url must be an absolute http or https address, got 'file:///etc/passwd'");
    assertThatThrownBy(() -> p.check("ftp://public.example/a.zip"))
        .hasMessageStartingWith("url must be an absolute http or https address");
    assertThatThrownBy(() -> p.check("http://public.example@127.0.0.1/a.zip"))
        .hasMessage("url must not carry user information (user@host)");
    for (String host : new String[] {"2130706433", "0177.0.0.1", "0x7f.1", "0x7f000001",
        "127.1"}) {
      assertThatThrownBy(() -> p.check("http://" + host + ":8080/a.zip")).as(host)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("host " + host + " is a numeric address in a non-canonical"
              + " form");
    }
    assertThatThrownBy(() -> policy("0177.0.0.1"))
        .hasMessageStartingWith("daflow.data.download.allowed-hosts: host 0177.0.0.1 is a numeric"
            + " address");
    assertThat(asked).isEmpty();
  }

  @Test
  void everyResolvedAddressMustBePublic() throws Exception {
    DownloadPolicy any = policy("*");
    assertThat(any.resolve(URI.create("https://public.example/a.zip")).addresses())
        .extracting(InetAddress::getHostAddress)
        .containsExactly("93.184.216.34", "2606:2800:220:1:0:0:0:1");
    refused(any, "http://files.example/a.zip", "address 10.0.0.5 of host files.example is"
        + " private; refused (only public addresses are downloaded from, unless"
        + " daflow.data.download.allowed-hosts names the host or address)");
    refused(any, "http://mixed.example/a.zip", "address 169.254.169.254 of host mixed.example"
        + " is link-local; refused (only public addresses are downloaded from, unless"
        + " daflow.data.download.allowed-hosts names the host or address)");
    refused(any, "http://v6.example/a.zip", "address fd00:0:0:0:0:0:0:1 of host v6.example is"
        + " unique-local; refused (only public addresses are downloaded from, unless"
        + " daflow.data.download.allowed-hosts names the host or address)");
    refused(any, "http://127.0.0.1:8080/a.zip", "address 127.0.0.1 of host 127.0.0.1 is"
        + " loopback; refused (only public addresses are downloaded from, unless"
        + " daflow.data.download.allowed-hosts names the host or address)");
    refused(any, "http://[::ffff:127.0.0.1]/a.zip", "address 127.0.0.1 of host"
        + " [::ffff:127.0.0.1] is loopback; refused (only public addresses are downloaded from,"
        + " unless daflow.data.download.allowed-hosts names the host or address)");
    refused(any, "http://[::1]/a.zip", "address 0:0:0:0:0:0:0:1 of host [::1] is loopback;"
        + " refused (only public addresses are downloaded from, unless"
        + " daflow.data.download.allowed-hosts names the host or address)");
    assertThat(asked).containsExactly("public.example", "files.example", "mixed.example",
        "v6.example");
  }

  @Test
  void aNonPublicAddressPassesWhenTheListNamesItsHostOrTheAddress() throws Exception {
    assertThat(policy("files.example").resolve(URI.create("http://files.example/a.zip"))
        .addresses()).extracting(InetAddress::getHostAddress).containsExactly("10.0.0.5");
    assertThat(policy("*", "169.254.169.254").resolve(URI.create("http://mixed.example/a"))
        .addresses()).hasSize(2);
    assertThat(policy("::1").resolve(URI.create("http://[::1]:9000/a")).addresses())
        .singleElement().satisfies(a -> assertThat(a.isLoopbackAddress()).isTrue());
  }

  @Test
  void anUnknownHostIsADownloadFailure() {
    DownloadPolicy p = policy("nowhere.example");
    assertThatThrownBy(() -> p.resolve(URI.create("http://nowhere.example/")))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("host nowhere.example cannot be resolved")
        .satisfies(e -> assertThat(((DatasetRejectedException) e).kind())
            .isEqualTo(DatasetRejectedException.Kind.DOWNLOAD_FAILED));
  }
}
