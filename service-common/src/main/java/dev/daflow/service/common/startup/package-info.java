/**
 * What a service sets up before it is ready, in the background and retried with the one {@link
 * dev.daflow.service.common.retry.Backoff} while Kafka or the object store are down, so that a
 * service never crash-loops on a dependency that starts later: {@link
 * dev.daflow.service.common.startup.BackgroundSetup} runs the steps and says what is missing;
 * {@link dev.daflow.service.common.startup.SetupSteps} has the steps every service shares (the
 * topics, the buckets).
 */
package dev.daflow.service.common.startup;
