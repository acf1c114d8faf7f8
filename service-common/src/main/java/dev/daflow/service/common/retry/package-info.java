/**
 * The services' one back-off policy, {@link dev.daflow.service.common.retry.Backoff}: pauses
 * that grow up to a cap, an interruptible wait, and a retry of a call until it works, gives up or
 * is stopped.
 */
package dev.daflow.service.common.retry;
