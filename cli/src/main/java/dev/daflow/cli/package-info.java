/**
 * The {@code daflow} command line: {@code train}, {@code evaluate}, {@code predict} and {@code
 * info} over the ML core, for local use without the services.
 */
package dev.daflow.cli;
