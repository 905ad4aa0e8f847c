package dev.llamasweep.models;

/**
 * Where a model's file came from, recorded beside its header in models.json so a reader knows what was
 * measured: a Hugging Face reference resolved by llama.cpp's downloader (the commit, file, size and content
 * hash), or a catalogue shape with random weights (its published config).
 *
 * @param kind       "hf" or "catalogue"
 * @param reference  "Qwen/Qwen3-8B-GGUF:Q4_K_M" or "qwen3-8b Q4_K_M"
 * @param detail     the repository commit (hf) or the config.json the shape comes from (catalogue)
 * @param sha256From how the hash is known ("the Hugging Face LFS object id of the cached blob", "computed"); null for a catalogue shape
 */
public record ModelOrigin(String kind, String reference, String detail, String file, long bytes, String sha256, String sha256From) {
  public static ModelOrigin of(HfModels.Resolved r) {
    return new ModelOrigin("hf", r.ref().toString(), r.commit(), r.file().toString(), r.bytes(), r.sha256(), r.sha256From());
  }
}
