package dev.daflow.data.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The defaults the producers derive; application.properties and the docs name the same hosts. */
class DataProducersTest {

  @Test
  void urlIngestionDefaultsToTheCatalogPublishersHosts() {
    assertThat(DataProducers.catalogHosts()).containsExactly("hastie.su.domains",
        "ossci-datasets.s3.amazonaws.com", "raw.githubusercontent.com", "storage.googleapis.com",
        "ufldl.stanford.edu");
  }
}
