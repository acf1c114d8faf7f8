package dev.daflow.contract;

import java.util.List;

/**
 * The networks a request may name, with the facts the platform needs without building one: the
 * wire name, the tuning it trains with by default, and which one a pair of domains gets by
 * default ({@link #defaultFor}). ml-core maps each to its ND4J architecture.
 */
public enum Network implements Named {
  /** LeNet for grey digits (MNIST, USPS). */
  LENET("lenet", 0),
  /**
   * The DANN paper's SVHN network, for colour 32x32 pictures: its SVHN->MNIST recipe (name it
   * with {@code --network}; colour pairs get {@link #DANN_MNISTM} by default).
   */
  DANN_SVHN("dann-svhn", 0),
  /** ADDA's network for 64x64 pictures. */
  ADDA_MNIST64("adda-mnist64", 0),
  /**
   * The 64x64 network with instance normalisation; trains with gradients clipped at norm 5 by
   * default, the recipe with which every method trains the MNIST-64 demo pair (without clipping,
   * DANN on the plain network diverged).
   */
  ADDA_MNIST64_IN("adda-mnist64-in", 5),
  /** The DANN paper's small network for colour digits (MNIST->MNIST-M), 3x28x28. */
  DANN_MNISTM("dann-mnistm", 0),
  /**
   * SHOT's digit LeNet with a 256-d batch-normalised bottleneck, its statistics kept per domain
   * and the target's served (DSBN, AdaBN), 1x28x28.
   */
  LENET_BN("lenet-bn", 0);

  private final String id;
  private final double recommendedClipNorm;

  Network(String id, double recommendedClipNorm) {
    this.id = id;
    this.recommendedClipNorm = recommendedClipNorm;
  }

  @Override
  public String id() {
    return id;
  }

  /**
   * The global gradient-norm clip this network trains with when the user sets none (an explicit
   * clip norm, 0 included, replaces it). 0, the papers' recipe, means no clipping.
   */
  public double recommendedClipNorm() {
    return recommendedClipNorm;
  }

  /** The tuning this network trains with when none is asked for. */
  public Tuning defaultTuning() {
    return Tuning.DEFAULT.withClipNorm(recommendedClipNorm);
  }

  /** The wire names. */
  public static List<String> ids() {
    return Named.ids(Network.class);
  }

  /**
   * The network named exactly {@code id}.
   *
   * @throws IllegalArgumentException {@code network must be one of ...; got '<id>'}
   */
  public static Network byId(String id) {
    return Named.exact(Network.class, id).orElseThrow(() -> new IllegalArgumentException(
        Named.check(Network.class, "network", id).orElseThrow().toString()));
  }

  /**
   * The shape of a domain's pictures.
   *
   * @param channels 1 (grey) or 3 (colour)
   * @param height rows
   * @param width columns
   */
  public record Shape(int channels, int height, int width) {
    /**
     * @throws IllegalArgumentException for channels other than 1 and 3, or a side below 1
     */
    public Shape {
      if (channels != 1 && channels != 3) {
        throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
      }
      if (height < 1 || width < 1) {
        throw new IllegalArgumentException("height and width must be positive, got " + height
            + "x" + width);
      }
    }
  }

  /**
   * The network that trains a pair of domains by default, from their picture shapes: {@code
   * adda-mnist64-in} when either domain's pictures are larger than 32 pixels on a side, {@code
   * dann-mnistm} (the DANN paper's small colour network) when either is in colour, {@code lenet}
   * otherwise. The small colour network, not {@code dann-svhn}, because a digit-sized colour
   * picture needs no network seventeen times its cost: {@code dann-svhn} stays the choice to name for
   * the paper's SVHN->MNIST recipe. For the built-in datasets: mnist64 and mnist64-bg (3x64x64)
   * get adda-mnist64-in, svhn (3x32x32) dann-mnistm, mnist and usps (grey, 28x28 and 16x16)
   * lenet.
   */
  public static Network defaultFor(Shape source, Shape target) {
    if (Math.max(source.height(), source.width()) > 32
        || Math.max(target.height(), target.width()) > 32) {
      return ADDA_MNIST64_IN;
    }
    if (source.channels() == 3 || target.channels() == 3) {
      return DANN_MNISTM;
    }
    return LENET;
  }
}
