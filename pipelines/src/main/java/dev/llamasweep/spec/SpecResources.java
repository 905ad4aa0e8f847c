package dev.llamasweep.spec;

import dev.llamasweep.spec.Spec.Backend;
import dev.llamasweep.spec.Spec.Experiment;
import dev.llamasweep.spec.Spec.HostMemory;
import dev.llamasweep.spec.Spec.Location;
import dev.llamasweep.spec.Spec.Model;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;


/**
 * A spec's models and backends sections: each model's source (a file, a synthetic kind and quant, an
 * hf: reference) and each backend's binaries or build (kind, CPU features, CMake options, llama.cpp
 * version), checked where they stand with {@link SpecLoader}'s located sentences.
 */
final class SpecResources {
  private final SpecLoader loader;

  SpecResources(SpecLoader loader) {
    this.loader = loader;
  }

  Map<String, Model> models(Node n) {
    Map<String, Model> out = new LinkedHashMap<>();
    if (n.map().isEmpty()) throw n.error("defines no models; add at least one.");
    SpecLoader.refuseCaseTwins(n.map(), "model");
    for (Map.Entry<String, Node> e : n.map().entrySet()) {
      String name = e.getKey();
      Node v = e.getValue();
      // any printable name: it is shown, escaped, in every report; it names no file
      if (name.isBlank() || !name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
        throw v.keyError("is not a usable model name; use printable text without leading or trailing spaces.");
      }
      Map<String, Node> m = v.map();
      SpecLoader.checkKeys(m, Set.of("path", "synthetic", "quant", "hf", "perturb", "acceptance"), "model '" + name + "'");
      for (String k : List.of("perturb", "acceptance")) {
        if (m.containsKey(k) && !(m.containsKey("synthetic") && m.get("synthetic").isScalar() && "target".equals(m.get("synthetic").string()))) {
          throw m.get(k).keyError("only applies to 'synthetic: target' (how far its later layers pull its tokens away from the synthetic draft's).");
        }
      }
      if (m.containsKey("perturb") && m.containsKey("acceptance")) {
        throw m.get("acceptance").keyError("and 'perturb' say the same thing two ways; give one.");
      }
      if ((m.containsKey("path") ? 1 : 0) + (m.containsKey("synthetic") ? 1 : 0) + (m.containsKey("hf") ? 1 : 0) != 1) {
        throw v.error("needs exactly one of 'path' (a GGUF file), 'synthetic' (target, draft, moe, gqa, a catalogue model such as qwen3-8b, or "
            + "{like: <GGUF file>}) or 'hf' (a Hugging Face repository as llama.cpp's -hf takes it, user/repo[:quant]).");
      }
      if (m.containsKey("hf")) {
        Node h = m.get("hf");
        if (m.containsKey("quant")) throw m.get("quant").keyError("does not apply to 'hf': give the quantisation after the repository, as in Qwen/Qwen3-8B-GGUF:Q4_K_M.");
        HfRef ref = HfRef.parse(h.string());
        if (ref == null) throw h.error("must be a Hugging Face repository as llama.cpp's -hf takes it, user/repo or user/repo:quant (Qwen/Qwen3-8B-GGUF:Q4_K_M), not '" + h.string() + "'.");
        out.put(name, new Model(name, null, null, null, Location.of(h), null, ref));
        continue;
      }
      if (m.containsKey("path")) {
        if (m.containsKey("quant")) throw m.get("quant").keyError("only applies to synthetic models; a file's quantisation is in the file.");
        Node p = m.get("path");
        out.put(name, new Model(name, loader.resolve(p.string()), null, null, Location.of(p)));
      } else {
        Node s = m.get("synthetic");
        if (s.isMap()) {
          SpecLoader.checkKeys(s.map(), Set.of("like"), "synthetic model '" + name + "'");
          if (!s.map().containsKey("like")) throw s.error("needs 'like: <a GGUF file or header-only copy>' to take the model's shape from.");
          if (m.containsKey("quant")) throw m.get("quant").keyError("does not apply to 'like': the types come from the header.");
          Node like = s.map().get("like");
          out.put(name, new Model(name, null, "like", null, Location.of(like), loader.resolve(like.string()), null));
          continue;
        }
        String kind = s.string();
        boolean catalogued = dev.llamasweep.catalogue.Catalogue.of(kind) != null;
        if (!SpecLoader.SYNTHETIC.contains(kind) && !catalogued) {
          throw s.error("must be one of " + SpecLoader.SYNTHETIC.stream().sorted().toList() + ", a model of the catalogue " + dev.llamasweep.catalogue.Catalogue.ids()
              + " or {like: <GGUF file>}, not '" + kind + "'.");
        }
        // llama-quantize's type names, in any case of ASCII letters: "q4_k_m" is Q4_K_M, "q4_k_ſ" is nothing
        // (String.toUpperCase would fold the long s into an S)
        String written = m.containsKey("quant") ? m.get("quant").string() : null;
        if (written != null && !written.matches("[A-Za-z0-9_]+")) {
          throw m.get("quant").error("must be a llama-quantize type such as Q4_K_M or Q8_0 (ASCII letters, digits and '_'), not '" + written + "'.");
        }
        String quant = written != null ? written.toUpperCase(java.util.Locale.ROOT) : SpecLoader.DIRECT.contains(kind) ? "Q4_0" : "Q4_K_M";
        if (!catalogued && !SpecLoader.DIRECT.contains(kind) && !SpecLoader.QUANTIZED.contains(quant)) {
          throw m.get("quant").error("must be one of llama-quantize's types " + SpecLoader.QUANTIZED + " for the synthetic '" + kind + "' model, not '" + written + "'.");
        }
        if (catalogued && !dev.llamasweep.catalogue.Catalogue.QUANTS.contains(quant)) {
          throw (m.containsKey("quant") ? m.get("quant") : s).error("must be one of llama-quantize's types " + dev.llamasweep.catalogue.Catalogue.QUANTS
              + " for the catalogue's '" + kind + "', not '" + quant + "'.");
        }
        if (SpecLoader.DIRECT.contains(kind) && !quant.equals("Q4_0")) throw m.get("quant").error("must be Q4_0 for the '" + kind + "' model, which is written as Q4_0 directly, not '" + quant + "'.");
        if (m.containsKey("perturb")) {
          double eps = m.get("perturb").number();
          if (!(eps >= 0 && eps <= AcceptanceCalibration.MAX_PERTURBATION)) {
            throw m.get("perturb").error("must be from 0 (the target that agrees with its draft) to " + (long) AcceptanceCalibration.MAX_PERTURBATION
                + " (its later layers' output projections at that many times their usual scale), not " + m.get("perturb").string() + ".");
          }
          kind = AcceptanceCalibration.kindFor(eps);
        } else if (m.containsKey("acceptance")) {
          double a = m.get("acceptance").number();
          if (!(a >= AcceptanceCalibration.LOWEST && a <= 1)) {
            throw m.get("acceptance").error("must be from " + AcceptanceCalibration.LOWEST + " (the lowest calibrated) to 1, not " + m.get("acceptance").string() + ".");
          }
          kind = AcceptanceCalibration.kindFor(AcceptanceCalibration.perturbationFor(a));
        }
        out.put(name, new Model(name, null, kind, quant, Location.of(s)));
      }
    }
    return out;
  }

  Map<String, Backend> backends(Node n) {
    Map<String, Backend> out = new LinkedHashMap<>();
    if (n.map().isEmpty()) throw n.error("defines no backends; add at least one.");
    SpecLoader.refuseCaseTwins(n.map(), "backend");
    for (Map.Entry<String, Node> e : n.map().entrySet()) {
      String name = e.getKey();
      Node v = e.getValue();
      if (!SpecLoader.NAME.matcher(name).matches()) throw v.keyError("is not a usable backend name; use letters, digits, '.', '_' or '-'.");
      Map<String, Node> m = v.map();
      SpecLoader.checkKeys(m, Set.of("bin", "build", "gpu_layers", "threads", "env", "args", "cpu_features", "cmake", "llama_cpp", "rpc"), "backend '" + name + "'");
      if (m.containsKey("bin") == m.containsKey("build")) {
        throw v.error("needs exactly one of 'bin' (a directory holding llama-bench) or 'build: cpu' (built from the pinned llama.cpp source).");
      }
      Path bin = null;
      String build = null;
      Location loc;
      if (m.containsKey("bin")) {
        bin = loader.resolve(m.get("bin").string());
        loc = Location.of(m.get("bin"));
      } else {
        build = m.get("build").string();
        if (!List.of("cpu", "vulkan", "cuda", "rocm").contains(build)) {
          throw m.get("build").error("must be 'cpu', 'vulkan', 'cuda' or 'rocm' (the builds the toolchain makes from the pinned source), not '" + build + "'.");
        }
        loc = Location.of(m.get("build"));
      }
      Map<Axis, Object> settings = new EnumMap<>(Axis.class);
      for (Axis a : List.of(Axis.GPU_LAYERS, Axis.THREADS)) {
        if (m.containsKey(a.key)) settings.put(a, a.parse(m.get(a.key)));
      }
      Map<String, String> env = new TreeMap<>();
      if (m.containsKey("env")) {
        for (Map.Entry<String, Node> ev : m.get("env").map().entrySet()) {
          if (!ev.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) throw ev.getValue().keyError("is not a valid environment variable name.");
          env.put(ev.getKey(), ev.getValue().string());
        }
      }
      List<String> args = new ArrayList<>();
      if (m.containsKey("args")) {
        for (Node a : m.get("args").list()) args.add(a.string());
      }
      Spec.Rpc rpc = m.containsKey("rpc") ? rpc(m.get("rpc"), settings, m) : null;
      BuildOptions options = buildOptions(m, build);  // every pinned build has the RPC backend and ggml-rpc-server
      LlamaCppVersion version = null;
      Location versionLocation = null;
      if (m.containsKey("llama_cpp")) {
        Node vn = m.get("llama_cpp");
        if (build == null) {
          throw vn.keyError("applies to a backend built here ('build: cpu', …); a 'bin:' backend is whatever version its binaries are.");
        }
        version = LlamaCppVersion.parse(vn.string()).orElseThrow(() -> vn.error("is not a llama.cpp version; name a node-llama-cpp "
            + "package version (3.22.1, as npm lists them: npm view node-llama-cpp versions) or the llama.cpp release tag it ships "
            + "(b8390, v0.5.0); each number has at most 6 digits and no leading zero."));
        versionLocation = Location.of(vn);
        if (rpc != null) {
          throw vn.keyError("cannot be combined with 'rpc:': rpc-servers run with the pinned build (or a 'bin:' backend's own), "
              + "and an older release's RPC protocol need not match them.");
        }
      }
      out.put(name, new Backend(name, bin, build, settings, env, List.copyOf(args), loc, options, version, versionLocation, rpc));
    }
    return out;
  }

  private static final java.util.regex.Pattern ENDPOINT = java.util.regex.Pattern.compile("([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\]):(\\d{1,5})");

  /**
   * {@code rpc: {local: 2}} (the harness starts two rpc-servers on loopback for each cell) or
   * {@code rpc: [10.0.0.2:50052, 10.0.0.3:50052]} (servers someone runs). Either way the layers the backend
   * offloads go to them, so a backend that offloads none is a mistake.
   */
  private static Spec.Rpc rpc(Node n, Map<Axis, Object> settings, Map<String, Node> backend) {
    Object ngl = settings.get(Axis.GPU_LAYERS);
    if (ngl instanceof Number num && num.longValue() == 0) {
      throw backend.get("gpu_layers").error("is 0, so no layer would run on the rpc-servers; set gpu_layers to the layers to offload "
          + "(99 puts every layer on them) or drop 'rpc:'.");
    }
    if (n.isMap()) {
      SpecLoader.checkKeys(n.map(), Set.of("local"), "rpc");
      Node local = n.map().get("local");
      if (local == null) throw n.error("needs 'local: N' (N rpc-servers started here on loopback) or a list of host:port endpoints.");
      if (!local.isInt() || local.integer() < 1 || local.integer() > Spec.Rpc.MAX) {
        throw local.error("must be a whole number of rpc-servers from 1 to " + Spec.Rpc.MAX + " (LLAMA_MAX_DEVICES), not " + local.string() + ".");
      }
      return new Spec.Rpc((int) local.integer(), List.of(), Location.of(n));
    }
    List<Node> list = n.listOrSingle();
    if (list.isEmpty() || list.size() > Spec.Rpc.MAX) {
      throw n.error("must name 1 to " + Spec.Rpc.MAX + " rpc-server endpoints (host:port), not " + list.size() + ".");
    }
    List<String> endpoints = new ArrayList<>();
    for (Node e : list) {
      String text = e.string();
      java.util.regex.Matcher mt = ENDPOINT.matcher(text);
      if (!mt.matches() || Integer.parseInt(mt.group(2)) < 1 || Integer.parseInt(mt.group(2)) > 65535) {
        throw e.error("is not an rpc-server endpoint; write host:port with a port from 1 to 65535 (e.g. 192.168.1.10:50052), not '" + text + "'.");
      }
      if (endpoints.contains(text)) throw e.error("names the endpoint " + text + " twice; each rpc-server is one device list, used once.");
      endpoints.add(text);
    }
    return new Spec.Rpc(0, endpoints, Location.of(n));
  }

  /**
   * {@code cpu_features: {amx: off}} and {@code cmake: [-DGGML_BLAS=ON]}: options of a build made here,
   * so they need {@code build:}; a feature may be "on" (the default: what the CPU has) or "off".
   */
  private static BuildOptions buildOptions(Map<String, Node> m, String build) {
    java.util.EnumSet<CpuFeature> off = java.util.EnumSet.noneOf(CpuFeature.class);
    java.util.EnumSet<CpuFeature> on = java.util.EnumSet.noneOf(CpuFeature.class);
    List<String> cmake = new ArrayList<>();
    for (String key : List.of("cpu_features", "cmake")) {
      if (m.containsKey(key) && build == null) {
        throw m.get(key).keyError("applies to a backend built here ('build: cpu', …); a 'bin:' backend was built elsewhere with its own options.");
      }
    }
    if (m.containsKey("cpu_features")) {
      for (Map.Entry<String, Node> f : m.get("cpu_features").map().entrySet()) {
        CpuFeature feature = CpuFeature.byKey(f.getKey()).orElseThrow(() -> f.getValue().keyError(
            CpuFeature.byKey(f.getKey().toLowerCase(java.util.Locale.ROOT)).isPresent()
                ? "must be written in lower case, as " + f.getKey().toLowerCase(java.util.Locale.ROOT) + "; feature names are exact."
                : "is not a CPU feature llama-sweep can turn off; expected one of " + CpuFeature.keys() + "."));
        String state = f.getValue().string();
        if (state.equals("off")) off.add(feature);
        else if (state.equals("on")) on.add(feature);
        else throw f.getValue().error("must be 'on' (what the CPU has, the default) or 'off', not '" + state + "'.");
      }
    }
    if (m.containsKey("cmake")) {
      for (Node o : m.get("cmake").list()) {
        String opt = o.string();
        if (!opt.matches("-D[A-Za-z_][A-Za-z0-9_]*(:[A-Z]+)?=.*")) {
          throw o.error("is not a CMake cache option; write it as -DNAME=VALUE (e.g. -DGGML_BLAS=ON).");
        }
        if (opt.matches("-D(CMAKE_C_FLAGS|CMAKE_CXX_FLAGS|CMAKE_BUILD_TYPE|LLAMA_BUILD_COMMIT)(:[A-Z]+)?=.*")) {
          throw o.error("is set by llama-sweep itself; turn CPU features off with 'cpu_features:' instead.");
        }
        cmake.add(opt);
      }
    }
    return new BuildOptions(off, cmake, on);
  }
}
