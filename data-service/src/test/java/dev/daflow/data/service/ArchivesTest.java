package dev.daflow.data.service;

import static dev.daflow.data.TestArchives.entries;
import static dev.daflow.data.TestArchives.tarGz;
import static dev.daflow.data.TestArchives.text;
import static dev.daflow.data.TestArchives.zip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchivesTest {
  @TempDir Path dir;

  private Path write(byte[] bytes) throws IOException {
    return Files.write(dir.resolve("archive"), bytes);
  }

  private Map<String, byte[]> sample() {
    Map<String, byte[]> e = entries();
    e.put("data/a.txt", text("alpha"));
    e.put("data/sub/b.txt", text("beta"));
    e.put("__MACOSX/data/._a.txt", text("resource fork"));
    return e;
  }

  @Test
  void unpacksZipAndTarGzRecognisedByContent() throws Exception {
    for (byte[] archive : new byte[][] {zip(sample()), tarGz(sample())}) {
      Path out = Files.createTempDirectory(dir, "out");
      Archives.Type type = Archives.extract(write(archive), "x.bin", out, 1 << 20, true);
      assertThat(type).isIn(Archives.Type.ZIP, Archives.Type.TAR_GZ);
      assertThat(out.resolve("data/a.txt")).hasContent("alpha");
      assertThat(out.resolve("data/sub/b.txt")).hasContent("beta");
      assertThat(out.resolve("__MACOSX")).doesNotExist();
    }
  }

  @Test
  void refusesWhatIsNotAnArchiveNamingItsFirstBytesOnlyWhenUploaded() throws IOException {
    Path p = write(text("<html>not found</html>"));
    assertThatThrownBy(() -> Archives.extract(p, "upload", dir.resolve("o"), 1 << 20, true))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("upload: not a zip, tar or tar.gz archive (it starts with "
            + "3c 68 74 6d 6c 3e 6e 6f ...)");
    // Downloaded: the bytes came from the URL's server, and are not shown.
    assertThatThrownBy(() -> Archives.extract(p, "mnist_m.tar.gz", dir.resolve("o"), 1 << 20,
        false))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("mnist_m.tar.gz: not a zip, tar or tar.gz archive (22 bytes)");
    assertThatThrownBy(() -> Archives.extract(write(new byte[0]), "upload", dir.resolve("o"), 1,
        true))
        .hasMessageContaining("upload: not a zip, tar or tar.gz archive (it is empty)");
    Path gz = write(dev.daflow.data.TestArchives.gzip(text("plain text")));
    assertThatThrownBy(() -> Archives.extract(gz, "upload", dir.resolve("o"), 1 << 20, true))
        .hasMessage("upload: a gzip file, but what it compresses is not a tar archive (it starts"
            + " with 70 6c 61 69 6e 20 74 65 ...)");
    assertThatThrownBy(() -> Archives.extract(gz, "x.tar.gz", dir.resolve("o"), 1 << 20, false))
        .hasMessage("x.tar.gz: a gzip file, but what it compresses is not a tar archive");
  }

  @Test
  void refusesTruncatedArchivesAndLeavesNothingUsable() throws IOException {
    byte[] zip = zip(sample());
    Path cut = write(Arrays.copyOf(zip, zip.length - 30));
    assertThatThrownBy(() -> Archives.extract(cut, "upload", dir.resolve("z"), 1 << 20, true))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("upload: corrupt or truncated zip archive (");
    byte[] tgz = tarGz(sample());
    Path cutTar = write(Arrays.copyOf(tgz, tgz.length / 2));
    assertThatThrownBy(() -> Archives.extract(cutTar, "upload", dir.resolve("t"), 1 << 20, true))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageContaining("upload: corrupt or truncated");
  }

  @Test
  void refusesEntriesOutsideTheFolder() throws IOException {
    Map<String, byte[]> evil = entries();
    evil.put("ok.txt", text("fine"));
    evil.put("../../escape.txt", text("gotcha"));
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> Archives.extract(write(zip(evil)), "upload", out, 1 << 20, true))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("upload: entry '../../escape.txt' points outside the archive ('..')");
    assertThat(dir.getParent().resolve("escape.txt")).doesNotExist();
  }

  @Test
  void boundsTheUnpackedSize() throws IOException {
    Map<String, byte[]> big = entries();
    big.put("zeros.bin", new byte[100_000]); // compresses to almost nothing
    assertThatThrownBy(() -> Archives.extract(write(zip(big)), "upload", dir.resolve("o"),
        50_000, true))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("upload: unpacks to more than 50000 bytes "
            + "(daflow.data.max-extracted-bytes)")
        .extracting(e -> ((DatasetRejectedException) e).kind())
        .isEqualTo(DatasetRejectedException.Kind.TOO_LARGE);
  }

  @Test
  void corruptEntryIsNamed() throws IOException {
    Map<String, byte[]> e = entries();
    e.put("train/pic.png", new byte[5000]);
    byte[] zip = zip(e);
    // Damage the stored data (after the 30-byte local header and the name) and so its CRC.
    int data = 30 + "train/pic.png".length() + 1;
    zip[data] ^= 0x55;
    zip[data + 1] ^= 0x55;
    Path p = write(zip);
    assertThatThrownBy(() -> Archives.extract(p, "upload", dir.resolve("o"), 1 << 20, true))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("upload: corrupt zip entry 'train/pic.png' (");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s).isNotEmpty();
    }
  }
}
