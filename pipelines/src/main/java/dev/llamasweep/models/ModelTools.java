package dev.llamasweep.models;

import java.nio.file.Path;

/**
 * What making a model needs of the pinned llama.cpp: the cache models are kept in, its source (the
 * converter and the vocab files) and a build with llama-quantize. {@code build.Toolchain} provides it;
 * models know nothing else of how llama.cpp is built.
 */
public interface ModelTools {
  /** The cache directory (models go under models/). */
  Path cache();

  /** The pinned source directory, whether fetched yet or not. */
  Path source();

  /** The pinned source, fetched first when it is not there yet. */
  Path ensureSource();

  /** The bin directory of a build that holds llama-quantize, built first when needed. */
  Path modelToolsBin();
}
