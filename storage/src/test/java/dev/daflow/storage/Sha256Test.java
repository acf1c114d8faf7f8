package dev.daflow.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sha256Test {

  @Test
  void hashesBytesAndFilesAsLowerCaseHex(@TempDir Path dir) throws Exception {
    byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
    String expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    Path file = Files.write(dir.resolve("abc"), abc);

    assertThat(Sha256.of(abc)).isEqualTo(expected);
    assertThat(Sha256.of(file)).isEqualTo(expected);
    assertThat(Sha256.isHex(expected)).isTrue();
    assertThat(Sha256.isHex(expected.toUpperCase())).isFalse();
    assertThat(Sha256.isHex(expected.substring(1))).isFalse();
    assertThat(Sha256.isHex(null)).isFalse();
  }
}
