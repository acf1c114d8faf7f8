package dev.daflow.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event field that may be {@code null} (JSON {@code null} or absent). Every other field
 * of an event is required: {@link EventCodec} refuses to publish an event without it and rejects a
 * received one that lacks it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Nullable {}
