package dev.daflow.ml.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The built-in datasets by name and split, read from a local mirror folder and otherwise
 * downloaded from their publishers into a cache folder.
 *
 * <p>A file is looked up as {@code <mirror>/<folder>/<file>} for each of its folders (mirror
 * files are trusted as they are), then as {@code <cache>/<folder>/<file>} (verified when it was
 * downloaded), and else downloaded into the cache, checked against its md5 where known: from a
 * mirror server first when one is configured ({@code <mirrorUrl>/<folder>/<file>}), then from
 * its publisher. {@link #files} lists each dataset's files, addresses and checksums.
 *
 * <table>
 *   <caption>Datasets</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>{@code mnist}</td><td>MNIST IDX files, folder {@code mnist}</td></tr>
 *   <tr><td>{@code usps}</td><td>USPS ESL text files {@code zip.train.gz}/{@code zip.test.gz},
 *       folder {@code usps}</td></tr>
 *   <tr><td>{@code svhn}</td><td>SVHN {@code train_32x32.mat}/{@code test_32x32.mat}, folder
 *       {@code svhn}, then {@code svhn-format}</td></tr>
 *   <tr><td>{@code mnist64}</td><td>MNIST zoomed to 64x64 RGB
 *       ({@link MnistOnBackground#zoomed})</td></tr>
 *   <tr><td>{@code mnist64-bg}</td><td>MNIST on crops of {@code adda-mnist64/lena.jpg}
 *       ({@link MnistOnBackground}), seed {@value #MNIST64_BG_TRAIN_SEED} for the train split
 *       (MNIST train digits), {@value #MNIST64_BG_TEST_SEED} for test (MNIST test digits)</td></tr>
 * </table>
 *
 * <p>Datasets are read anew by each {@link #load} call; nothing is kept in memory.
 */
public final class DatasetCatalog implements DatasetSource {
  /** Which part of a dataset. */

  /** Seed of {@code mnist64-bg}'s train split. */
  public static final long MNIST64_BG_TRAIN_SEED = 1;
  /** Seed of {@code mnist64-bg}'s test split. */
  public static final long MNIST64_BG_TEST_SEED = 2;

  private static final List<String> NAMES = List.of("mnist", "usps", "svhn", "mnist64",
      "mnist64-bg");
  private static final String MNIST_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/";
  private static final String MNIST_FALLBACK_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/";
  private static final String USPS_URL = "https://hastie.su.domains/ElemStatLearn/datasets/";
  private static final String SVHN_URL = "http://ufldl.stanford.edu/housenumbers/";
  /** Public copy of the background picture: OpenCV's sample lena.jpg (512x512 RGB). */
  static final String LENA_URL =
      "https://raw.githubusercontent.com/opencv/opencv/4.x/samples/data/lena.jpg";

  private final Path mirror;
  private final URI mirrorUrl;
  private final Path cache;
  private final Downloader downloader;

  /**
   * @param mirror a local mirror folder, or {@code null} for none
   * @param cache where downloads go, e.g. {@code ~/.cache/daflow/datasets}
   */
  public DatasetCatalog(Path mirror, Path cache) {
    this(mirror, cache, Duration.ofSeconds(30), Duration.ofMinutes(30));
  }

  /**
   * @param mirror a local mirror folder, or {@code null} for none
   * @param cache where downloads go
   * @param connectTimeout how long to wait for a connection to a server
   * @param requestTimeout how long one download may take
   */
  public DatasetCatalog(Path mirror, Path cache, Duration connectTimeout,
      Duration requestTimeout) {
    this(mirror, null, cache, connectTimeout, requestTimeout);
  }

  /**
   * A catalog that also downloads from a mirror server: a file missing from the mirror folder
   * and the cache is fetched first from {@code <mirrorUrl>/<folder>/<file>} (for each of its
   * folders), then from its publisher's addresses. Downloads from the mirror server are checked
   * against the md5 like any other download.
   *
   * @param mirror a local mirror folder, or {@code null} for none
   * @param mirrorUrl base address of a mirror server laid out like the mirror folder, e.g.
   *     {@code http://files.internal/datasets/}, or {@code null} for none
   * @param cache where downloads go
   * @param connectTimeout how long to wait for a connection to a server
   * @param requestTimeout how long one download may take
   */
  public DatasetCatalog(Path mirror, URI mirrorUrl, Path cache, Duration connectTimeout,
      Duration requestTimeout) {
    if (mirrorUrl != null && !("http".equals(mirrorUrl.getScheme())
        || "https".equals(mirrorUrl.getScheme()))) {
      throw new IllegalArgumentException("mirror URL must be http(s), got " + mirrorUrl);
    }
    this.mirror = mirror;
    this.mirrorUrl = mirrorUrl;
    this.cache = cache;
    this.downloader = new Downloader(connectTimeout, requestTimeout);
  }

  /** The default cache folder, {@code ~/.cache/daflow/datasets}. */
  public static Path defaultCache() {
    return Path.of(System.getProperty("user.home"), ".cache", "daflow", "datasets");
  }

  /** Names of the built-in datasets. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * The publishers' files a built-in dataset is read (or, for {@code mnist64} and {@code
   * mnist64-bg}, built) from, with their addresses and md5 checksums.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   */
  public static List<RemoteFile> files(String name) {
    List<RemoteFile> mnist = List.of(mnist("train-images-idx3-ubyte.gz"),
        mnist("train-labels-idx1-ubyte.gz"), mnist("t10k-images-idx3-ubyte.gz"),
        mnist("t10k-labels-idx1-ubyte.gz"));
    return switch (name) {
      case "mnist", "mnist64" -> mnist;
      case "mnist64-bg" -> java.util.stream.Stream.concat(mnist.stream(),
          java.util.stream.Stream.of(lena())).toList();
      case "usps" -> List.of(usps(true), usps(false));
      case "svhn" -> List.of(svhn(true), svhn(false));
      default -> throw new IllegalArgumentException(
          "unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }

  /**
   * Loads one split of a built-in dataset, named e.g. {@code mnist/train}.
   *
   * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
   * @throws IOException if a file is missing and cannot be downloaded, or does not decode
   */
  @Override
  public ImageDataset load(String name, Split split) throws IOException {
    return load(name, split, 0);
  }

  /**
   * The first {@code limit} pictures of a split ({@code 0}: all), the same pictures as {@code
   * load(name, split).slice(0, limit)}. The derived datasets ({@code mnist64}, {@code mnist64-bg})
   * build only those pictures, so a small limit loads in a fraction of the time.
   */
  @Override
  public ImageDataset load(String name, Split split, int limit) throws IOException {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, got " + limit);
    }
    String dsName = name + "/" + split.name().toLowerCase(Locale.ROOT);
    boolean train = split == Split.TRAIN;
    ImageDataset all = switch (name) {
      case "mnist64" -> MnistOnBackground.zoomed(load("mnist", split, limit), dsName);
      case "mnist64-bg" -> new MnistOnBackground(background()).generate(
          load("mnist", split, limit), train ? MNIST64_BG_TRAIN_SEED : MNIST64_BG_TEST_SEED,
          dsName);
      default -> read(name, dsName, train);
    };
    return limit > 0 && limit < all.count() ? all.slice(0, limit) : all;
  }

  private ImageDataset read(String name, String dsName, boolean train) throws IOException {
    return switch (name) {
      case "mnist" -> MnistIdxReader.read(
          file(mnist(train ? "train-images-idx3-ubyte.gz" : "t10k-images-idx3-ubyte.gz")),
          file(mnist(train ? "train-labels-idx1-ubyte.gz" : "t10k-labels-idx1-ubyte.gz")),
          dsName);
      case "usps" -> UspsReader.readText(file(usps(train)), dsName);
      case "svhn" -> SvhnMatReader.read(file(svhn(train)), dsName);
      default -> throw new IllegalArgumentException(
          "unknown dataset '" + name + "'; known: " + String.join(", ", NAMES));
    };
  }

  /**
   * Whether the real SVHN training file is in the mirror ({@code svhn/train_32x32.mat}) or the
   * cache, as opposed to only the small {@code svhn-format} stand-in.
   */
  public boolean hasRealSvhn() {
    return (mirror != null
            && Files.isRegularFile(mirror.resolve("svhn").resolve("train_32x32.mat")))
        || Files.isRegularFile(cache.resolve("svhn").resolve("train_32x32.mat"));
  }

  /**
   * The local path of a file: from the mirror, else the cache, else downloaded into the cache.
   *
   * @throws IOException naming the addresses tried when the download fails
   */
  public Path file(RemoteFile f) throws IOException {
    if (mirror != null) {
      for (String folder : f.folders()) {
        Path p = mirror.resolve(folder).resolve(f.fileName());
        if (Files.isRegularFile(p)) {
          return p;
        }
      }
    }
    for (String folder : f.folders()) {
      Path p = cache.resolve(folder).resolve(f.fileName());
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    Path target = cache.resolve(f.folders().get(0)).resolve(f.fileName());
    downloader.download(withMirrorUrl(f), target);
    return target;
  }

  /**
   * {@link #file}, then checked against the file's md5 wherever it was found, mirror folder
   * included (a download is checked already; files without a known md5 pass as they are).
   *
   * @throws DatasetFormatException naming the file and both checksums when they differ
   */
  public Path verifiedFile(RemoteFile f) throws IOException {
    Path p = file(f);
    String problem = Downloader.checksumProblem(p, f);
    if (problem != null) {
      throw new DatasetFormatException(p, problem + " (not the file its publisher serves at "
          + f.urls().get(0) + ")");
    }
    return p;
  }

  /** {@code f} with the mirror server's addresses before the publisher's. */
  private RemoteFile withMirrorUrl(RemoteFile f) {
    if (mirrorUrl == null) {
      return f;
    }
    String base = mirrorUrl.toString().endsWith("/") ? mirrorUrl.toString()
        : mirrorUrl + "/";
    List<URI> urls = new java.util.ArrayList<>();
    for (String folder : f.folders()) {
      urls.add(URI.create(base + folder + "/" + f.fileName()));
    }
    urls.addAll(f.urls());
    return new RemoteFile(f.folders(), f.fileName(), urls, f.md5(), f.md5OfGunzipped());
  }

  private BufferedImage background() throws IOException {
    Path p = file(lena());
    BufferedImage img;
    try (InputStream in = Files.newInputStream(p)) {
      img = ImageIO.read(in);
    }
    if (img == null) {
      throw new DatasetFormatException(p, "not a picture in a format ImageIO can read");
    }
    return img;
  }

  /** The background picture of {@code mnist64-bg}; no published checksum. */
  static RemoteFile lena() {
    return RemoteFile.of("adda-mnist64", "lena.jpg", LENA_URL, null);
  }

  /** The MNIST file of that name, md5s of torchvision's list (train images: of its content). */
  static RemoteFile mnist(String fileName) {
    String md5 = switch (fileName) {
      case "train-images-idx3-ubyte.gz" -> "6bbc9ace898e44ae57da46a324031adb";
      case "train-labels-idx1-ubyte.gz" -> "d53e105ee54ea40749a09fcbcd1e9432";
      case "t10k-images-idx3-ubyte.gz" -> "9fb629c4189551a2d022fa330f9573f3";
      case "t10k-labels-idx1-ubyte.gz" -> "ec29112dd5afa0611ce80d1b7f02629c";
      default -> throw new IllegalArgumentException("not an MNIST file: " + fileName);
    };
    return new RemoteFile(List.of("mnist"), fileName,
        List.of(java.net.URI.create(MNIST_URL + fileName),
            java.net.URI.create(MNIST_FALLBACK_URL + fileName)),
        md5, fileName.startsWith("train-images"));
  }

  /** USPS ESL text file; no published checksum, so it is not verified. */
  static RemoteFile usps(boolean train) {
    String fileName = train ? "zip.train.gz" : "zip.test.gz";
    return RemoteFile.of("usps", fileName, USPS_URL + fileName, null);
  }

  /** SVHN cropped-digit MAT file, with the md5 the SVHN site publishes. */
  static RemoteFile svhn(boolean train) {
    String fileName = train ? "train_32x32.mat" : "test_32x32.mat";
    return new RemoteFile(List.of("svhn", "svhn-format"), fileName,
        List.of(java.net.URI.create(SVHN_URL + fileName)),
        train ? "e26dedcc434d2e4c54c9b2d4a06d8373" : "eb5a983be6a315427106f1b164d9cef3", false);
  }
}
