package dev.daflow.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each validator against a computation by hand on a few pictures. */
class ValidatorsTest {
  private static final double EPS = 1e-12;
  private static final double LN2 = Math.log(2);

  /** Entropy of the two-point distribution (q, 1 - q). */
  private static double h2(double q) {
    return -(q * Math.log(q) + (1 - q) * Math.log(1 - q));
  }

  @Test
  void entropyAndInformationMaximisation() {
    double[][] p = {{1.0, 0.0}, {0.5, 0.5}, {0.25, 0.75}};
    // H = 0, ln 2, h2(1/4); mean prediction (7/12, 5/12).
    double meanH = (0 + LN2 + h2(0.25)) / 3;
    assertThat(Validators.meanEntropy(p)).isCloseTo(meanH, within(EPS));
    assertThat(Validators.meanPrediction(p)).containsExactly(new double[] {7 / 12.0, 5 / 12.0},
        within(EPS));
    assertThat(Validators.informationMaximization(p))
        .isCloseTo(h2(7 / 12.0) - meanH, within(EPS));
    // Confident and balanced: IM reaches log k; all one class: 0.
    assertThat(Validators.informationMaximization(new double[][] {{1, 0}, {0, 1}}))
        .isCloseTo(LN2, within(EPS));
    assertThat(Validators.informationMaximization(new double[][] {{1, 0}, {1, 0}}))
        .isCloseTo(0, within(EPS));
  }

  @Test
  void batchNuclearNormIsTheSumOfSingularValuesOverTheBatch() {
    // P^T P = [[2, 0], [0, 1]]: singular values sqrt 2 and 1.
    double[][] p = {{1, 0}, {0, 1}, {1, 0}};
    assertThat(Validators.batchNuclearNorm(p)).isCloseTo((Math.sqrt(2) + 1) / 3, within(EPS));
    // Rank one (every row the same): the one singular value is sqrt(n) |row|.
    double[][] same = {{0.6, 0.4}, {0.6, 0.4}, {0.6, 0.4}, {0.6, 0.4}};
    assertThat(Validators.batchNuclearNorm(same))
        .isCloseTo(Math.sqrt(4) * Math.hypot(0.6, 0.4) / 4, within(EPS));
  }

  @Test
  void softNeighbourhoodDensityIsTheMeanEntropyOfTheNeighbourDistributions() {
    // Unit rows; cosines: (1,2) 0, (1,3) 0.6, (2,3) 0.8. Two neighbours each, so each
    // neighbourhood distribution is (sigma(d), 1 - sigma(d)) with d the logit difference.
    double[][] p = {{1, 0}, {0, 1}, {0.6, 0.8}};
    for (double t : new double[] {Validators.SND_TEMPERATURE, 1.0}) {
      double expected = (h2(sigmoid(0.6 / t)) + h2(sigmoid(0.8 / t))
          + h2(sigmoid((0.8 - 0.6) / t))) / 3;
      assertThat(Validators.softNeighbourhoodDensity(p, t)).as("T = %s", t)
          .isCloseTo(expected, within(1e-9));
    }
    // Rows are L2-normalised first: scaling one changes nothing.
    double[][] scaled = {{2, 0}, {0, 1}, {0.3, 0.4}};
    assertThat(Validators.softNeighbourhoodDensity(scaled))
        .isCloseTo(Validators.softNeighbourhoodDensity(p), within(1e-12));
    // Identical predictions: every neighbour equally close, the entropy is log(n - 1).
    double[][] same = {{0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}, {0.9, 0.1}};
    assertThat(Validators.softNeighbourhoodDensity(same)).isCloseTo(Math.log(3), within(1e-12));
    assertThatThrownBy(() -> Validators.softNeighbourhoodDensity(new double[][] {{1, 0}}))
        .hasMessageContaining("at least 2 pictures");
  }

  private static double sigmoid(double d) {
    return 1 / (1 + Math.exp(-d));
  }

  @Test
  void adjustedMutualInformationByHand() {
    // U = V: MI = ln 2. E[MI] by hand (N = 4, all margins 2): each of the 4 cells holds 2 with
    // probability 2!2!2!2! / (4! 2! 0! 0! 2!) = 1/6, contributing (2/4) ln(4*2/(2*2)) = ln 2 / 2;
    // holding 1 contributes ln 1 = 0. E[MI] = 4 * (1/6) * (ln 2 / 2) = ln 2 / 3.
    long[] margins = {2, 2};
    assertThat(AdjustedMutualInformation.expectedMutualInformation(margins, margins, 4))
        .isCloseTo(LN2 / 3, within(EPS));
    assertThat(AdjustedMutualInformation.of(new int[] {0, 0, 1, 1}, new int[] {0, 0, 1, 1}))
        .isCloseTo(1.0, within(EPS));
    // Renamed labels are the same labeling.
    assertThat(AdjustedMutualInformation.of(new int[] {0, 0, 1, 1}, new int[] {7, 7, 3, 3}))
        .isCloseTo(1.0, within(EPS));
    // Independent: MI = 0, AMI = (0 - ln2/3) / (ln 2 - ln2/3) = -1/2.
    assertThat(AdjustedMutualInformation.of(new int[] {0, 0, 1, 1}, new int[] {0, 1, 0, 1}))
        .isCloseTo(-0.5, within(EPS));
    // One cluster each: identical by definition.
    assertThat(AdjustedMutualInformation.of(new int[] {3, 3, 3}, new int[] {1, 1, 1}))
        .isEqualTo(1.0);
  }

  @Test
  void adjustedMutualInformationOfAnUnevenTable() {
    // U = [0 0 0 1 1 1], V = [0 0 1 1 2 2]. MI = (2/6 ln(6*2/(3*2)))*2 + 2*(1/6 ln(6/(3*2)))
    // = (2/3) ln 2. H(U) = ln 2, H(V) = ln 3. E[MI] (Vinh et al. Theorem 2) by the cells:
    // a = 3, b = 2, N = 6: n = 1 with P = C(3,1)C(3,1)/C(6,2) = 9/15 (term ln 1 = 0), n = 2 with
    // P = C(3,2)C(3,0)/C(6,2) = 3/15, term (2/6) ln(6*2/6) = ln 2 / 3. Six cells:
    // E[MI] = 6 * (3/15) * (ln 2 / 3) = (2/5) ln 2.
    double mi = 2.0 / 3 * LN2;
    double emi = 2.0 / 5 * LN2;
    double expected = (mi - emi) / ((LN2 + Math.log(3)) / 2 - emi);
    assertThat(AdjustedMutualInformation.of(new int[] {0, 0, 0, 1, 1, 1},
        new int[] {0, 0, 1, 1, 2, 2})).isCloseTo(expected, within(1e-12));
  }

  @Test
  void classAmiIsOneWhenPredictionsFollowTheFeatureClusters() {
    // Three well-separated blobs; predictions that name the blobs (in another order) agree.
    Random random = new Random(3);
    int n = 90;
    double[][] features = new double[n][];
    int[] blob = new int[n];
    for (int i = 0; i < n; i++) {
      blob[i] = i % 3;
      features[i] = new double[] {10 * blob[i] + random.nextGaussian() * 0.1,
          -5 * blob[i] + random.nextGaussian() * 0.1};
    }
    int[] renamed = new int[n];
    int[] oneWrongBlob = new int[n];
    for (int i = 0; i < n; i++) {
      renamed[i] = (blob[i] + 1) % 3;
      oneWrongBlob[i] = blob[i] == 2 ? i % 2 : blob[i]; // blob 2 split over classes 0 and 1
    }
    assertThat(Validators.classAmi(features, renamed, 3, 1)).isCloseTo(1.0, within(1e-9));
    double worse = Validators.classAmi(features, oneWrongBlob, 3, 1);
    assertThat(worse).isLessThan(0.9).isEqualTo(Validators.classAmi(features, oneWrongBlob, 3,
        1)); // deterministic for a seed
    assertThat(worse).isCloseTo(AdjustedMutualInformation.of(oneWrongBlob, blob), within(1e-12));
  }

  @Test
  void collapseIsOneClassForMoreThanTheMidpointShare() {
    assertThat(Collapse.threshold(10)).isCloseTo(0.55, within(EPS));
    assertThat(Collapse.threshold(2)).isCloseTo(0.75, within(EPS));
    // 6 of 10 pictures predicted class 1: 0.6 > 0.55 with 10 classes.
    double[][] p = new double[10][10];
    for (int i = 0; i < 10; i++) {
      p[i][i < 6 ? 1 : i] = 1.0;
    }
    Collapse c = Collapse.of(p);
    assertThat(c.largestClass()).isEqualTo(1);
    assertThat(c.largestClassShare()).isCloseTo(0.6, within(EPS));
    assertThat(c.collapsed()).isTrue();
    // Mean prediction (0.6 on class 1, 0.1 on four others): its entropy by hand.
    assertThat(c.meanPredictionEntropy())
        .isCloseTo(-(0.6 * Math.log(0.6) + 4 * 0.1 * Math.log(0.1)), within(EPS));
    // 5 of 10: not collapsed.
    p[5] = new double[10];
    p[5][5] = 1.0;
    assertThat(Collapse.of(p).collapsed()).isFalse();
    assertThat(Collapse.of(p).largestClassShare()).isCloseTo(0.5, within(EPS));
  }

  @Test
  void validatorNamesAndDirections() {
    assertThat(Validator.named("class-ami")).contains(Validator.CLASS_AMI);
    assertThat(Validator.named(" IM ")).contains(Validator.IM);
    assertThat(Validator.named("accuracy")).isEmpty();
    assertThat(Validator.ENTROPY.better(0.1, 0.2)).isTrue();
    assertThat(Validator.IM.better(0.1, 0.2)).isFalse();
    assertThat(Validator.IM.better(0.2, 0.2)).as("ties are not better").isFalse();
    assertThat(Validator.IM.better(Double.NaN, 0.2)).isFalse();
    assertThat(Validator.IM.better(0.0, Double.NaN)).isTrue();
    assertThat(Validator.SOURCE_VAL_ACCURACY.policyName()).isEqualTo("source-val-accuracy");
  }
}
