package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.daflow.ml.data.DatasetCatalog;
import dev.daflow.ml.data.DatasetSource;
import dev.daflow.ml.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A short real run of the local commands: train DANN MNIST -> USPS, then evaluate, predict and
 * info on the bundle. One epoch over 2,000 pictures per domain; batch 64 and lr 0.05 instead of
 * the paper recipe (128, 0.01), which needs more than the 16 steps of such an epoch to leave
 * chance level.
 */
class EndToEndTest {

  @Test
  void trainEvaluatePredictInfo(@TempDir Path tmp) throws Exception {
    String prop = System.getProperty("test.datasets");
    assumeTrue(prop != null && !prop.isBlank(), "daflow.datasets is not set");
    Path root = Path.of(prop).toAbsolutePath().normalize();
    assumeTrue(Files.isDirectory(root.resolve("mnist")) && Files.isDirectory(root.resolve("usps")),
        "no mnist/usps under " + root);
    Path bundle = tmp.resolve("m.bundle");
    String cache = tmp.resolve("cache").toString();

    CliRun train = CliRun.of(new CommandLine(new DaflowCli()), "local", "train", "--method", "dann",
        "--source", "mnist", "--target", "usps", "--epochs", "1", "--train-limit", "2000",
        "--batch-size", "64", "--lr", "0.05",
        "--out", bundle.toString(), "--datasets", root.toString(), "--cache", cache);
    assertThat(train.exitCode()).as(train.err()).isZero();
    assertThat(bundle).isRegularFile();
    assertThat(train.out()).contains("accuracy").contains("epoch 1/1 adapt")
        .contains("model written to " + bundle.toAbsolutePath());
    Matcher m = Pattern.compile("target usps/test accuracy ([0-9.]+)").matcher(train.out());
    assertThat(m.find()).as(train.out()).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isGreaterThan(0.3);

    CliRun eval = CliRun.of(new CommandLine(new DaflowCli()), "local", "evaluate", "--model",
        bundle.toString(), "--dataset", "usps", "--datasets", root.toString(), "--cache", cache);
    assertThat(eval.exitCode()).as(eval.err()).isZero();
    assertThat(eval.out()).contains("usps/test accuracy " + m.group(1)).contains("true\\pred");

    ImageDataset usps = new DatasetCatalog(root, tmp.resolve("cache"))
        .load("usps", DatasetSource.Split.TEST);
    Path png = tmp.resolve("digit.png");
    ImageIO.write(grey(usps, 0), "png", png.toFile());
    CliRun predict = CliRun.of(new CommandLine(new DaflowCli()), "local", "predict", "--model",
        bundle.toString(), png.toString());
    assertThat(predict.exitCode()).as(predict.err()).isZero();
    assertThat(predict.out().strip()).matches(Pattern.quote(png.toString()) + " [0-9] [01]\\.\\d{4}");

    CliRun info = CliRun.of(new CommandLine(new DaflowCli()), "local", "info", "--model",
        bundle.toString());
    assertThat(info.exitCode()).as(info.err()).isZero();
    assertThat(info.out()).contains("\"network\" : \"lenet\"").contains("target_test_accuracy");
  }

  private static BufferedImage grey(ImageDataset ds, int index) {
    BufferedImage img = new BufferedImage(ds.width(), ds.height(), BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < ds.height(); y++) {
      for (int x = 0; x < ds.width(); x++) {
        img.getRaster().setSample(x, y, 0, ds.pixel(index, y, x, 0));
      }
    }
    return img;
  }
}
