package dev.llamasweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.llamasweep.host.BackendDevices;
import dev.llamasweep.host.HostRecord;
import dev.llamasweep.results.CellEntry;
import dev.llamasweep.spec.Axis;
import dev.llamasweep.spec.Bench;
import dev.llamasweep.spec.Params;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A split over devices on a backend that lists fewer than two is said, never passed off as a split. */
class SplitLineTest {
  static CellEntry cell(String backend, String mode) {
    Map<Axis, Object> v = new EnumMap<>(Axis.class);
    v.put(Axis.MODEL, "m");
    v.put(Axis.BACKEND, backend);
    if (mode != null) v.put(Axis.SPLIT_MODE, mode);
    Params p = Params.of(Bench.LLAMA_BENCH, v);
    return new CellEntry(0, new dev.llamasweep.spec.Cell(p.id(), Bench.LLAMA_BENCH, p, List.of("x")), null, List.of(), "");
  }

  static ReportData with(Map<String, BackendDevices> backends) {
    HostRecord host = new HostRecord(List.of(), null, null, backends);
    return new ReportData(new ReportData.Results(Map.of(), Map.of(), Map.of(), Map.of(), 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of()),
        new ReportData.Machine(host, Map.of(), null, Map.of(), List.of(), Map.of()), new ReportData.DriftCheck(0.05, List.of(), List.of()));
  }

  @Test
  void oneDeviceRunsTheArmsAndSaysASplitNeedsTwo() {
    BackendDevices one = BackendDevices.of("cuda", "llama-bench --list-devices",
        "Available devices:\n  CUDA0: NVIDIA H200 (143166 MiB, 142552 MiB free)\n", true);
    String line = MarkdownReport.splitLine(List.of(cell("cuda", "none"), cell("cuda", "layer"), cell("cuda", "row")), with(Map.of("cuda", one)));
    assertEquals("**A split needs two devices**: `cuda` lists one device (CUDA0: NVIDIA H200 (143166 MiB, 142552 MiB free)) (`llama-bench "
        + "--list-devices`), so its split_mode and tensor_split arms ran on one device and differ by no split; run them where the backend lists two or more.\n\n", line);
  }

  @Test
  void twoDevicesOrNoSplitSayNothing() {
    BackendDevices two = BackendDevices.of("cuda", "llama-bench --list-devices", "Available devices:\n  CUDA0: H200\n  CUDA1: H200\n", true);
    assertEquals("", MarkdownReport.splitLine(List.of(cell("cuda", "layer")), with(Map.of("cuda", two))));
    BackendDevices one = BackendDevices.of("cuda", "llama-bench --list-devices", "Available devices:\n  CUDA0: H200\n", true);
    assertEquals("", MarkdownReport.splitLine(List.of(cell("cuda", "none"), cell("cuda", null)), with(Map.of("cuda", one))));
  }
}
