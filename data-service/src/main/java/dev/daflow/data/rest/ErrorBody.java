package dev.daflow.data.rest;

/**
 * Every error answer's body.
 *
 * @param error what went wrong, short and stable (e.g. {@code unknown dataset})
 * @param detail the specifics, for people (which file, which problem)
 */
public record ErrorBody(String error, String detail) {}
