package dev.llamasweep.results;

import dev.llamasweep.llamacpp.TestShape;
import java.util.Map;

/**
 * One row of samples.csv read back ({@link ResultFiles#readSamples}): one repetition of one test of a cell,
 * its numbers typed once by the codec. {@code columns} keeps every field as written, for what is matched as
 * text (compare's configuration, a spec's axes); a column an older file lacks is absent there.
 *
 * @param nDrafted  tokens the draft model proposed in this repetition, null for a cell without one
 * @param sourceN   the repetitions an ingested summary says it had, null when it says nothing
 * @param sourceSd  an ingested summary's own standard deviation, null for measured samples
 */
public record SampleRow(String cell, String test, TestShape shape, double tokensPerS, long modelSize, String buildCommit, String buildNumber,
    String typeK, String typeV, String modelType, Long nDrafted, Long nAccepted, Long sourceN, Double sourceSd, Columns columns) {

  /** A field as written, or "" when the file has no such column. */
  public String column(String name) {
    return columns.get(name);
  }

  /** The row's fields as written, by the file's header (shared by every row of a file, so a million rows cost their values only). */
  public record Columns(Map<String, Integer> header, String[] values) {
    public String get(String name) {
      Integer i = header.get(name);
      return i == null || i >= values.length ? "" : values[i];
    }

    public boolean has(String name) {
      return header.containsKey(name);
    }
  }

  /** "80fb11a (build 1)": the llama.cpp build that wrote the sample, as llama-bench reports it. */
  public String build() {
    return buildCommit + " (build " + buildNumber + ")";
  }
}
