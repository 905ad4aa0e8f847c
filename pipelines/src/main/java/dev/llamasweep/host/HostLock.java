package dev.llamasweep.host;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS-level lock (fcntl through {@link FileChannel#lock}) that keeps two sweeps on one host from
 * benchmarking at the same time; the kernel releases it when the process dies, so it never goes stale.
 */
public final class HostLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private HostLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static Path defaultPath() {
    return Path.of(System.getProperty("java.io.tmpdir"), "llama-sweep.lock");
  }

  /** Thrown when another sweep holds the lock and the caller asked not to wait. */
  public static final class Busy extends RuntimeException {
    public Busy(String message) { super(message); }
  }

  public static HostLock acquire(Path file, boolean wait, PrintStream out) {
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        l = null; // held by this very JVM (a test, or a nested sweep)
      }
      if (l == null) {
        String who = "another sweep" + holder(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim());
        if (!wait) {
          ch.close();
          throw new Busy(who + " is benchmarking on this host (lock " + file + "); run again when it ends, or leave out --no-wait to queue behind it.");
        }
        out.println("waiting: " + who + " is benchmarking on this host (lock " + file + ")");
        l = lockWaiting(ch);
      }
      ch.truncate(0);
      ch.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      return new HostLock(ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * " (pid N)" when the lock file names a live process; nothing otherwise: the holder writes its pid
   * just after taking the lock, so a reader may see the previous holder's, which must not be named.
   */
  static String holder(String text) {
    if (!text.startsWith("pid ")) return "";
    try {
      long pid = Long.parseLong(text.substring(4).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) ? " (pid " + pid + ")" : "";
    } catch (NumberFormatException e) {
      return "";
    }
  }

  private static FileLock lockWaiting(FileChannel ch) throws IOException {
    while (true) {
      try {
        return ch.lock();
      } catch (java.nio.channels.OverlappingFileLockException e) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while waiting for the host lock", ie);
        }
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
