package dev.llamasweep.report;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * reports/&lt;spec&gt;/report.html: report.md rendered by CommonMark with every raw HTML fragment
 * escaped (a model named {@code <script>} shows as text), the charts' SVG inlined where report.md
 * links them, and each cell id linked to its row in the Cells table (id and command). One file,
 * no script, nothing fetched: it works offline.
 */
public final class HtmlReport {
  private static final List<org.commonmark.Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Pattern IMG = Pattern.compile("<img src=\"charts/([a-z0-9-]+)\\.svg\" alt=\"([^\"]*)\" />");
  private static final Pattern CELL_ROW = Pattern.compile("<tr>\\s*<td><code>([0-9a-f]{12})</code></td>");
  private static final Pattern CELL_REF = Pattern.compile("(?<!<td>)<code>([0-9a-f]{12})</code>");

  /**
   * Links the report makes itself are relative paths (charts/x.svg) and anchors (#cell-…); any other
   * URL, such as javascript: from a model name that Markdown read as a link, becomes "#".
   */
  static final org.commonmark.renderer.html.UrlSanitizer LINKS = new org.commonmark.renderer.html.UrlSanitizer() {
    @Override
    public String sanitizeLinkUrl(String url) {
      return safe(url) ? url : "#";
    }

    @Override
    public String sanitizeImageUrl(String url) {
      return safe(url) ? url : "";
    }
  };

  /** A relative path of plain characters, or an anchor: no scheme, no protocol-relative host. */
  static boolean safe(String url) {
    return url.matches("#[A-Za-z0-9_-]*") || url.matches("[A-Za-z0-9_][A-Za-z0-9_./-]*") && !url.contains(":") && !url.startsWith("//");
  }

  /** No script may run, nothing may be fetched: inline styles and the inlined SVG charts only. */
  static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'";

  private HtmlReport() {}

  public static String render(String title, String markdown, Map<String, Charts.Chart> charts) {
    String body = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).sanitizeUrls(true).urlSanitizer(LINKS).build()
        .render(Parser.builder().extensions(EXTENSIONS).build().parse(markdown));
    // the report's own folds (FindingsSection writes them, with a fixed summary and a count): every other raw HTML stays escaped text
    body = body.replaceAll("<p>&lt;details&gt;&lt;summary&gt;(Each cell: [A-Za-z ,:]+\\(\\d+ lines\\))&lt;/summary&gt;</p>", "<details><summary>$1</summary>")
        .replace("<p>&lt;/details&gt;</p>", "</details>");
    Matcher m = IMG.matcher(body);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Charts.Chart c = charts.get(m.group(1));
      String figure = c == null ? m.group() : "<figure class=\"chart\" id=\"chart-" + c.id() + "\">" + c.svg() + "<figcaption><strong>"
          + escape(c.title()) + ".</strong> " + escape(c.caption())
          + " Cells: " + String.join(", ", c.cells().stream().map(id -> "<a href=\"#cell-" + id + "\"><code>" + id + "</code></a>").toList())
          + ". <a href=\"charts/" + c.id() + ".svg\">SVG file</a></figcaption></figure>";
      m.appendReplacement(sb, Matcher.quoteReplacement(figure));
    }
    m.appendTail(sb);
    body = CELL_ROW.matcher(sb.toString()).replaceAll("<tr id=\"cell-$1\">\n<td><code>$1</code></td>");
    body = CELL_REF.matcher(body).replaceAll("<a href=\"#cell-$1\"><code>$1</code></a>");
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"" + CSP + "\">\n"
        + "<title>" + escape(title) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String CSS = """
      body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #111; background: #fff; margin: 0; }
      main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 4rem; line-height: 1.45; }
      h1 { font-size: 1.7rem; border-bottom: 2px solid #1b3a6b; padding-bottom: .3rem; }
      h2 { font-size: 1.35rem; margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
      h3 { font-size: 1.1rem; margin-top: 1.6rem; }
      table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; }
      th, td { border: 1px solid #bbb; padding: .3rem .55rem; text-align: left; vertical-align: top; }
      th { background: #eef1f6; }
      tr:target { background: #fff3c4; }
      code { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; word-break: break-all; }
      figure.chart { margin: 1rem 0 1.6rem; }
      figure.chart svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
      figcaption { font-size: .85rem; color: #333; margin-top: .3rem; }
      a { color: #1b3a6b; }
      @media print { a { color: #000; text-decoration: none; } }
      """;
}
