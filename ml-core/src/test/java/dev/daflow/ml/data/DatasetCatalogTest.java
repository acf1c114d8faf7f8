package dev.daflow.ml.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.DatasetSource.Split;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {
  @TempDir Path cache;

  private DatasetCatalog catalog() {
    return new DatasetCatalog(TestDatasets.root(), cache);
  }

  @Test
  void listsNamesAndRejectsUnknownOnes() {
    assertThat(DatasetCatalog.names())
        .containsExactly("mnist", "usps", "svhn", "mnist64", "mnist64-bg");
    assertThatThrownBy(() -> catalog().load("cifar10", Split.TRAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cifar10")
        .hasMessageContaining("mnist, usps, svhn, mnist64, mnist64-bg");
  }

  @Test
  void aLimitGivesTheFirstPicturesOfTheFullSplitBuildingOnlyThose() throws IOException {
    DatasetCatalog c = catalog();
    for (String name : new String[] {"usps", "mnist64-bg"}) {
      ImageDataset full = c.load(name, Split.TEST);
      ImageDataset first = c.load(name, Split.TEST, 25);
      assertThat(first.count()).isEqualTo(25);
      assertThat(first.labels()).containsExactly(full.slice(0, 25).labels());
      assertThat(first.pixels()).as(name).isEqualTo(full.slice(0, 25).pixels());
    }
    assertThat(c.load("usps", Split.TEST, 1_000_000).count()).isEqualTo(2007);
    assertThatThrownBy(() -> c.load("mnist", Split.TEST, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void loadsFromTheMirror() throws IOException {
    DatasetCatalog c = catalog();
    ImageDataset mnist = c.load("mnist", Split.TEST);
    assertThat(mnist.count()).isEqualTo(10000);
    assertThat(mnist.name()).isEqualTo("mnist/test");
    ImageDataset usps = c.load("usps", Split.TRAIN);
    assertThat(usps.count()).isEqualTo(7291);
    ImageDataset svhn = c.load("svhn", Split.TRAIN); // found in svhn-format
    assertThat(svhn.count()).isEqualTo(300);
    assertThat(svhn.channels()).isEqualTo(3);
    assertThat(c.load("svhn", Split.TEST).count()).isEqualTo(100);
    try (Stream<Path> s = Files.list(cache)) {
      assertThat(s).as("nothing downloaded").isEmpty();
    }
  }

  @Test
  void buildsTheMnist64Domains() throws IOException {
    DatasetCatalog c = catalog();
    ImageDataset source = c.load("mnist64", Split.TEST);
    assertThat(source.count()).isEqualTo(10000);
    assertThat(source.height()).isEqualTo(64);
    assertThat(source.channels()).isEqualTo(3);
    ImageDataset target = c.load("mnist64-bg", Split.TEST);
    assertThat(target.count()).isEqualTo(10000);
    assertThat(target.name()).isEqualTo("mnist64-bg/test");
    assertThat(target.labels()).isEqualTo(source.labels());
    // Same as the generator with the documented seed.
    ImageDataset mnist = c.load("mnist", Split.TEST).slice(0, 5);
    ImageDataset expected = new MnistOnBackground(javax.imageio.ImageIO.read(
        TestDatasets.file("adda-mnist64", "lena.jpg").toFile()))
        .generate(mnist, DatasetCatalog.MNIST64_BG_TEST_SEED, "x");
    assertThat(target.slice(0, 5).pixels()).isEqualTo(expected.pixels());
  }

  @Test
  void mirrorFilesMatchThePublishedChecksums() throws IOException {
    DatasetCatalog c = catalog();
    for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
      RemoteFile remote = DatasetCatalog.mnist(f);
      assertThat(Downloader.checksumProblem(c.file(remote), remote)).as(f).isNull();
    }
    RemoteFile svhn = DatasetCatalog.svhn(true);
    // The local svhn-format file is not the real SVHN file: its checksum must not pass.
    assertThat(Downloader.checksumProblem(c.file(svhn), svhn)).contains("differs");
  }

  @Test
  void listsEachDatasetsPublishedFiles() {
    assertThat(DatasetCatalog.files("mnist")).extracting(RemoteFile::fileName).containsExactly(
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz");
    assertThat(DatasetCatalog.files("svhn")).allSatisfy(f -> assertThat(f.md5()).isNotNull());
    assertThat(DatasetCatalog.files("usps")).extracting(RemoteFile::fileName)
        .containsExactly("zip.train.gz", "zip.test.gz");
    assertThat(DatasetCatalog.files("mnist64-bg")).extracting(RemoteFile::fileName)
        .contains("lena.jpg");
    assertThatThrownBy(() -> DatasetCatalog.files("mnist-m"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("known: mnist");
  }

  @Test
  void verifiedFileChecksMirrorFilesToo() throws IOException {
    DatasetCatalog c = catalog();
    RemoteFile images = DatasetCatalog.mnist("t10k-images-idx3-ubyte.gz");
    assertThat(c.verifiedFile(images)).isEqualTo(c.file(images));
    // The svhn-format stand-in is found in the mirror, but it is not SVHN's file.
    assertThatThrownBy(() -> c.verifiedFile(DatasetCatalog.svhn(true)))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining("train_32x32.mat")
        .hasMessageContaining("differs from the expected e26dedcc434d2e4c54c9b2d4a06d8373");
  }

  @Test
  void downloadsFromAMirrorServerBeforeThePublisher() throws IOException {
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      asked.add(path);
      Path file = path.startsWith("/mirror/usps/")
          ? TestDatasets.file("usps", path.substring("/mirror/usps/".length())) : null;
      if (file == null || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, Files.size(file));
        try (var out = exchange.getResponseBody()) {
          Files.copy(file, out);
        }
      }
      exchange.close();
    });
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mirror");
      DatasetCatalog c = new DatasetCatalog(null, base, cache, Duration.ofSeconds(2),
          Duration.ofSeconds(30));
      ImageDataset usps = c.load("usps", Split.TEST);
      assertThat(usps.count()).isEqualTo(2007);
      assertThat(usps.pixels()).isEqualTo(catalog().load("usps", Split.TEST).pixels());
      assertThat(asked).containsExactly("/mirror/usps/zip.test.gz");
      assertThat(cache.resolve("usps").resolve("zip.test.gz")).exists();
      assertThat(c.hasRealSvhn()).isFalse();
    } finally {
      server.stop(0);
    }
    assertThatThrownBy(() -> new DatasetCatalog(null, URI.create("file:///tmp/x"), cache,
        Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
  }

  @Test
  void failedDownloadIsAClearQuickError() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/mnist/nothing.gz";
    RemoteFile remote = new RemoteFile(List.of("nowhere"), "nothing.gz", List.of(URI.create(url)),
        null, false);
    DatasetCatalog c = new DatasetCatalog(TestDatasets.root(), cache, Duration.ofSeconds(2),
        Duration.ofSeconds(5));
    long start = System.nanoTime();
    assertThatThrownBy(() -> c.file(remote))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot download nothing.gz")
        .hasMessageContaining(url);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    try (Stream<Path> s = Files.walk(cache)) {
      assertThat(s.filter(Files::isRegularFile)).as("no partial file left").isEmpty();
    }
  }

  @Test
  @Timeout(30) // without a deadline on the body, the download would never end
  void aBodyThatNeverEndsIsCutOffAtTheDownloadTimeout() throws Exception {
    // The server answers at once, then sends the body a byte at a time until the test ends.
    CountDownLatch done = new CountDownLatch(1);
    com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      try (var out = exchange.getResponseBody()) {
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
          out.write('x');
          out.flush();
        }
      } catch (InterruptedException | IOException e) {
        // the client went away or the test ended
      }
    });
    ExecutorService threads = Executors.newCachedThreadPool();
    server.setExecutor(threads);
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/slow.gz";
      RemoteFile remote = new RemoteFile(List.of("nowhere"), "slow.gz",
          List.of(URI.create(url)), null, false);
      DatasetCatalog c = new DatasetCatalog(TestDatasets.root(), cache, Duration.ofSeconds(2),
          Duration.ofSeconds(1));
      long start = System.nanoTime();
      assertThatThrownBy(() -> c.file(remote))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("cannot download slow.gz")
          .hasMessageContaining("not downloaded within 1 s");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      try (Stream<Path> s = Files.walk(cache)) {
        assertThat(s.filter(Files::isRegularFile)).as("no partial file left").isEmpty();
      }
    } finally {
      done.countDown();
      server.stop(0);
      threads.shutdownNow();
    }
  }
}
