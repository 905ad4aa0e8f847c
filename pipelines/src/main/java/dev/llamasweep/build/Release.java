package dev.llamasweep.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llamasweep.spec.LlamaCppVersion;

/**
 * One llama.cpp release as llama-sweep gets it: the node-llama-cpp package that ships it (as a git
 * bundle of one squashed commit), the release tag the package names (llama/binariesGithubRelease.json),
 * the bundle's commit and date, and the registry's integrity hash the tarball was checked against.
 * Every fact comes from the package itself; nothing is typed in by hand but the pinned one, which a
 * fetch checks against these same facts.
 */
public record Release(String packageVersion, String tag, String commit, String date, String integrity) {
  /** The release every built backend uses unless its spec names another. */
  public static final Release PINNED = new Release("3.21.1", "v0.4.0", "80fb11ac73e66d89eae2c6a91d8a77428fa733ed",
      "2026-09-12T18:47:14+00:00", "sha512-E3N0Ev2Va0wzydvXYFwM9Hvyo07PoWjt8T/9GMc43Cvt8YkV/NU/tYUgEMC1grTPv2o9PRjQi0G3Wb5P/awiMg==");

  /** The first 7 hex digits, as llama.cpp's build info prints a commit; also the cache directory's name. */
  public String shortCommit() {
    return commit.length() > 7 ? commit.substring(0, 7) : commit;
  }

  /** What llama.cpp's build info counts for this source (the tag's build number, else 1: the bundle is one commit). */
  public int buildNumber() {
    return LlamaCppVersion.buildNumber(tag);
  }

  public boolean isPinned() {
    return shortCommit().equals(PINNED.shortCommit());
  }

  /** The day of the source, 2026-09-28. */
  public String day() {
    return date == null || date.length() < 10 ? "date unknown" : date.substring(0, 10);
  }

  /** "v0.5.0 (de3ff81, 2026-09-28; node-llama-cpp 3.22.1)": release tag, commit and date, and the package it came in. */
  public String describe() {
    return tag + " (" + shortCommit() + ", " + day() + "; node-llama-cpp " + packageVersion + ")";
  }

  /** "llama.cpp v0.5.0 (de3ff81)", for progress lines. */
  public String label() {
    return "llama.cpp " + tag + " (" + shortCommit() + ")";
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("package", "node-llama-cpp@" + packageVersion).put("tag", tag).put("commit", commit).put("date", date).put("integrity", integrity);
    return n;
  }

  /** The release a JSON object written by {@link #toJson} names, or null for a missing node (records from before versions were an axis). */
  public static Release fromJson(JsonNode n) {
    if (n == null || n.isMissingNode() || n.isNull()) return null;
    return new Release(n.path("package").asText().replaceFirst("^node-llama-cpp@", ""), n.path("tag").asText(), n.path("commit").asText(),
        n.path("date").asText(null), n.path("integrity").asText(null));
  }
}
