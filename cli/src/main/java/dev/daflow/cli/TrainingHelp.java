package dev.daflow.cli;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Network;
import dev.daflow.contract.Recipe;
import dev.daflow.contract.Tuning;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.ListResourceBundle;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The training options' help texts that come from the training contract: names, limits and
 * defaults, so that {@code --help} shows what the platform applies. Picocli reads them as {@code
 * ${bundle:KEY}} in {@link TrainingOptions}' descriptions (the train commands name this class as
 * their resource bundle).
 */
public final class TrainingHelp extends ListResourceBundle {

  @Override
  protected Object[][] getContents() {
    Recipe dann = Method.DANN.recipe();
    return new Object[][] {
        {"methods", or(Method.ids().toArray(String[]::new))},
        {"pretraining.methods", Method.pretrainingText()},
        {"lambdaMax.methods", Tuning.Knob.LAMBDA_MAX.methodsText()},
        {"networks", or(Network.ids().toArray(String[]::new))},
        {"network.large", Network.defaultFor(new Network.Shape(1, 64, 64),
            new Network.Shape(1, 64, 64)).id()},
        {"network.colour", Network.defaultFor(new Network.Shape(3, 32, 32),
            new Network.Shape(3, 32, 32)).id()},
        {"network.grey", Network.defaultFor(new Network.Shape(1, 28, 28),
            new Network.Shape(1, 28, 28)).id()},
        {"default.epochs", perMethod(r -> Integer.toString(r.epochs()))},
        {"default.pretrainEpochs", Integer.toString(Method.ADDA.recipe().pretrainEpochs())},
        {"default.batchSize", perMethod(r -> Integer.toString(r.batchSize()))},
        {"default.learningRate", perMethod(r -> Double.toString(r.learningRate()))},
        {"augmentations", or(Augmentation.ids().toArray(String[]::new))},
        {"default.augmentation", dann.augmentation().id()},
        {"default.seed", Long.toString(dann.seed())},
        {"default.trainLimit", Integer.toString(dann.trainLimit())},
        {"solvers", or(Tuning.Solver.ids().toArray(String[]::new))},
        {"solver.methods", Tuning.Knob.SOLVER.methodsText()},
        {"default.solver", Tuning.DEFAULT.solver().id()},
        {"default.clipNorm", clipNorms()},
        {"lambdaMax.range", range(Tuning.Knob.LAMBDA_MAX)},
        {"default.lambdaMax", number(Tuning.DEFAULT.lambdaMax())},
        {"domainLrScale.range", range(Tuning.Knob.DOMAIN_LEARNING_RATE_SCALE)},
        {"default.domainLrScale", number(Tuning.DEFAULT.domainLearningRateScale())},
    };
  }

  /** {@code a, b or c}. */
  private static String or(String... names) {
    return names.length == 1 ? names[0] : String.join(", ",
        Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1];
  }

  /** A recipe value: one number when every method has it, else {@code x (a, b), y (c)}. */
  private static String perMethod(Function<Recipe, String> value) {
    Map<String, String> methods = new LinkedHashMap<>();
    for (Method m : Method.values()) {
      methods.merge(value.apply(m.recipe()), m.id(), (a, b) -> a + ", " + b);
    }
    return methods.size() == 1 ? methods.keySet().iterator().next()
        : methods.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")")
            .collect(Collectors.joining(", "));
  }

  /** The networks' default clip norms: {@code 5 for adda-mnist64-in, else 0}. */
  private static String clipNorms() {
    String clipping = Arrays.stream(Network.values()).filter(n -> n.recommendedClipNorm() > 0)
        .map(n -> number(n.recommendedClipNorm()) + " for " + n.id())
        .collect(Collectors.joining(", "));
    return clipping.isEmpty() ? "0" : clipping + ", else 0";
  }

  private static String range(Tuning.Knob knob) {
    return knob.range().orElseThrow().description();
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }
}
