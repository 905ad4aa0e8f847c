package dev.llamasweep.host;

/**
 * One fact about the host with its evidence: the value as the report shows it, the command or file it
 * came from, and what that source said. A fact that could not be read has no value and says why. A
 * fact that is a quantity also carries it as a number with its unit, so nothing reads the number back
 * out of the shown value.
 *
 * @param number the quantity (null when the fact is not one, or is unknown)
 * @param unit the number's unit ("bytes", "MT/s", …)
 */
public record Fact(String name, String value, String source, String raw, String unknownBecause, Double number, String unit) {

  public Fact(String name, String value, String source, String raw, String unknownBecause) {
    this(name, value, source, raw, unknownBecause, null, null);
  }

  public static Fact known(String name, String value, String source, String raw) {
    return new Fact(name, value, source, raw, null);
  }

  /** A known quantity: shown as {@code value}, kept as {@code number} in {@code unit}. */
  public static Fact quantity(String name, String value, double number, String unit, String source, String raw) {
    return new Fact(name, value, source, raw, null, number, unit);
  }

  public static Fact unknown(String name, String source, String why) {
    return new Fact(name, null, source, null, why);
  }

  public boolean isKnown() {
    return value != null;
  }
}
