/*
 * llama-sweep's memory-bandwidth probe: what system memory actually delivers to all cores.
 * STREAM-style: "read" sums one array (what token generation mostly does), "triad" computes
 * a[i] = b[i] + s * c[i] (STREAM's convention: 3 × 8 bytes per element, write-allocate not counted).
 * Each thread owns and first-touches a slice; every run is timed between two barriers; the best
 * run of each kernel is reported, as STREAM does. Usage: membw THREADS ARRAY_BYTES RUNS [SIZE ...]
 *
 * Each SIZE (bytes) then measures a read the size of one weight matrix, as token generation does one
 * matrix at a time: the read array is cut into buffers of that size and the threads read one buffer
 * together, then the next, rotating through all of them (the array is at least 4x the last-level
 * cache, so no buffer is still cached when its turn comes back); each read is timed between two
 * barriers and the rate is total bytes over total time.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef double v4 __attribute__((vector_size(32)));

static int threads, runs;
static size_t n;             /* doubles per array */
static double *a, *b, *c;
static pthread_barrier_t barrier;
static double t_start, read_s[1000], triad_s[1000];
#define MAX_SIZES 16
static int n_sizes;
static size_t sizes[MAX_SIZES], size_reads[MAX_SIZES];
static double size_s[MAX_SIZES];
static volatile double sink[256];

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *worker(void *arg) {
  int id = (int)(intptr_t) arg;
  size_t per = (n / threads) & ~(size_t) 15, lo = per * id, hi = lo + per;
  for (size_t i = lo; i < hi; i++) { a[i] = 1.0; b[i] = 2.0; c[i] = 0.5; }
  for (int r = 0; r < runs; r++) {
    pthread_barrier_wait(&barrier);
    if (id == 0) t_start = now();
    v4 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
    const v4 *p = (const v4 *) (b + lo);
    for (size_t i = 0; i < per / 4; i += 4) { s0 += p[i]; s1 += p[i + 1]; s2 += p[i + 2]; s3 += p[i + 3]; }
    v4 s = s0 + s1 + s2 + s3;
    sink[id] = s[0] + s[1] + s[2] + s[3];
    pthread_barrier_wait(&barrier);
    if (id == 0) read_s[r] = now() - t_start;
    pthread_barrier_wait(&barrier);
    if (id == 0) t_start = now();
    for (size_t i = lo; i < hi; i++) a[i] = b[i] + 3.0 * c[i];
    pthread_barrier_wait(&barrier);
    if (id == 0) triad_s[r] = now() - t_start;
  }
  for (int si = 0; si < n_sizes; si++) {
    size_t per_buf = sizes[si] / sizeof(double), bufs = n / per_buf, mine = (per_buf / threads) & ~(size_t) 15;
    for (size_t i = 0; i < size_reads[si]; i++) {
      const v4 *p = (const v4 *) (b + (i % bufs) * per_buf + mine * id);
      pthread_barrier_wait(&barrier);
      if (id == 0) t_start = now();
      v4 s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
      for (size_t j = 0; j < mine / 4; j += 4) { s0 += p[j]; s1 += p[j + 1]; s2 += p[j + 2]; s3 += p[j + 3]; }
      v4 s = s0 + s1 + s2 + s3;
      sink[id] += s[0] + s[1] + s[2] + s[3];
      pthread_barrier_wait(&barrier);
      if (id == 0) size_s[si] += now() - t_start;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 4 + MAX_SIZES) { fprintf(stderr, "usage: membw THREADS ARRAY_BYTES RUNS [SIZE ...]\n"); return 2; }
  threads = atoi(argv[1]);
  size_t bytes = strtoull(argv[2], NULL, 10);
  runs = atoi(argv[3]);
  if (threads < 1 || threads > 256 || runs < 1 || runs > 1000 || bytes < (1u << 20)) { fprintf(stderr, "membw: bad arguments\n"); return 2; }
  n = bytes / sizeof(double);
  for (int i = 4; i < argc; i++) {
    size_t sz = strtoull(argv[i], NULL, 10);
    if (sz < (64u << 10) || sz * 2 > bytes) { fprintf(stderr, "membw: size %zu must be at least 64 KiB and at most half the array\n", sz); return 2; }
    sizes[n_sizes] = sz;
    /* every buffer read at least 3 times round, and at least 64 reads */
    size_t bufs = bytes / sz;
    size_reads[n_sizes] = bufs * 3 < 64 ? 64 : bufs * 3;
    n_sizes++;
  }
  if (posix_memalign((void **) &a, 64, n * 8) || posix_memalign((void **) &b, 64, n * 8) || posix_memalign((void **) &c, 64, n * 8)) {
    fprintf(stderr, "membw: cannot allocate 3 arrays of %zu bytes\n", bytes);
    return 1;
  }
  pthread_barrier_init(&barrier, NULL, threads);
  pthread_t t[256];
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, (void *)(intptr_t) i);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  size_t used = ((n / threads) & ~(size_t) 15) * threads;
  double best_read = 1e30, best_triad = 1e30;
  printf("membw 1 threads %d array_bytes %zu runs %d\n", threads, used * 8, runs);
  for (int r = 0; r < runs; r++) {
    printf("run %d read %.3f GB/s triad %.3f GB/s\n", r + 1, used * 8.0 / read_s[r] / 1e9, used * 24.0 / triad_s[r] / 1e9);
    if (read_s[r] < best_read) best_read = read_s[r];
    if (triad_s[r] < best_triad) best_triad = triad_s[r];
  }
  printf("best read %.3f GB/s\n", used * 8.0 / best_read / 1e9);
  printf("best triad %.3f GB/s\n", used * 24.0 / best_triad / 1e9);
  for (int si = 0; si < n_sizes; si++) {
    size_t mine = ((sizes[si] / sizeof(double)) / threads) & ~(size_t) 15, read = mine * threads * sizeof(double);
    printf("size %zu read %.3f GB/s reads %zu of %zu buffers\n", sizes[si], read * (double) size_reads[si] / size_s[si] / 1e9, size_reads[si],
           bytes / sizes[si]);
  }
  return 0;
}
