package dev.daflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every Grafana dashboard panel has data: after the flow and the refusals ran, each PromQL
 * expression of each panel (template variables substituted) is sent to the Prometheus that
 * scraped the services all along, and must return something to draw. The answers are written to
 * {@code target/dashboards/} ({@code observability/plot_dashboards.py} renders them).
 */
@ExtendWith(Platform.class)
@Order(3)
class ObservabilityIT {

  @Test
  void everyDashboardPanelHasDataFromTheRunningServices() {
    Platform p = Platform.get();
    DashboardsCheck.Result result = new DashboardsCheck(p.prometheus)
        .verify(p.started, Instant.now());
    System.out.println("e2e: " + result.panels() + " dashboard panels, " + result.queries()
        + " queries, all with data");
    assertThat(result.queries()).isGreaterThanOrEqualTo(result.panels()).isPositive();
  }
}
