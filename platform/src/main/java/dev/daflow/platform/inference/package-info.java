/** What inference-service and its clients share of the Open Inference Protocol v2. */
package dev.daflow.platform.inference;
