package dev.llamasweep.host;

/**
 * Applies the power profiles a sweep asks for, one switch per change, and puts back the profile
 * that was active before the sweep when it ends or is interrupted (a JVM shutdown hook).
 */
public final class ProfileSession implements AutoCloseable {
  private final PowerProfiles profiles;
  private String original;
  private String current;
  private PowerProfiles.State unreadable;
  private Thread hook;

  public ProfileSession(PowerProfiles profiles) {
    this.profiles = profiles;
  }

  /** The active profile, read once and then tracked through our own switches. */
  public PowerProfiles.State current() {
    if (current != null) return new PowerProfiles.State(current, null);
    if (unreadable != null) return unreadable;
    PowerProfiles.State s = profiles.get();
    if (s.ok()) current = s.profile(); else unreadable = s;  // asked once per sweep, not once per cell
    return s;
  }

  /** Makes {@code profile} active (no-op when it already is); the State is what is active after. */
  public PowerProfiles.State ensure(String profile, long settleSeconds) {
    PowerProfiles.State now = current();
    if (now.ok() && now.profile().equals(profile)) return now;
    if (now.ok() && original == null) {
      original = now.profile();
      hook = new Thread(this::restore, "llama-sweep-restore-power-profile");
      Runtime.getRuntime().addShutdownHook(hook);
    }
    PowerProfiles.State s = profiles.set(profile, settleSeconds);
    current = s.profile();
    unreadable = null;
    return s;
  }

  /** Puts the original profile back if we changed it. */
  public synchronized void restore() {
    if (original != null && !original.equals(current)) {
      PowerProfiles.State s = profiles.set(original, 0);
      if (s.ok()) current = s.profile();
    }
  }

  @Override
  public void close() {
    restore();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs anyway
      }
      hook = null;
    }
    original = null;
  }

  public String original() { return original; }
}
