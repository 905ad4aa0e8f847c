package dev.llamasweep.load;

import dev.llamasweep.llamacpp.ServerStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A closed-loop load generator for one streaming endpoint, written on the JDK's HTTP client: a round sends
 * N identical POSTs at once and waits for all N streams to end, each line stamped with the monotonic clock
 * the moment it arrives (the way vLLM's benchmark_serving and llama-benchy time a stream). Bounded by a
 * deadline; a stream that is still open at it is stalled, a connection that breaks is dropped, and both end
 * the round with one sentence naming the request — what did arrive is kept, never passed off as a result.
 */
public final class LoadGenerator {
  private final HttpClient http;
  private final URI uri;
  private final String body;
  private final LongSupplier clockNs;

  /**
   * @param uri the endpoint, e.g. http://127.0.0.1:PORT/completion
   * @param body the JSON every request posts
   * @param clockNs the monotonic clock lines are stamped with (System::nanoTime)
   */
  public LoadGenerator(URI uri, String body, LongSupplier clockNs) {
    // HTTP/1.1: llama-server speaks nothing else, and an h2c upgrade attempt would cost a round trip
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    this.uri = uri;
    this.body = body;
    this.clockNs = clockNs;
  }

  /** A round that did not end well: why, in one sentence, with the requests as far as they got. */
  public static final class Failed extends Exception {
    private final boolean stalled;
    private final transient List<ServerStream.Recorded> partial;

    Failed(String sentence, boolean stalled, List<ServerStream.Recorded> partial) {
      super(sentence);
      this.stalled = stalled;
      this.partial = List.copyOf(partial);
    }

    /** True when a stream was still open at the deadline (a hang), false when a connection broke. */
    public boolean stalled() {
      return stalled;
    }

    public List<ServerStream.Recorded> partial() {
      return partial;
    }
  }

  /** Collects a body's lines as they arrive, each with its arrival time. */
  private static final class Lines implements Flow.Subscriber<String> {
    final List<ServerStream.Line> lines = Collections.synchronizedList(new ArrayList<>());
    private final LongSupplier clock;
    volatile Flow.Subscription subscription;

    Lines(LongSupplier clock) {
      this.clock = clock;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      lines.add(new ServerStream.Line(clock.getAsLong(), line));
    }

    @Override
    public void onError(Throwable t) {
      // the response's future carries it
    }

    @Override
    public void onComplete() {
      // the response's future carries it
    }

    List<ServerStream.Line> snapshot() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }
  }

  /**
   * Sends one round of {@code n} requests at once and waits for every stream to end, at most until
   * {@code deadlineNs} on the generator's clock.
   *
   * @return each request as sent and answered, in request order
   */
  public List<ServerStream.Recorded> round(int round, int n, long deadlineNs) throws Failed, InterruptedException {
    List<Lines> collectors = new ArrayList<>();
    List<HttpRequest> requests = new ArrayList<>();
    long left = Math.max(1, deadlineNs - clockNs.getAsLong());
    for (int i = 0; i < n; i++) {
      collectors.add(new Lines(clockNs));
      requests.add(HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(left)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }
    long[] sent = new long[n];
    List<CompletableFuture<HttpResponse<Void>>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent[i] = clockNs.getAsLong();
      futures.add(http.sendAsync(requests.get(i), HttpResponse.BodyHandlers.fromLineSubscriber(collectors.get(i))));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
    try {
      all.get(Math.max(1, deadlineNs - clockNs.getAsLong()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      int open = (int) futures.stream().filter(f -> !f.isDone()).count();
      int i = firstOpen(futures);
      futures.forEach(f -> f.cancel(true));
      throw new Failed("round " + round + ": " + open + " of " + n + " streams were still open at the time limit (request " + i + " had sent "
          + events(collectors.get(i)) + " events): the server stalled", true, recorded(round, sent, futures, collectors));
    } catch (ExecutionException e) {
      // not every stream has ended: the failed one is named, the others are waited for briefly so their lines are kept
      try {
        all.get(Math.min(2_000_000_000L, Math.max(1, deadlineNs - clockNs.getAsLong())), TimeUnit.NANOSECONDS);
      } catch (ExecutionException | TimeoutException ignored) {
        futures.forEach(f -> f.cancel(true));
      }
      int i = firstFailed(futures);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new Failed("round " + round + ": the connection of request " + i + " broke after " + events(collectors.get(i)) + " events ("
          + describe(cause) + "): the server dropped it", false, recorded(round, sent, futures, collectors));
    }
    return recorded(round, sent, futures, collectors);
  }

  private static int events(Lines l) {
    return (int) l.snapshot().stream().filter(x -> x.text().startsWith("data: ")).count();
  }

  private static int firstOpen(List<CompletableFuture<HttpResponse<Void>>> fs) {
    for (int i = 0; i < fs.size(); i++) if (!fs.get(i).isDone()) return i;
    return 0;
  }

  private static int firstFailed(List<CompletableFuture<HttpResponse<Void>>> fs) {
    for (int i = 0; i < fs.size(); i++) if (fs.get(i).isCompletedExceptionally()) return i;
    return 0;
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t instanceof IOException && m != null && !m.isBlank() ? m : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static List<ServerStream.Recorded> recorded(int round, long[] sent, List<CompletableFuture<HttpResponse<Void>>> futures, List<Lines> collectors) {
    List<ServerStream.Recorded> out = new ArrayList<>();
    for (int i = 0; i < sent.length; i++) {
      CompletableFuture<HttpResponse<Void>> f = futures.get(i);
      int status = f.isDone() && !f.isCompletedExceptionally() ? f.join().statusCode() : 0;
      out.add(new ServerStream.Recorded(round, i, sent[i], status, collectors.get(i).snapshot()));
    }
    return out;
  }
}
