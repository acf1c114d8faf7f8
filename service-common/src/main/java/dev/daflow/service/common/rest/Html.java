package dev.daflow.service.common.rest;

/**
 * Helpers of the services' HTML pages (the model report, the dataset preview): pages built as
 * text, with every value that is not the page's own markup escaped here.
 */
public final class Html {
  private Html() {}

  /**
   * {@code s} with {@code < > & " '} as character references: safe as element content and as a
   * quoted attribute value. Null gives the empty string.
   */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
