package dev.daflow.ml.train;

import dev.daflow.ml.data.Preprocessing;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * What a finished run yields.
 *
 * @param inference the inference graph ({@code x -> logits, probs}) with the trained parameters
 * @param config the run's hyperparameters
 * @param preprocessing input preprocessing the graph expects
 * @param seconds wall time of the epochs this process ran
 * @param imagesPerSecond training pictures (source+target) per second over those epochs
 * @param lastLosses mean losses of the last epoch
 */
public record TrainingResult(SameDiff inference, TrainingConfig config, Preprocessing preprocessing,
    double seconds, double imagesPerSecond, Map<String, Double> lastLosses) {}
