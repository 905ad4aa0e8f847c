package dev.llamasweep.execute;

/** The time the executor waits by (cool-down, quiet machine): the system's, or a test's that moves only when it sleeps. */
public interface Clock {
  long nanoTime();

  void sleep(long millis) throws InterruptedException;

  Clock SYSTEM = new Clock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
      Thread.sleep(millis);
    }
  };
}
