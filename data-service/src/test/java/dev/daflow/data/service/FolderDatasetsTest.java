package dev.daflow.data.service;

import static dev.daflow.data.TestArchives.entries;
import static dev.daflow.data.TestArchives.gzip;
import static dev.daflow.data.TestArchives.idxImages;
import static dev.daflow.data.TestArchives.idxLabels;
import static dev.daflow.data.TestArchives.imageFolder;
import static dev.daflow.data.TestArchives.png;
import static dev.daflow.data.TestArchives.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.ml.data.DatasetSource.Split;
import dev.daflow.ml.data.ImageDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetsTest {
  @TempDir Path dir;

  private Path unpack(Map<String, byte[]> entries) throws IOException {
    for (var e : entries.entrySet()) {
      Path p = dir.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.write(p, e.getValue());
    }
    return dir;
  }

  @Test
  void readsImageFoldersInsideOneTopFolder() throws Exception {
    Path root = unpack(imageFolder("digits/", 3, "cat", "dog"));
    Map<Split, ImageDataset> splits = FolderDatasets.read(DatasetFormat.IMAGE_FOLDER, root, "pets");
    ImageDataset train = splits.get(Split.TRAIN);
    assertThat(train.name()).isEqualTo("pets/train");
    assertThat(train.count()).isEqualTo(6);
    assertThat(train.classNames()).containsExactly("cat", "dog");
    assertThat(train.labels()).containsExactly(0, 0, 0, 1, 1, 1);
    assertThat(train.height()).isEqualTo(8);
    assertThat(train.channels()).isEqualTo(1);
    assertThat(train.pixel(1, 0, 1, 0)).isEqualTo(2); // seed 1, row 0, column 1
    assertThat(splits.get(Split.TEST).count()).isEqualTo(6);
  }

  @Test
  void refusesSplitsWithDifferentClasses() throws IOException {
    Map<String, byte[]> e = imageFolder("", 1, "a", "b");
    e.put("train/c/pic.png", png(8, false, 0));
    Path root = unpack(e);
    assertThatThrownBy(() -> FolderDatasets.read(DatasetFormat.IMAGE_FOLDER, root, "x"))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("the train split has classes [a, b, c] but the test split has [a, b]: "
            + "both need the same classes");
  }

  @Test
  void namesTheBadPictureByItsPathInTheArchive() throws IOException {
    Map<String, byte[]> e = imageFolder("", 1, "a");
    e.put("test/a/broken.png", text("not a png"));
    Path root = unpack(e);
    assertThatThrownBy(() -> FolderDatasets.read(DatasetFormat.IMAGE_FOLDER, root, "x"))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("test/a/broken.png: ")
        .hasMessageNotContaining(dir.toString());
  }

  @Test
  void readsMnistMInItsPublishedLayout() throws Exception {
    Map<String, byte[]> e = entries();
    StringBuilder trainLabels = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      String name = String.format("%08d.png", i);
      e.put("mnist_m/mnist_m_train/" + name, png(28, true, i));
      trainLabels.append(name).append(' ').append(i % 10).append('\n');
    }
    e.put("mnist_m/mnist_m_train_labels.txt", text(trainLabels.toString()));
    e.put("mnist_m/mnist_m_test/00000000.png", png(28, true, 9));
    e.put("mnist_m/mnist_m_test_labels.txt", text("00000000.png 7\n"));
    Map<Split, ImageDataset> splits = FolderDatasets.read(DatasetFormat.MNIST_M, unpack(e),
        "mnist-m");
    assertThat(splits.get(Split.TRAIN).count()).isEqualTo(4);
    assertThat(splits.get(Split.TRAIN).channels()).isEqualTo(3);
    assertThat(splits.get(Split.TRAIN).labels()).containsExactly(0, 1, 2, 3);
    assertThat(splits.get(Split.TEST).labels()).containsExactly(7);
    assertThat(splits.get(Split.TEST).classNames()).hasSize(10);
  }

  @Test
  void readsMnistIdxFilesRawOrGzippedAndNamesATruncatedOne() throws Exception {
    Map<String, byte[]> e = entries();
    e.put("train-images-idx3-ubyte.gz", gzip(idxImages(20, 0)));
    e.put("train-labels-idx1-ubyte", idxLabels(20));
    e.put("t10k-images-idx3-ubyte", idxImages(5, 3));
    e.put("t10k-labels-idx1-ubyte", idxLabels(5));
    Path root = unpack(e);
    Map<Split, ImageDataset> splits = FolderDatasets.read(DatasetFormat.MNIST_IDX, root, "m");
    assertThat(splits.get(Split.TRAIN).count()).isEqualTo(20);
    assertThat(splits.get(Split.TEST).count()).isEqualTo(5);

    byte[] images = idxImages(5, 3);
    Files.write(root.resolve("t10k-images-idx3-ubyte"), Arrays.copyOf(images, 1000));
    assertThatThrownBy(() -> FolderDatasets.read(DatasetFormat.MNIST_IDX, root, "m"))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("t10k-images-idx3-ubyte: truncated: expected 3920 data bytes after the "
            + "header");
  }

  @Test
  void namesTheMissingFile() throws IOException {
    Map<String, byte[]> e = entries();
    e.put("train_32x32.mat", new byte[10]);
    Path root = unpack(e);
    assertThatThrownBy(() -> FolderDatasets.read(DatasetFormat.SVHN_MAT, root, "s"))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessageStartingWith("train_32x32.mat: ");
    Files.delete(root.resolve("train_32x32.mat"));
    assertThatThrownBy(() -> FolderDatasets.read(DatasetFormat.SVHN_MAT, root, "s"))
        .hasMessage("the archive has no train_32x32.mat (it is empty)");
    assertThatThrownBy(() -> FolderDatasets.read(DatasetFormat.USPS, root, "s"))
        .hasMessage("the archive has no zip\\.train(\\.gz)? (it is empty)");
  }

  @Test
  void formatsAreParsedWithTheKnownOnesListed() throws Exception {
    assertThat(DatasetFormat.of("mnist-m-archive")).isEqualTo(DatasetFormat.MNIST_M);
    assertThatThrownBy(() -> DatasetFormat.of("cifar-pickle"))
        .isInstanceOf(DatasetRejectedException.class)
        .hasMessage("unsupported format 'cifar-pickle'; supported: " + String.join(", ",
            List.of("image-folder-zip", "mnist-m-archive", "mnist-idx-archive", "usps-archive",
                "svhn-mat-archive")));
    assertThatThrownBy(() -> DatasetFormat.of(null)).hasMessageStartingWith("no format given");
  }
}
