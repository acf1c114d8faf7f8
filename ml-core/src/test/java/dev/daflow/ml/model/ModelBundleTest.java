package dev.daflow.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.daflow.contract.Method;
import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.eval.EvaluationReport;
import dev.daflow.ml.fixtures.Digits;
import dev.daflow.ml.job.JobResult;
import dev.daflow.ml.job.JobRunner;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.train.CancellationToken;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.ml.train.TrainingListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
  private static JobResult trained;
  private static final java.util.List<Model> epochModels = new java.util.ArrayList<>();

  @BeforeAll
  static void train() throws IOException {
    TrainingConfig c = TrainingConfig.defaults(Method.SOURCE_ONLY, "lenet").withEpochs(1)
        .withBatchSize(64);
    trained = new JobRunner(Digits.catalog()).run(new JobSpec("mnist", "usps", c, 3000)
            .withRequestedBy("jwt:alice"),
        new TrainingListener() {}, CancellationToken.none(), null,
        (epoch, model) -> epochModels.add(model));
  }

  @Test
  void theLastEpochsModelIsTheFinalModel() {
    assertThat(epochModels).hasSize(1);
    ImageDataset test = Digits.uspsTest(300);
    assertThat(epochModels.get(0).predict(test)).containsExactly(trained.model().predict(test));
    assertThat(epochModels.get(0).preprocessing()).isEqualTo(trained.model().preprocessing());
    assertThat(epochModels.get(0).card().config()).isEqualTo(trained.model().card().config());
    // Every bundle of the job names who asked for it.
    assertThat(epochModels.get(0).card().requestedBy()).isEqualTo("jwt:alice");
  }

  @Test
  void roundTripGivesExactlyTheEvaluatedPredictions(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.bundle");
    ModelBundle.save(trained.model(), file);
    Model loaded = ModelBundle.load(file);

    ImageDataset test = Digits.uspsTest(2007);
    int[] before = trained.model().predict(test);
    int[] after = loaded.predict(test);
    assertThat(after).containsExactly(before);
    EvaluationReport report = EvaluationReport.of("usps", loaded.classNames(), test.labels(), after);
    assertThat(report.accuracy()).isEqualTo(trained.targetTest().accuracy());

    assertThat(loaded.preprocessing()).isEqualTo(trained.model().preprocessing());
    assertThat(loaded.card().config()).isEqualTo(trained.model().card().config());
    assertThat(loaded.card().metrics()).containsKey("target_test_accuracy");
    assertThat(loaded.card().source().sha256()).hasSize(64);
    // The held-out source pictures are named (10% of the 3000 loaded), and survive the trip.
    ModelCard.SourceValidation held = loaded.card().sourceValidation();
    assertThat(held).isEqualTo(trained.model().card().sourceValidation());
    assertThat(held.count()).isEqualTo(300);
    assertThat(held.fraction()).isEqualTo(0.1);
    assertThat(held.seed()).isEqualTo(trained.model().card().config().seed());
    assertThat(loaded.card().source().count()).isEqualTo(3000);
    assertThat(loaded.card().requestedBy()).isEqualTo("jwt:alice");
  }

  @Test
  void pngBytesPredictLikeTheUint8Tensor() throws IOException {
    ImageDataset test = Digits.uspsTest(20);
    int[] fromTensor = trained.model().predict(test);
    for (int i = 0; i < test.count(); i++) {
      BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 16; y++) {
        for (int x = 0; x < 16; x++) {
          img.getRaster().setSample(x, y, 0, test.pixel(i, y, x, 0));
        }
      }
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ImageIO.write(img, "png", png);
      Prediction p = trained.model().classify(png.toByteArray());
      assertThat(p.classIndex()).as("picture %d", i).isEqualTo(fromTensor[i]);
      assertThat(p.label()).isEqualTo(String.valueOf(fromTensor[i]));
    }
  }

  @Test
  void corruptBundlesAreRefused(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("m.bundle");
    ModelBundle.save(trained.model(), file);
    byte[] bytes = Files.readAllBytes(file);

    byte[] flipped = bytes.clone();
    flipped[flipped.length / 2] ^= 0x5a; // inside graph.sd, the largest entry
    assertThatThrownBy(() -> ModelBundle.read(flipped, "flipped.bundle"))
        .isInstanceOf(BundleFormatException.class).hasMessageContaining("flipped.bundle");

    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 3);
    assertThatThrownBy(() -> ModelBundle.read(truncated, "cut.bundle"))
        .isInstanceOf(BundleFormatException.class).hasMessageContaining("cut.bundle");

    assertThatThrownBy(() -> ModelBundle.read("hello".getBytes(), "text.bundle"))
        .isInstanceOf(BundleFormatException.class).hasMessageContaining("not a model bundle");
  }

  @Test
  void notAPictureIsAClearError() {
    assertThatThrownBy(() -> trained.model().classify("GIF89a? no".getBytes()))
        .isInstanceOf(IOException.class).hasMessageContaining("not a picture (10 bytes)");
  }

  @Test
  void wrongTensorShapeIsAClearError() {
    var x = org.nd4j.linalg.factory.Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 28, 28);
    assertThatThrownBy(() -> trained.model().probabilities(x))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3, 28, 28]");
  }
}
