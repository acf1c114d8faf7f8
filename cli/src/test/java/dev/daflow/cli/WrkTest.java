package dev.daflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Reading wrk's result line ({@link Wrk#parse}): figures in the units the report uses. */
class WrkTest {
  private static final URI URI_ = URI.create("http://127.0.0.1:1/v2/models/bench/infer");

  @Test
  void readsRequestsDurationAndPercentiles() {
    Wrk.Turn t = Wrk.parse("Running 3s test @ ...\n  1 threads and 2 connections\n"
        + "daflow-wrk 312 3001250 10630.0 43860.5 0 0\n", URI_);
    assertThat(t.requests()).isEqualTo(312);
    assertThat(t.seconds()).isEqualTo(3.00125);
    assertThat(t.p50()).isEqualTo(10.63);
    assertThat(t.p99()).isEqualTo(43.8605);
  }

  @Test
  void failedRequestsOrAMissingLineAreErrorsThatSayWhat() {
    assertThatThrownBy(() -> Wrk.parse("daflow-wrk 300 3000000 1.0 2.0 0 7\n", URI_))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("7 answers not 2xx/3xx");
    assertThatThrownBy(() -> Wrk.parse("daflow-wrk 300 3000000 1.0 2.0 2 0\n", URI_))
        .hasMessageContaining("2 socket errors");
    assertThatThrownBy(() -> Wrk.parse("unable to connect to 127.0.0.1:1\n", URI_))
        .hasMessageContaining("wrk printed no result");
  }
}
