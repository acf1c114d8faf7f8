package dev.daflow.evaluator.rest;

/**
 * The body of every error answer.
 *
 * @param error what went wrong, short
 * @param detail the specifics, for people
 */
public record ApiError(String error, String detail) {}
