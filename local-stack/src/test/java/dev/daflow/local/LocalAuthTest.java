package dev.daflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.daflow.contract.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local token issuer: owner-only key files, tokens the public key verifies. */
class LocalAuthTest {
  @TempDir
  Path dir;

  @Test
  void theLocalUsersTokenHoldsEveryRoleAndVerifiesWithThePublicKey() throws Exception {
    LocalAuth auth = LocalAuth.create(dir.resolve("jwt"));
    for (String f : List.of("private-key.pem", "public-key.pem")) {
      assertThat(Files.getPosixFilePermissions(dir.resolve("jwt").resolve(f))).as(f)
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(auth.publicKeyFile()).isEqualTo(dir.resolve("jwt/public-key.pem")
        .toAbsolutePath());

    SignedJWT jwt = SignedJWT.parse(auth.localUserToken());
    assertThat(jwt.verify(new RSASSAVerifier(publicKey(auth.publicKeyFile())))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(LocalAuth.ISSUER);
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(LocalAuth.LOCAL_USER);
    assertThat(jwt.getJWTClaimsSet().getStringListClaim("groups"))
        .containsExactlyElementsOf(Roles.ALL);
    assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
        .isAfter(Instant.now().plus(Duration.ofDays(29)));

    // load() signs with the same key; another pair's tokens do not verify.
    SignedJWT again = SignedJWT.parse(LocalAuth.load(dir.resolve("jwt"))
        .token("u", List.of(Roles.VIEWER), Duration.ofMinutes(1)));
    assertThat(again.verify(new RSASSAVerifier(publicKey(auth.publicKeyFile())))).isTrue();
    assertThat(again.getJWTClaimsSet().getStringListClaim("groups")).containsExactly("viewer");
    SignedJWT other = SignedJWT.parse(LocalAuth.create(dir.resolve("other")).localUserToken());
    assertThat(other.verify(new RSASSAVerifier(publicKey(auth.publicKeyFile())))).isFalse();
  }

  private static RSAPublicKey publicKey(Path pem) throws Exception {
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "")
        .replaceAll("\\s", "");
    return (RSAPublicKey) KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
