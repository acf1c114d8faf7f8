package dev.daflow.ml.eval;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.model.Model;
import dev.daflow.ml.nn.InputShape;
import dev.daflow.ml.train.TargetPictures;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures a model by every {@link Validator} on unlabelled target pictures (and, on the source
 * pictures its job held out, accuracy and deep embedded validation), for {@code
 * model.evaluated.validators}. The target
 * pictures come as {@link TargetPictures}, without labels: nothing here can read one.
 */
public final class LabelFreeValidation {
  private static final int BATCH = 256;
  /**
   * Held-out source pictures DEV uses at most, evenly spread (its domain classifier is fitted by
   * full-batch gradient descent on half of them and the target pictures).
   */
  static final int DEV_PICTURES = 2000;
  /**
   * The seed evaluator-service measures every model with (it seeds ClassAMI's k-means), so that
   * values compare across models; the benchmark's validator table uses it too.
   */
  public static final long SEED = 1;
  /**
   * Target training pictures evaluator-service validates on by default (its {@code
   * daflow.evaluator.validator-pictures}): the first ones of the split.
   */
  public static final int DEFAULT_TARGET_PICTURES = 2000;

  private LabelFreeValidation() {}

  /**
   * A model's outputs on pictures.
   *
   * @param probabilities {@code [n][classes]} softmax outputs
   * @param features {@code [n][d]} the features the classifier reads; null for a model saved
   *     before its graph named them
   */
  public record Outputs(double[][] probabilities, double[][] features) {}

  /** The model's softmax outputs (and features, when {@code withFeatures}) on {@code pictures}. */
  public static Outputs outputs(Model model, ImageDataset pictures, boolean withFeatures) {
    Preprocessing pre = model.preprocessing();
    ImageDataset shaped = pre.shape(pictures);
    InputShape s = pre.input();
    int n = shaped.count();
    double[][] probs = new double[n][];
    double[][] features = withFeatures ? new double[n][] : null;
    int[] idx = new int[BATCH];
    float[] buf = new float[BATCH * s.size()];
    for (int from = 0; from < n; from += BATCH) {
      int k = Math.min(BATCH, n - from);
      for (int i = 0; i < k; i++) {
        idx[i] = from + i;
      }
      pre.fill(shaped, idx, 0, k, buf, 0);
      INDArray x = Nd4j.create(Arrays.copyOf(buf, k * s.size()),
          new long[] {k, s.channels(), s.height(), s.width()}, 'c');
      double[][] p = model.probabilities(x).castTo(DataType.DOUBLE).toDoubleMatrix();
      System.arraycopy(p, 0, probs, from, k);
      if (features != null) {
        try {
          INDArray f = model.features(x).castTo(DataType.DOUBLE);
          System.arraycopy(f.reshape(k, f.length() / k).toDoubleMatrix(), 0, features, from, k);
        } catch (IllegalStateException older) {
          features = null; // no features output: the validators that need them are left out
        }
      }
    }
    return new Outputs(probs, features);
  }

  /**
   * Every validator of {@code model}: the target-only ones on {@code target}, the collapse
   * measures ({@link Collapse}), and {@code source_val_accuracy}, {@code dev} and the count of
   * held-out pictures ({@link HeldOutComparison#PICTURES}, last) when held-out
   * source pictures are given, read from the model's {@link Model#sourceView} (with
   * domain-specific batch normalisation, the source's statistics). A validator that cannot be
   * computed (ClassAMI without features, SND on one picture) is left out.
   *
   * @param target unlabelled target pictures (at least one)
   * @param sourceHeldOut the source pictures the job never trained on, labelled; or null
   * @param seed seeds ClassAMI's k-means
   * @return values by {@link Validator#key()} and the {@code Validator} collapse keys, in a
   *     fixed order
   */
  public static Map<String, Double> measure(Model model, TargetPictures target,
      ImageDataset sourceHeldOut, long seed) {
    if (target.count() == 0) {
      throw new IllegalArgumentException("no target pictures to validate on");
    }
    Outputs out = outputs(model, target.pictures(), true);
    double[][] p = out.probabilities();
    Map<String, Double> v = new LinkedHashMap<>();
    Outputs source = null;
    if (sourceHeldOut != null && sourceHeldOut.count() > 0) {
      // Source pictures through the network's source branch (its source batch statistics).
      source = outputs(model.sourceView(), sourceHeldOut, out.features() != null);
      v.put(Validator.SOURCE_VAL_ACCURACY.key(), Validators.accuracy(
          Validators.argMax(source.probabilities()), sourceHeldOut.labels()));
    }
    v.put(Validator.ENTROPY.key(), Validators.meanEntropy(p));
    v.put(Validator.IM.key(), Validators.informationMaximization(p));
    v.put(Validator.BNM.key(), Validators.batchNuclearNorm(p));
    if (p.length >= 2) {
      v.put(Validator.SND.key(), Validators.softNeighbourhoodDensity(p));
    }
    if (out.features() != null) {
      v.put(Validator.CLASS_AMI.key(), Validators.classAmi(out.features(),
          Validators.argMax(p), model.classNames().size(), seed));
    }
    if (source != null && source.features() != null && source.features().length >= 4
        && p.length >= 2) {
      double[] losses = crossEntropy(source.probabilities(), sourceHeldOut.labels());
      int m = Math.min(DEV_PICTURES, losses.length);
      double[][] f = new double[m][];
      double[] l = new double[m];
      for (int i = 0; i < m; i++) {
        int j = (int) ((long) i * losses.length / m);
        f[i] = source.features()[j];
        l[i] = losses[j];
      }
      v.put(Validator.DEV.key(), DeepEmbeddedValidation.of(f, l, out.features()));
    }
    Collapse c = Collapse.of(p);
    v.put(Validator.LARGEST_CLASS_SHARE, c.largestClassShare());
    v.put(Validator.MEAN_PREDICTION_ENTROPY, c.meanPredictionEntropy());
    v.put(Validator.COLLAPSED, c.collapsed() ? 1.0 : 0.0);
    if (source != null) {
      // How many pictures source_val_accuracy counts: its sampling error (HeldOutComparison).
      v.put(HeldOutComparison.PICTURES, (double) sourceHeldOut.count());
    }
    v.values().removeIf(x -> !Double.isFinite(x));
    return v;
  }

  /** Each picture's cross-entropy loss, {@code -log p(label)} (at most {@code -log 1e-12}). */
  static double[] crossEntropy(double[][] probabilities, int[] labels) {
    double[] out = new double[labels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = -Math.log(Math.max(probabilities[i][labels[i]], 1e-12));
    }
    return out;
  }
}
