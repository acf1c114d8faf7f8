package dev.daflow.ml.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a job frames its pictures, decided from the pictures themselves and never from labels.
 *
 * <p>{@link Framing#DIGIT_BOX} assumes light ink on a dark, plain background: it takes anything
 * above a quarter of the brightest pixel for ink. On a textured or light background the whole
 * picture is "ink" and the digit shrinks into a box of background. So a network that prefers the
 * digit box gets it only when the grey version of every domain of the pair looks like that: in at
 * least {@link #MIN_PLAIN_SHARE} of a sample of its pictures, the median pixel is below the digit
 * box's own ink threshold (a quarter of the picture's brightest pixel): by the digit box's own
 * measure, more than half of the picture is background, not ink. Otherwise every domain is resized, so the two domains of a pair always share one
 * framing. The decision and its evidence go into the model card.
 *
 * @param framing the framing of every domain of the job
 * @param reason why, in a sentence
 * @param evidence what each domain looked like
 */
public record FramingDecision(Framing framing, String reason, List<DomainEvidence> evidence) {

  /** Share of a domain's sampled pictures that must have a dark, plain background. */
  public static final double MIN_PLAIN_SHARE = 0.90;
  /** Pictures looked at per domain, at most (evenly spread over the dataset). */
  public static final int SAMPLE = 2_000;

  public FramingDecision {
    evidence = List.copyOf(evidence);
  }

  /**
   * What one domain looked like.
   *
   * @param dataset the dataset's name
   * @param channels its channels (3: colour pictures, made grey for the check)
   * @param sampled pictures looked at
   * @param plainDarkShare share of them with a dark, plain background
   */
  public record DomainEvidence(String dataset, int channels, int sampled, double plainDarkShare) {}

  /**
   * Decides the framing of a pair (or of one domain).
   *
   * @param preferred the network's framing ({@code Architecture.framing()})
   * @param inputChannels the network's input channels
   * @param domains the job's training pictures of each domain (the target's labels are not read)
   */
  public static FramingDecision decide(Framing preferred, int inputChannels,
      ImageDataset... domains) {
    List<DomainEvidence> evidence = new ArrayList<>();
    for (ImageDataset d : domains) {
      if (d != null) {
        evidence.add(look(d));
      }
    }
    if (preferred == Framing.RESIZE) {
      return new FramingDecision(Framing.RESIZE, "the network resizes its pictures", evidence);
    }
    if (inputChannels != 1) {
      return new FramingDecision(Framing.RESIZE,
          "the digit box needs grey input and the network reads colour", evidence);
    }
    List<String> failing = evidence.stream()
        .filter(e -> e.plainDarkShare() < MIN_PLAIN_SHARE)
        .map(e -> String.format(Locale.ROOT, "%s (%.0f%% of %d pictures)", e.dataset(),
            100 * e.plainDarkShare(), e.sampled()))
        .toList();
    if (!failing.isEmpty()) {
      return new FramingDecision(Framing.RESIZE, String.format(Locale.ROOT,
          "resized: the digit box needs light ink on a dark, plain background in at least %.0f%% "
              + "of the pictures, and %s did not show it", 100 * MIN_PLAIN_SHARE,
          String.join(", ", failing)), evidence);
    }
    return new FramingDecision(Framing.DIGIT_BOX, String.format(Locale.ROOT,
        "digit box: every domain shows light ink on a dark, plain background in at least %.0f%% "
            + "of its pictures", 100 * MIN_PLAIN_SHARE), evidence);
  }

  /** The share of (up to {@link #SAMPLE}) pictures of {@code ds} with a dark, plain background. */
  static DomainEvidence look(ImageDataset ds) {
    ImageDataset grey = ds.channels() == 1 ? ds : Transforms.toGrey(ds);
    int n = Math.min(SAMPLE, grey.count());
    int size = grey.pictureSize();
    int[] values = new int[size];
    int plain = 0;
    for (int k = 0; k < n; k++) {
      // Evenly spread, the same pictures every time: no seed needed.
      long index = (long) k * grey.count() / n;
      int off = (int) index * size;
      int max = 0;
      for (int i = 0; i < size; i++) {
        values[i] = grey.pixels()[off + i] & 0xff;
        max = Math.max(max, values[i]);
      }
      Arrays.sort(values);
      if (max > 0 && values[(size - 1) / 2] < Math.ceil(Framing.INK * max)) {
        plain++;
      }
    }
    return new DomainEvidence(ds.name(), ds.channels(), n, n == 0 ? 0 : (double) plain / n);
  }
}
