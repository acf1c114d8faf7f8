package dev.daflow.ml.model;

/**
 * The prediction for one picture.
 *
 * @param classIndex index of the most probable class
 * @param label its name
 * @param probabilities softmax over all classes
 */
public record Prediction(int classIndex, String label, float[] probabilities) {}
