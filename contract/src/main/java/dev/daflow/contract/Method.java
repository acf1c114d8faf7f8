package dev.daflow.contract;

import java.util.Arrays;
import java.util.List;

/**
 * The training methods, with everything the platform knows of each but the ND4J procedure: wire
 * name, the paper it implements (for model cards), its defaults ({@link Recipe}), whether it reads
 * target pictures or pretrains, and which tuning knobs apply to it ({@link #knobs()}, declared
 * with each knob in {@link Tuning.Knob}).
 */
public enum Method implements Named {
  /** Supervised training on the source domain only: the baseline every adaptation must beat. */
  SOURCE_ONLY("supervised source-only baseline", Recipes.SGD),
  /** Domain-adversarial training with gradient reversal (Ganin &amp; Lempitsky, ICML 2015). */
  DANN("Ganin & Lempitsky, Unsupervised Domain Adaptation by Backpropagation, ICML 2015",
      Recipes.SGD),
  /** Adversarial discriminative domain adaptation (Tzeng et al., CVPR 2017). */
  ADDA("Tzeng, Hoffman, Saenko & Darrell, Adversarial Discriminative Domain Adaptation,"
      + " CVPR 2017", Recipes.ADDA),
  /**
   * Conditional adversarial adaptation: the domain discriminator reads the multilinear map of
   * features and predictions (Long, Cao, Wang &amp; Jordan, NeurIPS 2018).
   */
  CDAN("Long, Cao, Wang & Jordan, Conditional Adversarial Domain Adaptation, NeurIPS 2018",
      Recipes.SGD),
  /** CDAN with entropy conditioning: confident examples weigh more (CDAN+E, same paper). */
  CDAN_E("Long, Cao, Wang & Jordan, Conditional Adversarial Domain Adaptation (CDAN+E),"
      + " NeurIPS 2018", Recipes.SGD),
  /** Minimum class confusion on the target's predictions (Jin et al., ECCV 2020). */
  MCC("Jin, Wang, Long & Wang, Minimum Class Confusion for Versatile Domain Adaptation,"
      + " ECCV 2020", Recipes.SGD),
  /**
   * Source-free adaptation by information maximisation with the source classifier frozen
   * (SHOT-IM; Liang, Hu &amp; Feng, ICML 2020).
   */
  SHOT_IM("Liang, Hu & Feng, Do We Really Need to Access the Source Data? Source Hypothesis"
      + " Transfer for Unsupervised Domain Adaptation (SHOT-IM), ICML 2020", Recipes.SHOT),
  /**
   * Full SHOT: SHOT-IM plus self-supervised pseudo-labels from class centroids of the target's
   * features, renewed every epoch (Liang, Hu &amp; Feng, ICML 2020, Sec. 3.3).
   */
  SHOT("Liang, Hu & Feng, Do We Really Need to Access the Source Data? Source Hypothesis"
      + " Transfer for Unsupervised Domain Adaptation (SHOT), ICML 2020", Recipes.SHOT),
  /**
   * Self-ensembling: a student agrees on target pictures with a teacher that is the moving
   * average of its weights (a mean teacher; French, Mackiewicz &amp; Fisher, ICLR 2018).
   */
  MEAN_TEACHER("French, Mackiewicz & Fisher, Self-ensembling for visual domain adaptation,"
      + " ICLR 2018", Recipes.MEAN_TEACHER);

  private final String paper;
  private final Recipe recipe;

  Method(String paper, Recipe recipe) {
    this.paper = paper;
    this.recipe = recipe;
  }

  /**
   * {@code source-only}, {@code dann}, {@code adda}, {@code cdan}, {@code cdan-e}, {@code mcc},
   * {@code shot-im}, {@code shot} or {@code mean-teacher}: requests, the CLI and model cards.
   */
  @Override
  public String id() {
    return Named.idOf(this);
  }

  /** The paper the method implements, for model cards. */
  public String paper() {
    return paper;
  }

  /**
   * The reference recipes: DANN and source-only use SGD with momentum 0.9, weight decay 1e-5,
   * batch 128 (+128 target), lr0 0.01 annealed as {@code lr0 / (1 + 10p)^0.75} (Ganin &amp;
   * Lempitsky 2015, Sec. 5.1). ADDA pretrains with Adam (lr 1e-3, 5 epochs) and adapts with Adam
   * (lr 2e-4, beta1 0.5) as in the authors' code (Tzeng et al. 2017). CDAN and CDAN+E train as
   * DANN does (Long et al. 2018, Sec. 4: the same SGD, annealing and adaptation-factor schedule);
   * MCC with the same SGD recipe. SHOT-IM trains on the source with SGD (lr 0.01, momentum 0.9,
   * weight decay 1e-3, annealed, 5 epochs here), then adapts on the target with the same solver
   * (Liang et al. 2020, digit code). The mean teacher trains its student with Adam (lr 1e-3,
   * constant; French et al. 2018). All: 10 epochs, batch 128, seed 42, no augmentation, every
   * picture (platform defaults; docs/methods.md lists each paper's own numbers).
   */
  public Recipe recipe() {
    return recipe;
  }

  /** Whether training reads the target's pictures (all but source-only). */
  public boolean usesTarget() {
    return this != SOURCE_ONLY;
  }

  /**
   * Whether the method has a pretraining phase on the source ({@code pretrainEpochs} applies:
   * ADDA, SHOT-IM and SHOT).
   */
  public boolean usesPretraining() {
    return recipe.pretrainEpochs() > 0;
  }

  /** The tuning knobs that apply to this method. */
  public List<Tuning.Knob> knobs() {
    return Arrays.stream(Tuning.Knob.values()).filter(k -> k.appliesTo(this)).toList();
  }

  /** The wire names. */
  public static List<String> ids() {
    return Named.ids(Method.class);
  }

  /**
   * Parses a wire name ({@code source-only}, {@code dann}, {@code cdan-e}...), any case, or the
   * Java name.
   *
   * @throws IllegalArgumentException listing the known methods
   */
  public static Method parse(String name) {
    return Named.parse(Method.class, "method", name);
  }

  /** The recipe a request for {@code method} gets; an unknown method's request is rejected. */
  public static Recipe recipeOf(String method) {
    return Named.exact(Method.class, method).orElse(DANN).recipe();
  }

  /** The methods that pretrain, in words: {@code adda, shot-im and shot}. */
  public static String pretrainingText() {
    List<String> ids = Arrays.stream(values()).filter(Method::usesPretraining)
        .map(Method::id).toList();
    return ids.size() == 1 ? ids.get(0) : String.join(", ", ids.subList(0, ids.size() - 1))
        + " and " + ids.get(ids.size() - 1);
  }

  /** The recipes, defined before the constants that use them. */
  private static final class Recipes {
    static final Recipe SGD =
        new Recipe(10, 128, 0.01, 0.9, 1e-5, 0, 1e-3, 42, Augmentation.NONE, 0);
    static final Recipe ADDA =
        new Recipe(10, 128, 2e-4, 0.5, 1e-5, 5, 1e-3, 42, Augmentation.NONE, 0);
    /** SHOT's digit recipe: SGD lr 0.01, momentum 0.9, weight decay 1e-3, both phases. */
    static final Recipe SHOT =
        new Recipe(10, 128, 0.01, 0.9, 1e-3, 5, 0.01, 42, Augmentation.NONE, 0);
    /** Self-ensembling's digit recipe: Adam, lr 1e-3, beta1 0.9. */
    static final Recipe MEAN_TEACHER =
        new Recipe(10, 128, 1e-3, 0.9, 1e-5, 0, 1e-3, 42, Augmentation.NONE, 0);
  }
}
