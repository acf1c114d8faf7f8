package dev.daflow.service.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesMarkupAndQuotesAndKeepsTheRest() {
    assertThat(Html.escape("<a href=\"x\" title='y'>b & c</a> é"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;b &amp; c&lt;/a&gt; é");
    assertThat(Html.escape(null)).isEmpty();
  }
}
