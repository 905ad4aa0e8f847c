package dev.llamasweep.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real power-profiles-daemon (with its fake driver, which offers power-saver, balanced and
 * performance) and polkitd on a private D-Bus system bus, so tests switch profiles through the same
 * powerprofilesctl a user has without touching the machine's own bus. Stops what it started.
 */
final class PrivateSystemBus implements AutoCloseable {
  static final String DAEMON = "/usr/libexec/power-profiles-daemon";
  static final String POLKITD = "/usr/lib/polkit-1/polkitd";
  final Path socket;
  final Path log;
  private final List<Process> started = new ArrayList<>();
  private Process daemon;

  PrivateSystemBus() throws Exception {
    String address = System.getenv("DBUS_SYSTEM_BUS_ADDRESS");
    if (address == null || !address.startsWith("unix:path=")) {
      throw new IllegalStateException("DBUS_SYSTEM_BUS_ADDRESS must name the private test bus (set by the failsafe configuration in pom.xml)");
    }
    for (String exe : List.of(DAEMON, POLKITD, "/usr/bin/dbus-daemon", "/usr/bin/powerprofilesctl")) {
      if (!Files.isExecutable(Path.of(exe))) {
        throw new IllegalStateException(exe + " is missing: `make test` installs power-profiles-daemon, polkitd and dbus (pipelines/scripts/test-deps.sh)");
      }
    }
    socket = Path.of(address.substring("unix:path=".length()));
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket);
    log = socket.getParent().resolve("daemons.log");
    Path conf = socket.getParent().resolve("bus.conf");
    Files.writeString(conf, """
        <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
         "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
        <busconfig>
          <type>system</type>
          <listen>unix:path=%s</listen>
          <auth>EXTERNAL</auth>
          <policy context="default">
            <allow user="*"/>
            <allow own="*"/>
            <allow send_destination="*" eavesdrop="true"/>
            <allow eavesdrop="true"/>
          </policy>
        </busconfig>
        """.formatted(socket));
    start(List.of("dbus-daemon", "--config-file=" + conf, "--nofork", "--nopidfile"), false);
    waitFor(() -> Files.exists(socket), "the private bus socket");
    start(List.of(POLKITD, "--no-debug"), false);
    startDaemon();
  }

  void startDaemon() throws Exception {
    daemon = start(List.of(DAEMON), true);
    waitFor(() -> ctl("get").exit == 0, "power-profiles-daemon to answer");
  }

  void stopDaemon() throws InterruptedException {
    daemon.destroy();
    daemon.waitFor(10, TimeUnit.SECONDS);
  }

  private Process start(List<String> argv, boolean fakeDriver) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    if (fakeDriver) pb.environment().put("POWER_PROFILE_DAEMON_FAKE_DRIVER", "1");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  record Ctl(int exit, String out) {}

  Ctl ctl(String... args) {
    List<String> argv = new ArrayList<>(List.of("powerprofilesctl"));
    argv.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return new Ctl(p.waitFor(), out);
    } catch (IOException | InterruptedException e) {
      return new Ctl(-1, e.toString());
    }
  }

  interface Check { boolean ok() throws Exception; }

  private static void waitFor(Check c, String what) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (c.ok()) return;
      Thread.sleep(100);
    }
    throw new IllegalStateException("timed out waiting for " + what);
  }

  @Override
  public void close() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) {
      started.get(i).destroy();
      started.get(i).waitFor(10, TimeUnit.SECONDS);
      started.get(i).destroyForcibly();
    }
  }
}
