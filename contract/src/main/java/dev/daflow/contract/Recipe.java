package dev.daflow.contract;

/**
 * The defaults of one method ({@link Method#recipe()}): what a request or an option left out
 * means. The network's part of the defaults (its tuning) is {@link Network#defaultTuning()}.
 *
 * @param epochs epochs of the main phase (ADDA: of the adversarial phase; SHOT-IM: of the target
 *     phase)
 * @param batchSize pictures per domain per step
 * @param learningRate initial learning rate (SGD lr0; ADDA: adversarial Adam; mean teacher: the
 *     student's Adam)
 * @param momentum SGD momentum; Adam beta1 of ADDA's adversarial phase and the mean teacher
 * @param weightDecay L2 weight decay
 * @param pretrainEpochs ADDA, SHOT-IM: epochs of source pretraining; 0 for the others
 * @param pretrainLearningRate ADDA: Adam learning rate of pretraining; SHOT-IM: its SGD lr0
 * @param seed the seed of everything random
 * @param augmentation source-picture augmentation
 * @param trainLimit training pictures per domain, 0 = all
 */
public record Recipe(int epochs, int batchSize, double learningRate, double momentum,
    double weightDecay, int pretrainEpochs, double pretrainLearningRate, long seed,
    Augmentation augmentation, int trainLimit) {}
