package dev.llamasweep.llamacpp;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The few commands of llama.cpp's RPC protocol (ggml/src/ggml-rpc/ggml-rpc.cpp, protocol 6) that tell
 * what an rpc-server is and how far away it is, spoken over plain TCP as llama.cpp's own client does:
 * a command byte, a little-endian u64 payload size and the payload; each answer a u64 size and its bytes.
 * HELLO must come first (24 bytes of connection capabilities, all zero: plain TCP, no RDMA). An
 * rpc-server serves one client at a time, so a probe closes before llama-bench connects.
 */
public final class RpcClient implements AutoCloseable {
  static final int CMD_GET_DEVICE_MEMORY = 11;
  static final int CMD_HELLO = 14;
  static final int CMD_DEVICE_COUNT = 15;
  static final int CONN_CAPS_SIZE = 24;
  /** The protocol major version this client speaks (RPC_PROTO_MAJOR_VERSION of the pinned llama.cpp). */
  public static final int PROTOCOL_MAJOR = 6;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  /** "6.0.0": what the server answered to HELLO. */
  private final String version;

  /** What an rpc-server said about one of its devices. */
  public record DeviceMemory(long free, long total) {}

  /** A server that is not llama.cpp's rpc-server of a protocol this client speaks. */
  public static final class NotAnRpcServer extends IOException {
    NotAnRpcServer(String why) {
      super(why);
    }
  }

  /**
   * Connects and says HELLO; throws {@link java.net.ConnectException} while nothing listens and
   * {@link NotAnRpcServer} when what answers speaks another protocol version.
   */
  public RpcClient(String host, int port, int timeoutMillis) throws IOException {
    socket = new Socket();
    try {
      socket.setTcpNoDelay(true);  // as llama.cpp's own client: each command is one small write
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      out = socket.getOutputStream();
      in = new DataInputStream(socket.getInputStream());
      byte[] rsp = call(CMD_HELLO, new byte[CONN_CAPS_SIZE], 4 + CONN_CAPS_SIZE);
      int major = rsp[0] & 0xff;
      version = major + "." + (rsp[1] & 0xff) + "." + (rsp[2] & 0xff);
      if (major != PROTOCOL_MAJOR) throw new NotAnRpcServer("speaks RPC protocol " + version + ", not " + PROTOCOL_MAJOR + ".x");
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  public String version() {
    return version;
  }

  public int deviceCount() throws IOException {
    return (int) (le(call(CMD_DEVICE_COUNT, new byte[0], 4)).getInt() & 0xffffffffL);
  }

  public DeviceMemory deviceMemory(int device) throws IOException {
    ByteBuffer rsp = le(call(CMD_GET_DEVICE_MEMORY, le(ByteBuffer.allocate(4)).putInt(device).array(), 16));
    return new DeviceMemory(rsp.getLong(), rsp.getLong());
  }

  /** One command answered: the network's round trip plus the server's least work (it counts its devices). */
  public long roundTripNanos() throws IOException {
    long t0 = System.nanoTime();
    deviceCount();
    return System.nanoTime() - t0;
  }

  private byte[] call(int cmd, byte[] payload, int expected) throws IOException {
    ByteBuffer head = le(ByteBuffer.allocate(1 + 8 + payload.length));
    head.put((byte) cmd).putLong(payload.length).put(payload);
    out.write(head.array());
    out.flush();
    byte[] size = new byte[8];
    in.readFully(size);
    long n = le(ByteBuffer.wrap(size)).getLong();
    if (n != expected) throw new NotAnRpcServer("answered command " + cmd + " with " + n + " bytes, not " + expected);
    byte[] body = new byte[expected];
    in.readFully(body);
    return body;
  }

  private static ByteBuffer le(ByteBuffer b) {
    return b.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer le(byte[] b) {
    return le(ByteBuffer.wrap(b));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
