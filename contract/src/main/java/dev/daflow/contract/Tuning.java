package dev.daflow.contract;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Departures from the papers' recipes, for networks or pairs where the reference recipe does not
 * train well; {@link #DEFAULT} is the papers' recipe and changes nothing. This file is the one
 * definition of the tuning knobs: the resolved values a run uses (this record, stored in
 * checkpoints and model cards), what a request asks for ({@link Request}, the {@code tuning} of
 * {@code training.requested}, of {@code POST /jobs} and of the CLI's options), and each knob's
 * limit and methods ({@link Knob}).
 *
 * <p>To add a knob: a component here and in {@link Request} (JSON name = component name), a
 * {@link Knob} constant (its limit and methods), a line in {@link Request#over} and in {@link
 * Knob#requested}. Its uses are then the CLI option that sets it and the ml-core procedure that
 * applies it.
 *
 * @param solver the optimiser of source-only, DANN, CDAN(+E) and MCC training (ADDA and the mean
 *     teacher always use Adam, SHOT-IM and SHOT SGD, as their authors did); its learning rate follows the
 *     same annealing {@code lr0 / (1 + 10p)^0.75}
 * @param clipNorm when positive, each step's gradients of one optimiser are scaled down together
 *     so that their global L2 norm is at most this value (Pascanu et al. 2013); 0 turns clipping
 *     off. ADDA clips its discriminator and its target encoder separately.
 * @param lambdaMax DANN only: the gradient-reversal factor is {@code lambdaMax} times the paper's
 *     schedule {@code 2/(1+exp(-10p)) - 1}; 1 is the paper's
 * @param classWeighting DANN only: importance-weight the source rows' domain loss by an estimate
 *     of {@code p_T(y) / p_S(y)} made without target labels (IWDAN, Tachet des Combes et al.
 *     2020), so that the domain loss aligns the source features as if the source had the
 *     target's class proportions; false is the paper's DANN
 * @param domainLearningRateScale DANN only: the domain classifier learns at this multiple of the
 *     learning rate (the encoder and label classifier at 1), making the adversary stronger; 1 is
 *     the paper's. 0, as in configs written before it existed, reads as 1
 */
public record Tuning(Solver solver, double clipNorm, double lambdaMax, boolean classWeighting,
    double domainLearningRateScale) {

  /** The papers' recipes: SGD with momentum, no clipping, lambda rising to 1, no weighting. */
  public static final Tuning DEFAULT = new Tuning(Solver.SGD, 0, 1, false, 1);

  /** The optimiser of source-only and DANN training. */
  public enum Solver implements Named {
    /** SGD with the config's momentum (the DANN paper's). */
    SGD,
    /** Adam with beta1 0.9, beta2 0.999 (Kingma &amp; Ba 2015). */
    ADAM;

    /** {@code sgd} or {@code adam}. */
    @Override
    public String id() {
      return Named.idOf(this);
    }

    /** The wire names. */
    public static List<String> ids() {
      return Named.ids(Solver.class);
    }

    /**
     * Reads {@code sgd} / {@code adam}, any case.
     *
     * @throws IllegalArgumentException {@code solver must be one of sgd, adam; got '<name>'}
     */
    public static Solver parse(String name) {
      return Named.parse(Solver.class, "solver", name);
    }
  }

  /** Each knob: its field, its limit (none for names and switches) and the methods it tunes. */
  public enum Knob {
    SOLVER("solver", null, EnumSet.of(Method.SOURCE_ONLY, Method.DANN, Method.CDAN,
        Method.CDAN_E, Method.MCC), " (adda and mean-teacher always use adam, shot-im and shot sgd)"),
    CLIP_NORM("clipNorm", Range.finiteAtLeast("clipNorm", 0, "0 = off"),
        EnumSet.allOf(Method.class), ""),
    LAMBDA_MAX("lambdaMax", Range.openClosed("lambdaMax", 0, 10),
        EnumSet.of(Method.DANN, Method.CDAN, Method.CDAN_E), ""),
    CLASS_WEIGHTING("classWeighting", null, EnumSet.of(Method.DANN), ""),
    DOMAIN_LEARNING_RATE_SCALE("domainLearningRateScale",
        Range.openClosed("domainLearningRateScale", 0, 100), EnumSet.of(Method.DANN), "");

    private final String field;
    private final Range range;
    private final Set<Method> methods;
    private final String note;

    Knob(String field, Range range, Set<Method> methods, String note) {
      this.field = field;
      this.range = range;
      this.methods = methods;
      this.note = note;
    }

    /** The JSON field, e.g. {@code clipNorm} (under {@code tuning.} in a request). */
    public String field() {
      return field;
    }

    /** The allowed values of a numeric knob; empty for the solver and class weighting. */
    public Optional<Range> range() {
      return Optional.ofNullable(range);
    }

    /** Whether the knob tunes {@code method}. */
    public boolean appliesTo(Method method) {
      return methods.contains(method);
    }

    /** The methods in words: {@code adda only}, {@code source-only, dann and cdan only (...)}. */
    public String methodsText() {
      if (methods.size() == Method.values().length) {
        return "every method";
      }
      List<String> ids = methods.stream().map(Method::id).toList();
      String last = ids.get(ids.size() - 1);
      return (ids.size() == 1 ? last : String.join(", ", ids.subList(0, ids.size() - 1))
          + " and " + last) + " only" + note;
    }

    /** The value {@code r} asks for, {@code null} when none. */
    public Object requested(Request r) {
      return switch (this) {
        case SOLVER -> r.solver();
        case CLIP_NORM -> r.clipNorm();
        case LAMBDA_MAX -> r.lambdaMax();
        case CLASS_WEIGHTING -> r.classWeighting();
        case DOMAIN_LEARNING_RATE_SCALE -> r.domainLearningRateScale();
      };
    }

    /** Whether asking for {@code value} on a method it does not tune is a problem. */
    private boolean misplaced(Object value) {
      // Class weighting off is the paper's DANN, which every method trains as.
      return this != CLASS_WEIGHTING || Boolean.TRUE.equals(value);
    }

    /** The problems of the value {@code r} asks for, for {@code method} (null if unknown). */
    private Optional<Problem> check(Request r, Method method) {
      Object value = requested(r);
      String name = "tuning." + field;
      if (value == null) {
        return Optional.empty();
      }
      if (method != null && !appliesTo(method) && misplaced(value)) {
        return Optional.of(new Problem(name, "applies to " + methodsText() + ", got "
            + (value instanceof String ? "'" + value + "'" : value) + " for method '"
            + method.id() + "'"));
      }
      if (this == SOLVER) {
        return Named.check(Solver.class, name, (String) value);
      }
      return range == null ? Optional.empty() : range.checkOptional(name, (Number) value);
    }
  }

  public Tuning {
    solver = solver == null ? Solver.SGD : solver;
    Knob.CLIP_NORM.range.require(clipNorm);
    Knob.LAMBDA_MAX.range.require(lambdaMax);
    domainLearningRateScale = domainLearningRateScale == 0 ? 1 : domainLearningRateScale;
    Knob.DOMAIN_LEARNING_RATE_SCALE.range.require(domainLearningRateScale);
  }

  public Tuning withSolver(Solver s) {
    return new Tuning(s, clipNorm, lambdaMax, classWeighting, domainLearningRateScale);
  }

  public Tuning withClipNorm(double c) {
    return new Tuning(solver, c, lambdaMax, classWeighting, domainLearningRateScale);
  }

  public Tuning withLambdaMax(double l) {
    return new Tuning(solver, clipNorm, l, classWeighting, domainLearningRateScale);
  }

  public Tuning withClassWeighting(boolean w) {
    return new Tuning(solver, clipNorm, lambdaMax, w, domainLearningRateScale);
  }

  public Tuning withDomainLearningRateScale(double s) {
    return new Tuning(solver, clipNorm, lambdaMax, classWeighting, s);
  }

  /**
   * The tuning a request or the CLI asks for, each field {@code null} when not given: {@link
   * #over} keeps the default's value for it (the network's, {@link Network#defaultTuning()}).
   * The solver is its wire name, so that a request naming an unknown one can still be read and
   * then rejected.
   *
   * @param solver {@code sgd} or {@code adam}; source-only, DANN, CDAN(+E) and MCC only
   * @param clipNorm the global L2 norm each step's gradients are clipped to, finite, {@code >= 0};
   *     0 turns clipping off
   * @param lambdaMax DANN only: the gradient-reversal schedule's scale, in (0, 10]
   * @param classWeighting DANN only: IWDAN's class weights on the domain loss
   * @param domainLearningRateScale DANN only: the domain head's learning-rate multiple, in (0,
   *     100]
   */
  public record Request(
      @Nullable String solver,
      @Nullable Double clipNorm,
      @Nullable Double lambdaMax,
      @Nullable Boolean classWeighting,
      @Nullable Double domainLearningRateScale) {

    /** Nothing asked for: the network's default tuning. */
    public static final Request NONE = new Request(null, null, null, null, null);

    /** The first three knobs only (requests written before the others existed). */
    public Request(String solver, Double clipNorm, Double lambdaMax) {
      this(solver, clipNorm, lambdaMax, null, null);
    }

    /**
     * The knobs asked for here that do not tune {@code method} (class weighting only when asked
     * on: off is every method's), in knob order.
     */
    public List<Knob> misplaced(Method method) {
      return Arrays.stream(Knob.values())
          .filter(k -> k.requested(this) != null && !k.appliesTo(method)
              && k.misplaced(k.requested(this)))
          .toList();
    }

    /**
     * Every problem of the values asked for, for {@code method} (a wire name; an unknown one is
     * the method's problem, and then only the values' limits are checked), each named {@code
     * tuning.<field>}.
     */
    public List<Problem> problems(String method) {
      Method m = Named.exact(Method.class, method).orElse(null);
      List<Problem> problems = new ArrayList<>();
      for (Knob k : Knob.values()) {
        k.check(this, m).ifPresent(problems::add);
      }
      return problems;
    }

    /**
     * {@code base} with each value asked for put in.
     *
     * @throws IllegalArgumentException naming the first value out of its limits
     */
    public Tuning over(Tuning base) {
      Tuning t = base;
      t = solver == null ? t : t.withSolver(Solver.parse(solver));
      t = clipNorm == null ? t : t.withClipNorm(clipNorm);
      t = lambdaMax == null ? t : t.withLambdaMax(lambdaMax);
      t = classWeighting == null ? t : t.withClassWeighting(classWeighting);
      t = domainLearningRateScale == null ? t
          : t.withDomainLearningRateScale(domainLearningRateScale);
      return t;
    }
  }
}
