package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistOnTexturesTest {
  private static ImageDataset digits;
  private static List<Pictures.Picture> photos;
  private static MnistOnTextures generator;

  @BeforeAll
  static void load() throws IOException {
    digits = MnistIdxReader.read(TestDatasets.file("mnist", "t10k-images-idx3-ubyte.gz"),
        TestDatasets.file("mnist", "t10k-labels-idx1-ubyte.gz"), "mnist/test").slice(0, 200);
    // Two noise "photographs" of different sizes (the real ones ship with Debian packages that
    // a test machine need not have): every patch of them differs from every other.
    photos = List.of(noise(120, 90, 1), noise(60, 150, 2));
    generator = new MnistOnTextures(photos);
  }

  private static Pictures.Picture noise(int h, int w, long seed) {
    byte[] px = new byte[h * w * 3];
    new Random(seed).nextBytes(px);
    return new Pictures.Picture(h, w, 3, px);
  }

  @Test
  void generates28x28RgbWithTheDigitsLabels() {
    ImageDataset ds = generator.generate(digits, 1, "tex");
    assertThat(ds.count()).isEqualTo(200);
    assertThat(ds.height()).isEqualTo(28);
    assertThat(ds.width()).isEqualTo(28);
    assertThat(ds.channels()).isEqualTo(3);
    assertThat(ds.labels()).isEqualTo(digits.labels());
    assertThat(ds.classNames()).isEqualTo(digits.classNames());
    assertThat(ds.name()).isEqualTo("tex");
  }

  @Test
  void isReproducibleForASeedAndSliceable() {
    ImageDataset a = generator.generate(digits, 7, "a");
    assertThat(new MnistOnTextures(photos).generate(digits, 7, "b").pixels())
        .isEqualTo(a.pixels());
    assertThat(generator.generate(digits, 8, "c").pixels()).isNotEqualTo(a.pixels());
    assertThat(generator.generate(digits.slice(50, 90), 7, "s", 50).pixels())
        .isEqualTo(a.slice(50, 90).pixels());
  }

  @Test
  void eachPixelIsTheAbsoluteDifferenceOfPatchAndDigit() {
    ImageDataset ds = generator.generate(digits, 3, "d");
    for (int i : new int[] {0, 17, 199}) {
      MnistOnTextures.Draw d = generator.draw(3, i);
      Pictures.Picture photo = photos.get(d.picture());
      for (int[] yx : new int[][] {{0, 0}, {14, 14}, {27, 5}, {9, 27}}) {
        int digit = digits.pixel(i, yx[0], yx[1], 0);
        for (int c = 0; c < 3; c++) {
          int bg = photo.pixels()[((d.top() + yx[0]) * photo.width() + d.left() + yx[1]) * 3 + c]
              & 0xff;
          assertThat(ds.pixel(i, yx[0], yx[1], c)).isEqualTo(Math.abs(bg - digit));
        }
      }
    }
  }

  @Test
  void theBackgroundVariesFromPictureToPicture() {
    ImageDataset ds = generator.generate(digits, 5, "v");
    Set<Integer> used = new HashSet<>();
    Set<String> corners = new HashSet<>();
    for (int i = 0; i < ds.count(); i++) {
      MnistOnTextures.Draw d = generator.draw(5, i);
      used.add(d.picture());
      assertThat(d.top() + 28).isLessThanOrEqualTo(photos.get(d.picture()).height());
      assertThat(d.left() + 28).isLessThanOrEqualTo(photos.get(d.picture()).width());
      // MNIST's corners carry no ink, so they show the patch itself.
      corners.add(ds.pixel(i, 0, 0, 0) + "," + ds.pixel(i, 0, 0, 1) + "," + ds.pixel(i, 0, 0, 2)
          + "," + ds.pixel(i, 27, 27, 2));
    }
    assertThat(used).containsExactlyInAnyOrder(0, 1);
    assertThat(corners).hasSizeGreaterThan(190);
  }

  @Test
  void refusesTooSmallOrNoPhotographs() {
    assertThatThrownBy(() -> new MnistOnTextures(List.of(noise(27, 100, 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 28x28");
    assertThatThrownBy(() -> new MnistOnTextures(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void findsAPictureUnderARootAndChecksItsSha256(@TempDir Path dir) throws IOException {
    MnistOnTextures.PictureFile f = MnistOnTextures.PICTURES.get(0);
    assertThatThrownBy(() -> MnistOnTextures.locate(f, List.of(dir)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(f.debianPackage()).hasMessageContaining(f.fileName());
    Path fake = dir.resolve(f.path().substring(1));
    Files.createDirectories(fake.getParent());
    Files.write(fake, new byte[] {1, 2, 3});
    assertThatThrownBy(() -> MnistOnTextures.locate(f, List.of(dir)))
        .isInstanceOf(DatasetFormatException.class).hasMessageContaining(f.sha256());
  }

  @Test
  void everyPictureHasAPackageAVersionAndAChecksum() {
    assertThat(MnistOnTextures.PICTURES).hasSizeGreaterThanOrEqualTo(4)
        .allSatisfy(f -> {
          assertThat(f.debianPackage()).isNotBlank();
          assertThat(f.version()).isNotBlank();
          assertThat(f.path()).startsWith("/usr/");
          assertThat(f.sha256()).matches("[0-9a-f]{64}");
        });
    assertThat(MnistOnTextures.PICTURES.stream().map(MnistOnTextures.PictureFile::fileName)
        .distinct()).hasSize(MnistOnTextures.PICTURES.size());
  }
}
