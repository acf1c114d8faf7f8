package dev.daflow.trainer.service;

import dev.daflow.contract.Augmentation;
import dev.daflow.contract.Method;
import dev.daflow.contract.Named;
import dev.daflow.contract.Network;
import dev.daflow.events.TrainingRequested;
import dev.daflow.ml.job.JobSpec;
import dev.daflow.ml.nn.Architecture;
import dev.daflow.ml.nn.Architectures;
import dev.daflow.ml.train.TrainingConfig;
import dev.daflow.platform.datasets.DatasetManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a training request can run, and what it runs. The request's values are the
 * training contract's to check ({@link TrainingRequested#validate()}: names, limits, methods of
 * each field); this adds only what needs the datasets: that they are ingested with pictures to
 * train and test on, the network for their picture shapes when none is named ({@link
 * Network#defaultFor}), and that the network's classes fit them (the same in both domains).
 * Every problem is reported, not just the first. The configuration comes from {@link
 * TrainingConfig#of}: absent values, tuning included, take the method's and network's defaults.
 */
public final class RequestValidator {

  /** Where dataset manifests come from: the object store, or a map in unit tests. */
  @FunctionalInterface
  public interface Manifests {
    /**
     * The manifest of an ingested dataset, empty if there is none.
     *
     * @throws IOException if the manifest exists but cannot be read
     */
    Optional<DatasetManifest> find(String dataset) throws IOException;
  }

  /**
   * A request that can run.
   *
   * @param request the request
   * @param spec what ml-core trains: datasets, configuration (network resolved), limit
   * @param modelName the model the job trains a version of
   */
  public record Accepted(TrainingRequested request, JobSpec spec, String modelName) {
    /** The architecture, the default resolved. */
    public String network() {
      return spec.config().network();
    }
  }

  /**
   * The verdict: {@code accepted} or the {@code problems}, never both.
   */
  public record Verdict(Accepted accepted, List<String> problems) {
    public boolean valid() {
      return accepted != null;
    }
  }

  private final Manifests manifests;

  public RequestValidator(Manifests manifests) {
    this.manifests = manifests;
  }

  /**
   * Checks a request.
   *
   * @throws RuntimeException when the object store cannot be reached (not the request's fault)
   */
  public Verdict check(TrainingRequested r) {
    List<String> problems = new ArrayList<>(r.validate());
    DatasetManifest source = dataset(problems, "source", r.source());
    DatasetManifest target = dataset(problems, "target", r.target());

    // The network named (an unknown one is validate()'s problem), else the shapes' default.
    String network = Named.exact(Network.class, r.network()).map(Network::id).orElse(null);
    if (r.network() == null && source != null && target != null) {
      Network.Shape s = shape(problems, "source", source);
      Network.Shape t = shape(problems, "target", target);
      network = s != null && t != null ? Network.defaultFor(s, t).id() : null;
    }
    if (network != null && source != null && target != null) {
      Architecture arch = Architectures.byName(network);
      if (source.classNames().size() != arch.classes()) {
        problems.add("network " + network + " predicts " + arch.classes() + " classes but source"
            + " dataset '" + r.source() + "' has " + source.classNames().size());
      }
      if (!source.classNames().equals(target.classNames())) {
        problems.add("source dataset '" + r.source() + "' and target dataset '" + r.target()
            + "' have different classes: " + source.classNames() + " vs "
            + target.classNames());
      }
    }
    if (!problems.isEmpty()) {
      return new Verdict(null, List.copyOf(problems));
    }
    try {
      TrainingConfig config = TrainingConfig.of(Method.parse(r.method()), network, r.epochs(),
          r.pretrainEpochs(), r.batchSize(), r.learningRate(),
          Augmentation.parse(r.augmentation()), r.seed(), r.tuningOrDefault());
      JobSpec spec = new JobSpec(r.source(), r.target(), config, r.trainLimit());
      return new Verdict(new Accepted(r, spec, r.modelNameOrDefault()), List.of());
    } catch (IllegalArgumentException e) {
      return new Verdict(null, List.of(e.getMessage()));
    }
  }

  /** The manifest of a dataset the request names, or null with the problem noted. */
  private DatasetManifest dataset(List<String> problems, String role, String name) {
    if (name == null || !TrainingRequested.NAME.matcher(name).matches()) {
      return null; // validate() reported it
    }
    Optional<DatasetManifest> found;
    try {
      found = manifests.find(name);
    } catch (IOException e) {
      problems.add(role + " dataset '" + name + "' cannot be read: " + e.getMessage());
      return null;
    }
    if (found.isEmpty()) {
      problems.add(role + " dataset '" + name + "' is not ingested");
      return null;
    }
    DatasetManifest m = found.get();
    for (String split : List.of("train", "test")) {
      DatasetManifest.SplitEntry entry = m.splits().get(split);
      if (entry == null || entry.count() == 0) {
        problems.add(role + " dataset '" + name + "' has no pictures in its " + split
            + " split");
      }
    }
    return m;
  }

  private static Network.Shape shape(List<String> problems, String role, DatasetManifest m) {
    try {
      return new Network.Shape(m.shape().channels(), m.shape().height(), m.shape().width());
    } catch (IllegalArgumentException | NullPointerException e) {
      problems.add(role + " dataset '" + m.dataset() + "' has an unusable picture shape: "
          + e.getMessage());
      return null;
    }
  }
}
