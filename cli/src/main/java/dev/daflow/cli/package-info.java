/**
 * The {@code daflow} command line. Platform commands: {@code stack} (the local platform: broker,
 * S3 server and the four services as child processes), {@code demo} (the whole flow on it),
 * {@code ingest}, {@code train} (publishes a training request), {@code watch}, {@code jobs},
 * {@code cancel} and {@code classify}. Local commands, over the ML core without the services:
 * {@code local train}, {@code local evaluate}, {@code local predict} and {@code local info}.
 */
package dev.daflow.cli;
