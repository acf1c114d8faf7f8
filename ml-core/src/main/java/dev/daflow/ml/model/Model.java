package dev.daflow.ml.model;

import dev.daflow.ml.data.ImageDataset;
import dev.daflow.ml.data.PictureFormatException;
import dev.daflow.ml.data.Pictures;
import dev.daflow.ml.data.Preprocessing;
import dev.daflow.ml.nn.BatchNorm;
import dev.daflow.ml.nn.Graphs;
import dev.daflow.ml.nn.InputShape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained classifier ready to predict: the inference graph, the preprocessing it expects, class
 * names and its model card. Thread-safe for prediction (calls are serialised on the graph).
 */
public final class Model {
  /** Pictures per forward pass when predicting a whole dataset. */
  static final int BATCH = 256;

  private final SameDiff graph;
  private final String network;
  private final Preprocessing preprocessing;
  private final List<String> classNames;
  private final ModelCard card;
  /** {@link #sourceView}, built on first use (guarded by this). */
  private Model sourceView;

  public Model(SameDiff graph, String network, Preprocessing preprocessing,
      List<String> classNames, ModelCard card) {
    this.graph = graph;
    this.network = network;
    this.preprocessing = preprocessing;
    this.classNames = List.copyOf(classNames);
    this.card = card;
  }

  public String network() {
    return network;
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  public List<String> classNames() {
    return classNames;
  }

  public ModelCard card() {
    return card;
  }

  SameDiff graph() {
    return graph;
  }

  /** The same model with another card (e.g. after evaluation added metrics). */
  public Model withCard(ModelCard newCard) {
    return new Model(graph, network, preprocessing, classNames, newCard);
  }

  /**
   * The model as its network sees the source domain: with domain-specific batch normalisation
   * (Chang et al. 2019), the source's running statistics in place of the target's (which the
   * served model uses, AdaBN); this model itself when its network has no batch normalisation.
   * What every source-side measurement reads (source-measured validators, the source test
   * accuracy of the model card and of the evaluation): source pictures normalised as the
   * target's would measure the statistics' mismatch, not the classifier (a copy; this model is
   * unchanged; the copy is made once and kept).
   */
  public Model sourceView() {
    if (!BatchNorm.present(graph)) {
      return this;
    }
    synchronized (this) {
      // Built once per model: an evaluation reads it for the source test split and again for
      // the held-out source pictures of the validators.
      if (sourceView == null) {
        SameDiff copy = graph.dup();
        BatchNorm.sourceAsTarget(copy);
        sourceView = new Model(copy, network, preprocessing, classNames, card);
        sourceView.sourceView = sourceView; // its target statistics are the source's already
      }
      return sourceView;
    }
  }

  /**
   * Class probabilities for already preprocessed inputs.
   *
   * @param input {@code [N, C, H, W]} floats as produced by {@link Preprocessing}
   * @return {@code [N, classes]}
   */
  public synchronized INDArray probabilities(INDArray input) {
    InputShape s = preprocessing.input();
    long[] shape = input.shape();
    if (shape.length != 4 || shape[1] != s.channels() || shape[2] != s.height()
        || shape[3] != s.width()) {
      throw new IllegalArgumentException("input of shape " + Arrays.toString(shape)
          + " does not match [N, " + s.channels() + ", " + s.height() + ", " + s.width() + "]");
    }
    Map<String, INDArray> out = graph.output(Map.of(Graphs.X, input), Graphs.PROBS);
    return out.get(Graphs.PROBS);
  }

  /**
   * The encoder's output (the features the classifier reads) for already preprocessed inputs, for
   * diagnostics such as {@link dev.daflow.ml.eval.DomainDistance}.
   *
   * @param input {@code [N, C, H, W]} floats as produced by {@link Preprocessing}
   * @return {@code [N, features]}
   * @throws IllegalStateException for a model saved before inference graphs named their features
   */
  public synchronized INDArray features(INDArray input) {
    if (!graph.hasVariable(Graphs.FEATURES)) {
      throw new IllegalStateException("this model's graph has no '" + Graphs.FEATURES
          + "' output (saved by an older version); retrain or re-export it to read features");
    }
    return graph.output(Map.of(Graphs.X, input), Graphs.FEATURES).get(Graphs.FEATURES);
  }

  /** Most probable class of every picture (any size or channel count: preprocessing adapts it). */
  public int[] predict(ImageDataset pictures) {
    ImageDataset shaped = preprocessing.shape(pictures);
    int n = shaped.count();
    int[] predicted = new int[n];
    int size = preprocessing.input().size();
    InputShape s = preprocessing.input();
    int[] idx = new int[Math.min(BATCH, Math.max(n, 1))];
    float[] buf = new float[idx.length * size];
    for (int from = 0; from < n; from += BATCH) {
      int k = Math.min(BATCH, n - from);
      for (int i = 0; i < k; i++) {
        idx[i] = from + i;
      }
      preprocessing.fill(shaped, idx, 0, k, buf, 0);
      INDArray x = Nd4j.create(Arrays.copyOf(buf, k * size),
          new long[] {k, s.channels(), s.height(), s.width()}, 'c');
      INDArray arg = probabilities(x).argMax(1);
      for (int i = 0; i < k; i++) {
        predicted[from + i] = arg.getInt(i);
      }
    }
    return predicted;
  }

  /** Predictions with probabilities for every picture. */
  public Prediction[] classify(ImageDataset pictures) {
    if (pictures.count() == 0) {
      return new Prediction[0];
    }
    return predictions(probabilities(preprocessing.toTensor(pictures), pictures.count()));
  }

  /**
   * Class probabilities of preprocessed pictures as one flat array, for callers that gather the
   * pictures of several requests into one forward pass (inference's dynamic batching). The
   * native arrays of the pass are freed before it returns.
   *
   * @param input {@code count} pictures, NCHW floats as {@link Preprocessing#toTensor} writes
   *     them ({@code count * preprocessing().input().size()} values)
   * @param count the number of pictures
   * @return {@code count * classes} probabilities, one row per picture
   */
  public synchronized float[] probabilities(float[] input, int count) {
    InputShape s = preprocessing.input();
    if (count < 1 || input.length != (long) count * s.size()) {
      throw new IllegalArgumentException(input.length + " values are not " + count
          + " pictures of " + s.channels() + "x" + s.height() + "x" + s.width());
    }
    INDArray x = Nd4j.create(input, new long[] {count, s.channels(), s.height(), s.width()}, 'c');
    INDArray probs = null;
    try {
      probs = probabilities(x);
      // One copy of the whole [count, classes] matrix: a row view per picture costs more than
      // the forward pass of a small batch.
      return probs.reshape(probs.length()).toFloatVector();
    } finally {
      close(x);
      close(probs);
    }
  }

  /**
   * The predictions of rows of class probabilities, as {@link #probabilities(float[], int)}
   * returns them.
   *
   * @param probabilities a multiple of {@code classNames().size()} values
   */
  public Prediction[] predictions(float[] probabilities) {
    int classes = classNames.size();
    if (probabilities.length % classes != 0) {
      throw new IllegalArgumentException(probabilities.length + " probabilities are not rows of "
          + classes + " classes");
    }
    Prediction[] out = new Prediction[probabilities.length / classes];
    for (int i = 0; i < out.length; i++) {
      float[] p = Arrays.copyOfRange(probabilities, i * classes, (i + 1) * classes);
      int best = 0;
      for (int c = 1; c < p.length; c++) {
        if (p[c] > p[best]) {
          best = c;
        }
      }
      out[i] = new Prediction(best, classNames.get(best), p);
    }
    return out;
  }

  private static void close(INDArray a) {
    if (a != null && !a.wasClosed() && a.closeable()) {
      a.close();
    }
  }

  /**
   * Classifies one encoded picture (PNG, JPEG, or any format ImageIO reads), decoded by {@link
   * Pictures#decode(byte[])}.
   *
   * @throws PictureFormatException if the bytes are not a picture
   */
  public Prediction classify(byte[] encoded) throws PictureFormatException {
    return classify(Pictures.decode(encoded).asDataset("picture"))[0];
  }
}
