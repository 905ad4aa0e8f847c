package dev.llamasweep.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llamasweep.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html looked at as a person would, in headless Chromium: no console errors, no requests
 * beyond the file, every chart visible, a hostile model name shown as text, partial data marked.
 * The screenshot is kept in target/ for a human to look at.
 */
class HtmlReportIT {
  static Path cache;

  @TempDir Path work;

  @BeforeAll
  static void build() {
    cache = LlamaCpp.cache();
    LlamaCpp.target();
    LlamaCpp.draft();
  }

  @Test
  void rendersOfflineWithChartsAndEscapesEverything() throws Exception {
    Files.writeString(work.resolve("prompt.txt"), "Say hello.");
    Path broken = Files.writeString(work.resolve("broken.gguf"), "not a model");
    Path spec = Files.writeString(work.resolve("h.yaml"), """
        name: html
        host: {memory: {transfer_rate_mts: 3200, bus_width_bits: 64}}
        backends: {cpu: {build: cpu, threads: auto, gpu_layers: 0}}
        models:
          "<script>alert(1)</script>": {synthetic: target, quant: Q4_K_M}
          "[click me](javascript:alert(1))": {synthetic: draft, quant: Q8_0}
          "<javascript:alert(2)>": {path: "%s"}
        defaults: {prompt: 32, generate: 8, repetitions: 2}
        experiments:
          - name: models
            grid: {model: ["<script>alert(1)</script>", "[click me](javascript:alert(1))", "<javascript:alert(2)>"], backend: cpu}
          - name: speculative
            bench: speculative
            grid: {model: "<script>alert(1)</script>", draft: "[click me](javascript:alert(1))", backend: cpu, draft_max: [0, 8],
                   prompt_file: "%s", generate: 32, repetitions: 2}
        """.formatted(broken, work.resolve("prompt.txt")));
    assertEquals(3, LlamaCpp.sweep(work, "run", spec));
    Path html = work.resolve("reports/html/report.html");
    String page = Files.readString(html);
    assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is escaped in the HTML");
    assertTrue(!page.contains("<script>"), "no script element anywhere");
    try (var charts = Files.list(work.resolve("reports/html/charts"))) {
      assertEquals(7, charts.count(), "the first screen's token time, models pp, tg, bandwidth, roofline and the roofline with both walls, "
          + "and the speculative speed-up");
    }

    try (HeadlessChromium chrome = new HeadlessChromium(work.resolve("chromium-profile"))) {
      chrome.open(html);
      JsonNode svgs = chrome.eval("Array.from(document.querySelectorAll('figure.chart svg')).map(s => {"
          + " const b = s.getBoundingClientRect(); return [b.width, b.height, s.querySelectorAll('rect,path,line,text').length]; })");
      assertEquals(7, svgs.size(), svgs.toString());
      for (JsonNode s : svgs) {
        assertTrue(s.get(0).asDouble() > 300 && s.get(1).asDouble() > 150, "visible: " + s);
        assertTrue(s.get(2).asInt() > 20, "drawn, not empty: " + s);
      }
      assertEquals(0, chrome.eval("document.querySelectorAll('script').length").asInt());
      // the first screen opens with the findings; each cell's arithmetic is folded under them
      assertEquals("Findings", chrome.eval("document.querySelector('h2').textContent").asText());
      assertEquals(1, chrome.eval("document.querySelectorAll('details > summary').length").asInt(), "the per-cell findings are one fold");
      // a picture first: where each generated token's time goes, on the first screen, before the findings' prose
      assertEquals("chart-overview-token-time", chrome.eval("document.querySelector('figure.chart').id").asText());
      assertTrue(chrome.eval("document.querySelector('figure.chart').getBoundingClientRect().top < window.innerHeight").asBoolean(), "on the first screen");
      assertTrue(chrome.eval("document.querySelector('figure.chart').compareDocumentPosition(document.querySelector('h2')) "
          + "& Node.DOCUMENT_POSITION_FOLLOWING").asBoolean(), "the findings follow the picture");
      // Markdown-link and autolink names are text: no javascript: URL anywhere in the DOM
      assertEquals(false, chrome.eval("Array.from(document.querySelectorAll('*')).some(e => Array.from(e.attributes)"
          + ".some(a => /javascript:/i.test(a.value)))").asBoolean(), "a javascript: URL in the DOM");
      assertTrue(chrome.eval("document.body.innerText.includes('[click me](javascript:alert(1))')").asBoolean(), "the link name shown as text");
      assertTrue(chrome.eval("document.body.innerText.includes('<javascript:alert(2)>')").asBoolean(), "the autolink name shown as text");
      assertTrue(chrome.eval("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content.includes(\"script-src 'none'\")").asBoolean(),
          "a Content-Security-Policy forbids scripts");
      assertTrue(chrome.eval("document.body.innerText.includes('<script>alert(1)</script>')").asBoolean(), "shown as text");
      assertTrue(chrome.eval("document.body.innerText.includes('failed: exit')").asBoolean(), "the broken model's cell is marked");
      assertTrue(chrome.eval("!!document.getElementById(document.querySelector('a[href^=\"#cell-\"]').getAttribute('href').slice(1))").asBoolean(),
          "every figure reaches its raw cell");
      Path shot = Path.of(System.getProperty("llamasweep.repo", ".")).resolve("target/report-screenshot.png");
      chrome.screenshot(shot);
      assertTrue(Files.size(shot) > 10_000);
      assertEquals(List.of(), chrome.problems, "console errors, exceptions or dialogs");
      assertEquals(List.of(), chrome.externalRequests(), "requests beyond the file itself");
    }

    // re-rendering the same data gives byte-identical files
    String md = Files.readString(work.resolve("reports/html/report.md"));
    String svg = Files.readString(work.resolve("reports/html/charts/models-tg.svg"));
    assertEquals(0, LlamaCpp.sweep(work, "reports", spec));
    assertEquals(page, Files.readString(html));
    assertEquals(md, Files.readString(work.resolve("reports/html/report.md")));
    assertEquals(svg, Files.readString(work.resolve("reports/html/charts/models-tg.svg")));
  }
}
