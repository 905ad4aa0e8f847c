package dev.llamasweep.gguf;

import dev.llamasweep.models.HfModels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamasweep.spec.HfRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files as a hostile cache or header would have them: refused in one sentence, never looped over or hashed forever. */
class HostileModelFilesTest {
  @TempDir Path dir;

  private static byte[] header(int elementType, long count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("GGUF".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(le(4).putInt(3).array());
    out.writeBytes(le(8).putLong(0).array());
    out.writeBytes(le(8).putLong(2).array());
    str(out, "general.architecture");
    out.writeBytes(le(4).putInt(8).array());
    str(out, "llama");
    str(out, "x.big");
    out.writeBytes(le(4).putInt(9).array());
    out.writeBytes(le(4).putInt(elementType).array());
    out.writeBytes(le(8).putLong(count).array());
    out.writeBytes(new byte[4096]);
    return out.toByteArray();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void str(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(le(8).putLong(b.length).array());
    out.writeBytes(b);
  }

  @Test
  void aHeaderDeclaringAGiantArrayIsRefusedAtOnce() throws IOException {
    for (int type : new int[] {8, 4, 9}) {
      Path f = dir.resolve("big" + type + ".gguf");
      Files.write(f, header(type, 1L << 30));
      GgufInfo.NotGguf e = assertThrows(GgufInfo.NotGguf.class, () -> GgufInfo.read(f));
      assertTrue(e.getMessage().contains("declares 1073741824 elements, more than the"), e.getMessage());
    }
    Path negative = dir.resolve("negative.gguf");
    Files.write(negative, header(4, -1L));
    assertThrows(GgufInfo.NotGguf.class, () -> GgufInfo.read(negative));
  }

  @Test
  void aHeaderThatIsADeviceOrAFifoIsNotOpened() throws Exception {
    Path zero = dir.resolve("zero.gguf");
    Files.createSymbolicLink(zero, Path.of("/dev/zero"));
    GgufInfo.NotGguf e = assertThrows(GgufInfo.NotGguf.class, () -> GgufInfo.read(zero));
    assertTrue(e.getMessage().contains("is a FIFO, socket or device, not a model file"), e.getMessage());
    Path fifo = dir.resolve("fifo.gguf");
    new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
    e = assertThrows(GgufInfo.NotGguf.class, () -> GgufInfo.read(fifo));
    assertTrue(e.getMessage().contains("is a FIFO, socket or device"), e.getMessage());
  }

  @Test
  void anHfCacheEntryLinkedToDevZeroIsOneSentenceNotAnEndlessHash() throws IOException {
    String commit = "0123456789abcdef0123456789abcdef01234567";
    Path repo = dir.resolve("models--org--Tiny-GGUF");
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), commit);
    Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(commit));
    Files.createSymbolicLink(snapshot.resolve("tiny-Q8_0.gguf"), Path.of("/dev/zero"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HfModels.cached(HfRef.parse("org/Tiny-GGUF:Q8_0"), dir));
    assertTrue(e.getMessage().contains("tiny-Q8_0.gguf") && e.getMessage().contains("is a FIFO, socket or device"), e.getMessage());
  }
}
