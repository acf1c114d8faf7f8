package dev.daflow.contract;

import java.util.regex.Pattern;

/**
 * The limits of a training request's and a training configuration's numbers and names, each
 * defined once. The tuning knobs' limits are with the knobs ({@link Tuning.Knob}).
 */
public final class Limits {
  private Limits() {}

  /** Epochs of the main phase (ADDA: of the adversarial phase). */
  public static final Range EPOCHS = Range.ints("epochs", 1, 10_000);

  /** Pictures per domain per step. */
  public static final Range BATCH_SIZE = Range.ints("batchSize", 1, 4096);

  /** The initial learning rate (source-only, DANN: SGD's or Adam's; ADDA: the adversarial one). */
  public static final Range LEARNING_RATE = Range.open("learningRate", 0, 10);

  /** ADDA's epochs of supervised source pretraining. */
  public static final Range PRETRAIN_EPOCHS = Range.ints("pretrainEpochs", 1, 10_000);

  /** Training pictures per domain. */
  public static final Range TRAIN_LIMIT = Range.atLeast("trainLimit", 0, "0 = all pictures");

  /** Configuration only (no request sets it): SGD momentum, ADDA's Adam beta1. */
  public static final Range MOMENTUM = Range.closedOpen("momentum", 0, 1);

  /** Configuration only: L2 weight decay. */
  public static final Range WEIGHT_DECAY = Range.closedOpen("weightDecay", 0, 1);

  /** Configuration only: ADDA's pretraining learning rate. */
  public static final Range PRETRAIN_LEARNING_RATE = Range.open("pretrainLearningRate", 0, 10);

  /**
   * Job ids, model and dataset names: safe as Kafka keys and inside object-store keys (1-128
   * letters, digits, {@code .}, {@code _} or {@code -}; no {@code ..}, not {@code .} alone).
   */
  public static final Pattern NAME = Pattern.compile("(?!\\.$)(?!.*\\.\\.)[A-Za-z0-9._-]{1,128}");

  /** What {@link #NAME} allows, in words, for problems. */
  public static final String NAME_RULE = "1-128 letters, digits, '.', '_' or '-' (no '..')";
}
