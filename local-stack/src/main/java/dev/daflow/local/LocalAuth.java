package dev.daflow.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.daflow.contract.Roles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The local issuer of bearer tokens: an RSA key pair made at start-up under a folder of the stack
 * ({@code <root>/jwt/}: {@code private-key.pem}, {@code public-key.pem}, each readable by its
 * owner only), and tokens signed with it (RS256, Nimbus JOSE+JWT) that the services verify with
 * the public key ({@value #ENV_PUBLIC_KEY}) and the issuer ({@value #ENV_ISSUER}, {@value
 * #ISSUER}). The roles go in the {@code groups} claim (MicroProfile JWT); the local user's token
 * ({@link #localUserToken()}) holds all of {@link Roles#ALL}. Nothing here is ever in git: each
 * stack start makes a new key pair, so older tokens stop working.
 */
public final class LocalAuth {
  /** The local stack's issuer, the tokens' {@code iss}. */
  public static final String ISSUER = "urn:daflow:local-stack";
  /** The services' variable with the issuer ({@code mp.jwt.verify.issuer}). */
  public static final String ENV_ISSUER = "MP_JWT_VERIFY_ISSUER";
  /** The services' variable with the public key's file ({@code mp.jwt.verify.publickey.location}). */
  public static final String ENV_PUBLIC_KEY = "MP_JWT_VERIFY_PUBLICKEY_LOCATION";
  /** The clients' variable with the bearer token (the CLI, {@code stack.env}). */
  public static final String ENV_TOKEN = "DAFLOW_TOKEN";
  /** The local user's name, the token's {@code sub} and {@code upn}. */
  public static final String LOCAL_USER = "local-user";
  /** How long the local user's token is valid: a stack that runs longer needs a restart. */
  public static final Duration LOCAL_TOKEN_LIFETIME = Duration.ofDays(30);

  private static final String PRIVATE_FILE = "private-key.pem";
  private static final String PUBLIC_FILE = "public-key.pem";

  private final Path publicKeyFile;
  private final RSAPrivateKey privateKey;
  private final String keyId;

  private LocalAuth(Path publicKeyFile, RSAPrivateKey privateKey, String keyId) {
    this.publicKeyFile = publicKeyFile;
    this.privateKey = privateKey;
    this.keyId = keyId;
  }

  /**
   * Makes a new RSA key pair (2048 bits) and writes it under {@code dir} (created if needed),
   * replacing one there, each file with owner-only permissions where the file system has them.
   */
  public static LocalAuth create(Path dir) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make an RSA key pair: " + e.getMessage(), e);
    }
    try {
      Files.createDirectories(dir);
      writeOwnerOnly(dir.resolve(PRIVATE_FILE), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      writeOwnerOnly(dir.resolve(PUBLIC_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the key pair under " + dir, e);
    }
    return new LocalAuth(dir.resolve(PUBLIC_FILE).toAbsolutePath(),
        (RSAPrivateKey) pair.getPrivate(), UUID.randomUUID().toString());
  }

  /** The key pair {@link #create} wrote under {@code dir}. */
  public static LocalAuth load(Path dir) {
    try {
      String text = Files.readString(dir.resolve(PRIVATE_FILE), StandardCharsets.US_ASCII);
      String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      RSAPrivateKey key = (RSAPrivateKey) KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      return new LocalAuth(dir.resolve(PUBLIC_FILE).toAbsolutePath(), key,
          UUID.randomUUID().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the key pair under " + dir, e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("not an RSA private key in PEM: "
          + dir.resolve(PRIVATE_FILE) + ": " + e.getMessage(), e);
    }
  }

  /** The public key's PEM file (absolute), for {@value #ENV_PUBLIC_KEY}. */
  public Path publicKeyFile() {
    return publicKeyFile;
  }

  /**
   * A token of {@value #ISSUER} for {@code subject} with {@code roles}, valid from now for {@code
   * lifetime}.
   */
  public String token(String subject, Collection<String> roles, Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .claim("upn", subject)
        .claim("groups", List.copyOf(roles))
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)))
        .jwtID(UUID.randomUUID().toString())
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
        .type(JOSEObjectType.JWT).keyID(keyId).build(), claims);
    try {
      jwt.sign(new RSASSASigner(privateKey));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  /** The local user's token: every role, valid for {@link #LOCAL_TOKEN_LIFETIME}. */
  public String localUserToken() {
    return token(LOCAL_USER, Roles.ALL, LOCAL_TOKEN_LIFETIME);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  /**
   * Writes {@code text} to {@code file} through a new owner-only file moved into place, so the
   * content is never readable by others, not even for a moment.
   */
  static void writeOwnerOnly(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
