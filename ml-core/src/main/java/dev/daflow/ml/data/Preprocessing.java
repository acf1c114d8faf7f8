package dev.daflow.ml.data;

import dev.daflow.ml.nn.InputShape;
import java.util.Arrays;

/**
 * Everything that turns a uint8 picture into the network's float input: framing to the input
 * shape ({@link Framing}: resize, or MNIST's digit box), grey/RGB conversion, scaling, then
 * per-channel standardisation {@code (v - mean) / std} with statistics fitted on the source
 * training set only.
 *
 * <p>The same object is stored in the model bundle, so serving reproduces training exactly.
 *
 * @param input the network's input shape
 * @param framing how pictures are brought to the input's height and width
 * @param scaling byte-to-float scaling
 * @param mean per-channel means after scaling (length = channels), or zeros
 * @param std per-channel standard deviations after scaling, or ones
 */
public record Preprocessing(InputShape input, Framing framing, Scaling scaling, float[] mean,
    float[] std) {

  public Preprocessing {
    if (mean.length != input.channels() || std.length != input.channels()) {
      throw new IllegalArgumentException(
          "mean/std need " + input.channels() + " values, got " + mean.length + "/" + std.length);
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException("std must be positive, got " + Arrays.toString(std));
      }
    }
  }

  /** Scaling only, no standardisation. */
  public static Preprocessing scalingOnly(InputShape input, Framing framing, Scaling scaling) {
    float[] zeros = new float[input.channels()];
    float[] ones = new float[input.channels()];
    Arrays.fill(ones, 1f);
    return new Preprocessing(input, framing, scaling, zeros, ones);
  }

  /**
   * Fits per-channel mean and std on the (source-domain, training) pictures, after shaping and
   * scaling.
   */
  public static Preprocessing fit(ImageDataset sourceTrain, InputShape input, Framing framing,
      Scaling scaling) {
    return fitShaped(shape(sourceTrain, input, framing), input, framing, scaling);
  }

  /**
   * As {@link #fit}, on pictures already {@link #shape shaped} to {@code input} with {@code
   * framing} (the trainer shapes the source split once, for this and for training).
   */
  public static Preprocessing fitShaped(ImageDataset shaped, InputShape input, Framing framing,
      Scaling scaling) {
    int c = input.channels();
    double[] sum = new double[c];
    double[] sq = new double[c];
    byte[] p = shaped.pixels();
    for (int i = 0; i < p.length; i++) {
      double v = scaling.apply(p[i] & 0xff);
      sum[i % c] += v;
      sq[i % c] += v * v;
    }
    long n = (long) p.length / c;
    float[] mean = new float[c];
    float[] std = new float[c];
    for (int ch = 0; ch < c; ch++) {
      double m = sum[ch] / n;
      mean[ch] = (float) m;
      std[ch] = (float) Math.sqrt(Math.max(sq[ch] / n - m * m, 1e-12));
    }
    return new Preprocessing(input, framing, scaling, mean, std);
  }

  /**
   * Converts channels and frames pictures to the input shape (bytes stay bytes). For a grey input
   * pictures become grey before framing; for an RGB input they become RGB after it.
   */
  public static ImageDataset shape(ImageDataset ds, InputShape input, Framing framing) {
    ImageDataset converted = input.channels() == 1 ? Transforms.toGrey(ds) : ds;
    ImageDataset framed = framing.apply(converted, input.height(), input.width());
    return Transforms.toChannels(framed, input.channels());
  }

  /** This object's {@link #shape(ImageDataset, InputShape, Framing)}. */
  public ImageDataset shape(ImageDataset ds) {
    return shape(ds, input, framing);
  }

  /**
   * Writes pictures {@code indices} of {@code ds} (already in the input shape) as NCHW floats into
   * {@code out} starting at picture slot {@code slot}.
   */
  public void fill(ImageDataset ds, int[] indices, int from, int count, float[] out, int slot) {
    checkShaped(ds);
    int c = input.channels();
    int hw = input.height() * input.width();
    byte[] p = ds.pixels();
    float[] lut = lookupTable();
    for (int k = 0; k < count; k++) {
      int src = indices[from + k] * hw * c;
      int dst = (slot + k) * hw * c;
      for (int ch = 0; ch < c; ch++) {
        int lutBase = ch * 256;
        int o = dst + ch * hw;
        for (int i = 0; i < hw; i++) {
          out[o + i] = lut[lutBase + (p[src + i * c + ch] & 0xff)];
        }
      }
    }
  }

  /** All pictures of {@code ds} (any size and channel count) as NCHW floats. */
  public float[] toTensor(ImageDataset ds) {
    ImageDataset shaped = shape(ds);
    int[] all = new int[shaped.count()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    float[] out = new float[shaped.count() * input.size()];
    fill(shaped, all, 0, all.length, out, 0);
    return out;
  }

  private void checkShaped(ImageDataset ds) {
    if (ds.height() != input.height() || ds.width() != input.width()
        || ds.channels() != input.channels()) {
      throw new IllegalArgumentException(ds.name() + " is " + ds.height() + "x" + ds.width() + "x"
          + ds.channels() + ", expected the input shape " + input + " (call shape() first)");
    }
  }

  /** Value of every byte per channel after scaling and standardisation. */
  private float[] lookupTable() {
    int c = input.channels();
    float[] lut = new float[256 * c];
    for (int ch = 0; ch < c; ch++) {
      for (int v = 0; v < 256; v++) {
        lut[ch * 256 + v] = (scaling.apply(v) - mean[ch]) / std[ch];
      }
    }
    return lut;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Preprocessing p && input.equals(p.input) && framing == p.framing
        && scaling == p.scaling
        && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * input.hashCode() + framing.hashCode()) + scaling.hashCode())
        + Arrays.hashCode(mean);
  }

  @Override
  public String toString() {
    return "Preprocessing[" + input + ", " + framing + ", " + scaling + ", mean=" + Arrays.toString(mean) + ", std="
        + Arrays.toString(std) + "]";
  }
}
