package dev.daflow.ml.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads datasets stored as picture files: the generic one-folder-per-class layout and MNIST-M's
 * images folder plus labels file. All pictures of a dataset must share height, width and channel
 * count (see {@link Pictures} for how channels are decided); a picture that differs or does not
 * decode raises a {@link DatasetFormatException} naming it.
 */
public final class ImageFolderReader {
  /** File extensions (lower case) taken as pictures in class folders; other files are ignored. */
  public static final Set<String> PICTURE_EXTENSIONS =
      Set.of("png", "jpg", "jpeg", "bmp", "gif");

  private ImageFolderReader() {}

  /**
   * Reads {@code root/<class>/<picture>}: one sub-folder per class, class names being the sorted
   * folder names and pictures read in file-name order. Files whose extension is not in
   * {@link #PICTURE_EXTENSIONS} and hidden entries are ignored.
   *
   * @param root the folder holding one sub-folder per class
   * @param name the dataset name
   * @throws DatasetFormatException if there is no class folder, no picture, or a bad picture
   * @throws IOException if a folder cannot be listed
   */
  public static ImageDataset readClassFolders(Path root, String name) throws IOException {
    List<Path> classDirs = list(root).stream().filter(Files::isDirectory).toList();
    if (classDirs.isEmpty()) {
      throw new DatasetFormatException(root, "no class sub-folders");
    }
    List<String> classNames = classDirs.stream().map(p -> p.getFileName().toString()).toList();
    Pictures.Stack stack = new Pictures.Stack();
    int[] labels = new int[64];
    for (int c = 0; c < classDirs.size(); c++) {
      for (Path file : list(classDirs.get(c))) {
        if (!Files.isRegularFile(file) || !isPicture(file)) {
          continue;
        }
        stack.add(file, Pictures.read(file));
        if (stack.count() > labels.length) {
          labels = Arrays.copyOf(labels, labels.length * 2);
        }
        labels[stack.count() - 1] = c;
      }
    }
    if (stack.count() == 0) {
      throw new DatasetFormatException(root, "no pictures in the class folders");
    }
    return stack.build(name, Arrays.copyOf(labels, stack.count()), classNames);
  }

  /**
   * Reads MNIST-M: a labels file of lines {@code NAME LABEL} (e.g. {@code 00000000.png 5}, blank
   * lines ignored) naming pictures in {@code imagesDir}, read in the file's order.
   *
   * @param imagesDir the folder of pictures (28x28 RGB PNGs for MNIST-M)
   * @param labelsFile e.g. {@code mnist_m_train_labels.txt}
   * @param name the dataset name
   * @return pictures with labels in {@link ImageDataset#DIGITS}
   * @throws DatasetFormatException on a malformed line (named by number), a label outside 0..9,
   *     a missing or bad picture
   * @throws IOException if a file cannot be read
   */
  public static ImageDataset readMnistM(Path imagesDir, Path labelsFile, String name)
      throws IOException {
    Pictures.Stack stack = new Pictures.Stack();
    int[] labels = new int[1024];
    Path dir = imagesDir.toAbsolutePath().normalize();
    try (BufferedReader in = Files.newBufferedReader(labelsFile, StandardCharsets.UTF_8)) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        String[] tokens = line.strip().split("\\s+");
        if (tokens.length == 1 && tokens[0].isEmpty()) {
          continue;
        }
        String where = "line " + lineNo;
        if (tokens.length != 2 || !tokens[1].matches("[0-9]")) {
          throw new DatasetFormatException(labelsFile, where + " is not 'NAME LABEL' with a"
              + " digit label: '" + line + "'");
        }
        Path file = dir.resolve(tokens[0]).normalize();
        if (!file.startsWith(dir)) {
          throw new DatasetFormatException(labelsFile, where + " names a file outside "
              + imagesDir + ": " + tokens[0]);
        }
        if (!Files.isRegularFile(file)) {
          throw new DatasetFormatException(labelsFile, where + " names a missing picture "
              + file);
        }
        stack.add(file, Pictures.read(file));
        if (stack.count() > labels.length) {
          labels = Arrays.copyOf(labels, labels.length * 2);
        }
        labels[stack.count() - 1] = tokens[1].charAt(0) - '0';
      }
    }
    if (stack.count() == 0) {
      throw new DatasetFormatException(labelsFile, "no pictures listed");
    }
    return stack.build(name, Arrays.copyOf(labels, stack.count()), ImageDataset.DIGITS);
  }

  private static boolean isPicture(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 && PICTURE_EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Entries of a folder, sorted by name, without hidden ones. */
  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a folder");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> out = new ArrayList<>(s
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted()
          .toList());
      return out;
    }
  }
}
