/**
 * Configuration groups every service's {@code @ConfigMapping} shares (Kafka, object store): plain
 * interfaces with SmallRye Config's defaults, so each service maps them the same way.
 */
package dev.daflow.platform.config;
