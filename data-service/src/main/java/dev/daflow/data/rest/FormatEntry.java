package dev.daflow.data.rest;

/**
 * An archive layout accepted by {@code POST /datasets} and {@code POST /datasets/upload/{name}}.
 *
 * @param format the id to pass as {@code format}
 * @param holds what the archive must hold
 */
public record FormatEntry(String format, String holds) {}
