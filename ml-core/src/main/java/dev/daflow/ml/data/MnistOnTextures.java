package dev.daflow.ml.data;

import dev.daflow.ml.model.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Digits over coloured, textured backgrounds, made the way MNIST-M was made (Ganin et al.,
 * "Domain-Adversarial Training of Neural Networks", JMLR 2016, Sec. 5.2.2; Ganin & Lempitsky,
 * ICML 2015): each MNIST digit is blended over a patch cut at random from one of several colour
 * photographs, the blend being the absolute difference {@code |patch - digit|} per channel (the
 * authors' MNIST-M script). MNIST-M took its patches from BSDS500; these come from photographs
 * that ship with Debian packages ({@link #PICTURES}: package, path in it and SHA-256 of each), so
 * the dataset is rebuilt bit for bit on any machine that has them, without a download.
 *
 * <p>For picture {@code i} under {@code seed}: a generator {@code new SplittableRandom(
 * MnistOnBackground.pictureSeed(seed, i))} draws, in this order, the photograph ({@code
 * nextInt(pictures)}), the patch's top row and left column ({@code nextInt(H-28+1)}, {@code
 * nextInt(W-28+1)}) at the photograph's own resolution. Output value per channel {@code c}:
 * {@code |b_c - d|} with {@code b} the photograph's byte and {@code d} the digit's grey byte; 28x28
 * RGB, MNIST's labels. As in {@link MnistOnBackground}, a picture depends only on the seed and its
 * index, so a slice is generated exactly as within the whole.
 */
public final class MnistOnTextures {
  /** Side of the generated pictures (MNIST's, as MNIST-M's). */
  public static final int SIDE = 28;

  /** Folder of the photographs in a dataset mirror folder or the dataset cache. */
  public static final String FOLDER = "mnist-tex";

  /**
   * One photograph a dataset is built from, as a Debian package ships it.
   *
   * @param debianPackage the package, e.g. {@code python3-skimage}
   * @param version the package version whose file has this checksum
   * @param path the file's absolute path once the package is installed
   * @param sha256 lower-case hex SHA-256 of the file
   */
  public record PictureFile(String debianPackage, String version, String path, String sha256) {
    /** The file's name, e.g. {@code astronaut.png}. */
    public String fileName() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  private static final String SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data/";
  private static final String SKLEARN = "/usr/lib/python3/dist-packages/sklearn/datasets/images/";

  /**
   * The photographs of the {@code mnist-tex} dataset: every colour photograph of scikit-image's and
   * scikit-learn's sample data in Debian 13 (the packages' grey and synthetic pictures, and the
   * nearly black {@code hubble_deep_field.jpg} and {@code retina.jpg}, left out).
   */
  public static final List<PictureFile> PICTURES = List.of(
      new PictureFile("python3-skimage", "0.19.3-8", SKIMAGE + "astronaut.png",
          "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5"),
      new PictureFile("python3-skimage", "0.19.3-8", SKIMAGE + "coffee.png",
          "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7"),
      new PictureFile("python3-skimage", "0.19.3-8", SKIMAGE + "chelsea.png",
          "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb"),
      new PictureFile("python3-skimage", "0.19.3-8", SKIMAGE + "rocket.jpg",
          "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c"),
      new PictureFile("python3-skimage", "0.19.3-8", SKIMAGE + "ihc.png",
          "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef"),
      new PictureFile("python3-skimage", "0.19.3-8", SKIMAGE + "motorcycle_left.png",
          "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179"),
      new PictureFile("python3-sklearn", "1.2.1+dfsg-1", SKLEARN + "china.jpg",
          "8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29"),
      new PictureFile("python3-sklearn", "1.2.1+dfsg-1", SKLEARN + "flower.jpg",
          "a77f6ec41e353afdf8bdff2ea981b2955535d8d83294f8cfa49cf4e423dd5638"));

  private final List<ImageDataset> photos;

  /** Random choices for one picture: which photograph and the patch's top-left corner. */
  public record Draw(int picture, int top, int left) {}

  /**
   * @param photos the photographs, each at least 28x28 (grey ones are replicated to RGB)
   */
  public MnistOnTextures(List<Pictures.Picture> photos) {
    if (photos.isEmpty()) {
      throw new IllegalArgumentException("no background photographs");
    }
    List<ImageDataset> rgb = new ArrayList<>();
    for (Pictures.Picture p : photos) {
      if (p.height() < SIDE || p.width() < SIDE) {
        throw new IllegalArgumentException("a background must be at least " + SIDE + "x" + SIDE
            + ", is " + p.height() + "x" + p.width());
      }
      rgb.add(Transforms.toRgb(p.asDataset("background")));
    }
    this.photos = List.copyOf(rgb);
  }

  /**
   * Reads {@link #PICTURES}, each from the first of {@code roots} that has it (at {@code
   * root/<path>}, e.g. a folder a package was extracted into, or flat as {@code
   * root/<file name>}), checked against its SHA-256.
   *
   * @param roots folders to look in, in order; {@code /} finds installed packages
   * @throws IOException naming each missing file, its package and how to get it; or a {@link
   *     DatasetFormatException} naming a file whose checksum differs
   */
  public static List<Pictures.Picture> readPictures(List<Path> roots) throws IOException {
    List<Pictures.Picture> out = new ArrayList<>();
    for (PictureFile f : PICTURES) {
      out.add(Pictures.read(locate(f, roots)));
    }
    return out;
  }

  /** Where {@code f} is among {@code roots}, checked against its SHA-256. */
  static Path locate(PictureFile f, List<Path> roots) throws IOException {
    for (Path root : roots) {
      for (Path p : new Path[] {root.resolve(f.path().substring(1)), root.resolve(f.fileName())}) {
        if (Files.isRegularFile(p)) {
          String sha = Checksums.sha256(p);
          if (!sha.equals(f.sha256())) {
            throw new DatasetFormatException(p, "SHA-256 " + sha + ", expected " + f.sha256()
                + " (the file of Debian package " + f.debianPackage() + " " + f.version() + ")");
          }
          return p;
        }
      }
    }
    throw new IOException("background picture " + f.fileName() + " of Debian package "
        + f.debianPackage() + " " + f.version() + " not found in " + roots + ": install the "
        + "package (apt-get install " + f.debianPackage() + "), or extract it without "
        + "installing (bench/backgrounds.sh)");
  }

  /** Same as {@code generate(mnist, seed, name, 0)}. */
  public ImageDataset generate(ImageDataset mnist, long seed, String name) {
    return generate(mnist, seed, name, 0);
  }

  /**
   * Blends every digit of {@code mnist} over a patch of a photograph.
   *
   * @param mnist digits (RGB is converted to grey), resized to 28x28 when they are not
   * @param seed the seed of the whole dataset
   * @param name the name of the result
   * @param firstIndex the index of {@code mnist}'s first picture in the full dataset
   * @return 28x28 RGB pictures with {@code mnist}'s labels and class names
   */
  public ImageDataset generate(ImageDataset mnist, long seed, String name, int firstIndex) {
    ImageDataset grey = Transforms.toGrey(mnist);
    if (grey.height() != SIDE || grey.width() != SIDE) {
      grey = Transforms.resize(grey, SIDE, SIDE);
    }
    int n = grey.count();
    int area = SIDE * SIDE;
    byte[] out = new byte[Math.multiplyExact(n, area * 3)];
    byte[] digits = grey.pixels();
    for (int i = 0; i < n; i++) {
      Draw d = draw(seed, firstIndex + i);
      ImageDataset photo = photos.get(d.picture());
      byte[] bg = photo.pixels();
      int o = i * area * 3;
      for (int y = 0; y < SIDE; y++) {
        int b = ((d.top() + y) * photo.width() + d.left()) * 3;
        for (int x = 0; x < SIDE; x++) {
          int digit = digits[i * area + y * SIDE + x] & 0xff;
          for (int c = 0; c < 3; c++) {
            out[o++] = (byte) Math.abs((bg[b + 3 * x + c] & 0xff) - digit);
          }
        }
      }
    }
    return new ImageDataset(name, out, grey.labels(), n, SIDE, SIDE, 3, grey.classNames());
  }

  /** The random choices for picture {@code index} under {@code seed}, as {@link #generate} uses. */
  public Draw draw(long seed, long index) {
    SplittableRandom rng = new SplittableRandom(MnistOnBackground.pictureSeed(seed, index));
    int picture = rng.nextInt(photos.size());
    ImageDataset photo = photos.get(picture);
    int top = rng.nextInt(photo.height() - SIDE + 1);
    int left = rng.nextInt(photo.width() - SIDE + 1);
    return new Draw(picture, top, left);
  }
}
