package dev.llamasweep.host;

/**
 * One fact about the host with its evidence: the value, the command or file it came from, and what
 * that source said. A fact that could not be read has no value and says why.
 */
public record Fact(String name, String value, String source, String raw, String unknownBecause) {

  public static Fact known(String name, String value, String source, String raw) {
    return new Fact(name, value, source, raw, null);
  }

  public static Fact unknown(String name, String source, String why) {
    return new Fact(name, null, source, null, why);
  }

  public boolean isKnown() {
    return value != null;
  }
}
