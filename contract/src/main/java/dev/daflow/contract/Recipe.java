package dev.daflow.contract;

/**
 * The defaults of one method ({@link Method#recipe()}): what a request or an option left out
 * means. The network's part of the defaults (its tuning) is {@link Network#defaultTuning()}.
 *
 * @param epochs epochs of the main phase (ADDA: of the adversarial phase)
 * @param batchSize pictures per domain per step
 * @param learningRate initial learning rate (source-only, DANN: SGD lr0; ADDA: adversarial Adam)
 * @param momentum SGD momentum; ADDA's adversarial Adam beta1
 * @param weightDecay L2 weight decay
 * @param pretrainEpochs ADDA: epochs of source pretraining; 0 for the others
 * @param pretrainLearningRate ADDA: Adam learning rate of pretraining
 * @param seed the seed of everything random
 * @param augmentation source-picture augmentation
 * @param trainLimit training pictures per domain, 0 = all
 */
public record Recipe(int epochs, int batchSize, double learningRate, double momentum,
    double weightDecay, int pretrainEpochs, double pretrainLearningRate, long seed,
    Augmentation augmentation, int trainLimit) {}
