package dev.daflow.trainer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every error answer: {@code {"error": "...", "detail": "..."}}, plus the list of
 * problems where a request was refused for several.
 *
 * @param error the kind of error, short
 * @param detail what exactly, for people
 * @param problems each problem of a refused training request, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String detail, List<String> problems) {
  public ApiError(String error, String detail) {
    this(error, detail, null);
  }
}
