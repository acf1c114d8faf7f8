package dev.daflow.ml.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.data.Scaling;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.nn.Graphs;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The flat-array forward pass that inference batches requests with, against classify. */
class ModelTest {
  static Model model;
  static ImageDataset pictures;

  @BeforeAll
  static void untrainedLeNet() {
    Architecture lenet = Architectures.byName("lenet");
    model = new Model(Graphs.inference(lenet, 5), lenet.name(),
        Preprocessing.scalingOnly(lenet.input(), lenet.framing(), Scaling.UNIT),
        ImageDataset.DIGITS, null);
    byte[] px = new byte[6 * 20 * 20];
    new Random(2).nextBytes(px);
    pictures = new ImageDataset("random", px, new int[6], 6, 20, 20, 1, List.of("?"));
  }

  @Test
  void flatProbabilitiesAreTheGraphsRowsAndClassifyTheirArgmax() {
    float[] input = model.preprocessing().toTensor(pictures);
    float[] flat = model.probabilities(input, 6);
    assertThat(flat).hasSize(60);
    INDArray rows = model.probabilities(Nd4j.create(input, new long[] {6, 1, 28, 28}, 'c'));
    Prediction[] classified = model.classify(pictures);
    for (int i = 0; i < 6; i++) {
      float[] row = Arrays.copyOfRange(flat, i * 10, (i + 1) * 10);
      assertThat(row).containsExactly(rows.getRow(i).toFloatVector());
      assertThat(classified[i].probabilities()).containsExactly(row);
      int best = 0;
      for (int c = 1; c < 10; c++) {
        best = row[c] > row[best] ? c : best;
      }
      assertThat(classified[i].classIndex()).isEqualTo(best);
      assertThat(classified[i].label()).isEqualTo(ImageDataset.DIGITS.get(best));
      float sum = 0;
      for (float p : row) {
        sum += p;
      }
      assertThat(sum).isCloseTo(1f, offset(1e-5f));
    }
  }

  @Test
  void predictionsOfRowsAndRefusals() {
    float[] rows = new float[20];
    rows[3] = 0.9f;
    rows[10 + 7] = 0.6f;
    Prediction[] p = model.predictions(rows);
    assertThat(p).extracting(Prediction::label).containsExactly("3", "7");
    assertThatThrownBy(() -> model.predictions(new float[15]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rows of 10");
    assertThatThrownBy(() -> model.probabilities(new float[784 * 2 - 1], 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("are not 2 pictures of 1x28x28");
    assertThat(model.classify(pictures.slice(0, 0))).isEmpty();
  }
}
