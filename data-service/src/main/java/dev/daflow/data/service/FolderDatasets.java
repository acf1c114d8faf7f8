package dev.daflow.data.service;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.ImageFolderReader;
import dev.daflow.ml.data.MnistIdxReader;
import dev.daflow.ml.data.SvhnMatReader;
import dev.daflow.ml.data.UspsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the two splits of a dataset from an unpacked archive, in one of the {@link
 * DatasetFormat}s, with ml-core's readers. Files are found by name anywhere in the folder (the
 * shallowest match; two at the same depth are ambiguous). Every problem, a missing file or one a
 * reader refuses, becomes a {@link DatasetRejectedException} naming the file by its path inside
 * the archive.
 */
public final class FolderDatasets {
  private static final Pattern MNIST_IMAGES_TRAIN =
      Pattern.compile("train-images[-.]idx3-ubyte(\\.gz)?");
  private static final Pattern MNIST_LABELS_TRAIN =
      Pattern.compile("train-labels[-.]idx1-ubyte(\\.gz)?");
  private static final Pattern MNIST_IMAGES_TEST =
      Pattern.compile("t10k-images[-.]idx3-ubyte(\\.gz)?");
  private static final Pattern MNIST_LABELS_TEST =
      Pattern.compile("t10k-labels[-.]idx1-ubyte(\\.gz)?");

  private FolderDatasets() {}

  /**
   * Reads {@code train} and {@code test} from {@code root}.
   *
   * @param dataset the dataset's name, for the pictures' names ({@code <dataset>/train})
   * @throws DatasetRejectedException naming the file and the problem
   * @throws IOException if the folder cannot be listed
   */
  public static Map<Split, ImageDataset> read(DatasetFormat format, Path root, String dataset)
      throws DatasetRejectedException, IOException {
    Path base = root.toAbsolutePath().normalize();
    Finder finder = new Finder(base);
    String train = dataset + "/train";
    String test = dataset + "/test";
    try {
      Map<Split, ImageDataset> splits = new LinkedHashMap<>();
      switch (format) {
        case IMAGE_FOLDER -> {
          Path trainDir = finder.dir("train");
          Path testDir = finder.dir("test");
          if (!trainDir.getParent().equals(testDir.getParent())) {
            throw DatasetRejectedException.unreadable("train/ (" + finder.rel(trainDir)
                + ") and test/ (" + finder.rel(testDir) + ") must be in the same folder");
          }
          splits.put(Split.TRAIN, ImageFolderReader.readClassFolders(trainDir, train));
          splits.put(Split.TEST, ImageFolderReader.readClassFolders(testDir, test));
        }
        case MNIST_M -> {
          splits.put(Split.TRAIN, ImageFolderReader.readMnistM(finder.dir("mnist_m_train"),
              finder.file("mnist_m_train_labels.txt"), train));
          splits.put(Split.TEST, ImageFolderReader.readMnistM(finder.dir("mnist_m_test"),
              finder.file("mnist_m_test_labels.txt"), test));
        }
        case MNIST_IDX -> {
          splits.put(Split.TRAIN, MnistIdxReader.read(finder.file(MNIST_IMAGES_TRAIN),
              finder.file(MNIST_LABELS_TRAIN), train));
          splits.put(Split.TEST, MnistIdxReader.read(finder.file(MNIST_IMAGES_TEST),
              finder.file(MNIST_LABELS_TEST), test));
        }
        case USPS -> {
          Path h5 = finder.find(Pattern.compile("usps\\.h5"), false);
          Path zipTrain = finder.find(Pattern.compile("zip\\.train(\\.gz)?"), false);
          if (zipTrain != null || h5 == null) {
            splits.put(Split.TRAIN, UspsReader.readText(
                finder.file(Pattern.compile("zip\\.train(\\.gz)?")), train));
            splits.put(Split.TEST, UspsReader.readText(
                finder.file(Pattern.compile("zip\\.test(\\.gz)?")), test));
          } else {
            splits.put(Split.TRAIN, UspsReader.readHdf5(h5, "train", train));
            splits.put(Split.TEST, UspsReader.readHdf5(h5, "test", test));
          }
        }
        case SVHN_MAT -> {
          splits.put(Split.TRAIN, SvhnMatReader.read(finder.file("train_32x32.mat"), train));
          splits.put(Split.TEST, SvhnMatReader.read(finder.file("test_32x32.mat"), test));
        }
        default -> throw new IllegalStateException("format " + format);
      }
      checkSplitsAgree(splits);
      return splits;
    } catch (DatasetRejectedException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw DatasetRejectedException.unreadable(relative(base, e.getFile())
          + ": missing" + (e.getReason() == null ? "" : " (" + e.getReason() + ")"));
    } catch (IOException | IllegalArgumentException e) {
      // DatasetFormatException and the readers' other complaints: "<file>: <problem>".
      throw DatasetRejectedException.unreadable(relative(base, e.getMessage()));
    }
  }

  /**
   * Both splits must have the same picture shape and classes (the stored form has one of each).
   */
  static void checkSplitsAgree(Map<Split, ImageDataset> splits) throws DatasetRejectedException {
    ImageDataset train = splits.get(Split.TRAIN);
    ImageDataset test = splits.get(Split.TEST);
    if (!train.classNames().equals(test.classNames())) {
      throw DatasetRejectedException.unreadable("the train split has classes "
          + train.classNames() + " but the test split has " + test.classNames()
          + ": both need the same classes");
    }
    if (train.height() != test.height() || train.width() != test.width()
        || train.channels() != test.channels()) {
      throw DatasetRejectedException.unreadable("the train split's pictures are "
          + shape(train) + " but the test split's are " + shape(test)
          + ": both need the same size and channels");
    }
  }

  private static String shape(ImageDataset d) {
    return d.height() + "x" + d.width() + "x" + d.channels();
  }

  /** {@code text} with the unpacking folder's absolute path taken out of file names. */
  static String relative(Path base, String text) {
    if (text == null) {
      return "unreadable";
    }
    return text.replace(base + java.io.File.separator, "").replace(base.toString(), ".");
  }

  /** Finds files and folders by name under the unpacked archive. */
  private static final class Finder {
    private final Path base;
    private List<Path> all;

    Finder(Path base) {
      this.base = base;
    }

    Path dir(String name) throws DatasetRejectedException, IOException {
      return find(p -> Files.isDirectory(p)
          && p.getFileName().toString().equals(name), name + "/", true);
    }

    Path file(String name) throws DatasetRejectedException, IOException {
      return find(p -> Files.isRegularFile(p)
          && p.getFileName().toString().equals(name), name, true);
    }

    Path file(Pattern name) throws DatasetRejectedException, IOException {
      return find(name, true);
    }

    Path find(Pattern name, boolean required) throws DatasetRejectedException, IOException {
      return find(p -> Files.isRegularFile(p)
          && name.matcher(p.getFileName().toString()).matches(), name.pattern(), required);
    }

    private Path find(Predicate<Path> match, String what, boolean required)
        throws DatasetRejectedException, IOException {
      List<Path> found = entries().stream().filter(match).toList();
      if (found.isEmpty()) {
        if (!required) {
          return null;
        }
        throw DatasetRejectedException.unreadable("the archive has no " + what
            + (entries().isEmpty() ? " (it is empty)" : ""));
      }
      int depth = found.get(0).getNameCount();
      List<Path> shallowest = found.stream().filter(p -> p.getNameCount() == depth).toList();
      if (shallowest.size() > 1) {
        throw DatasetRejectedException.unreadable("the archive has " + shallowest.size()
            + " entries matching " + what + " at the same level: "
            + shallowest.stream().limit(5).map(this::rel).toList());
      }
      return found.get(0);
    }

    /** Every entry, shallowest first, then by name; hidden ones left out. */
    private List<Path> entries() throws IOException {
      if (all == null) {
        try (Stream<Path> s = Files.walk(base)) {
          all = new ArrayList<>(s.filter(p -> !p.equals(base))
              .filter(p -> !base.relativize(p).toString().startsWith(".")
                  && !p.getFileName().toString().startsWith("."))
              .sorted(Comparator.comparingInt(Path::getNameCount)
                  .thenComparing(Path::toString))
              .toList());
        }
      }
      return all;
    }

    String rel(Path p) {
      return base.relativize(p).toString();
    }
  }
}
