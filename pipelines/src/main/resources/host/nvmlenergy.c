/*
 * llama-sweep's NVIDIA energy reader: NVML's total-energy counter of every GPU (millijoules since the
 * driver loaded, Volta and newer), read every PERIOD_MS and printed with the wall-clock time, so a cell's
 * energy is a counter difference instead of an integral of nvidia-smi's power.draw (a one-second moving
 * average on Ampere and newer, which a sub-second window under-reads). NVML is loaded at run time from
 * the driver's libnvidia-ml.so.1, so this builds with any C compiler, no CUDA toolkit needed.
 * Usage: nvmlenergy PERIOD_MS   (runs until killed or its output is closed)
 * Output: "t_epoch_s gpu_index energy_mj" lines; "error ..." and exit 1 when NVML or the counter is missing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef int (*init_t)(void);
typedef int (*count_t)(unsigned int *);
typedef int (*handle_t)(unsigned int, void **);
typedef int (*energy_t)(void *, unsigned long long *);

int main(int argc, char **argv) {
  int period = argc > 1 ? atoi(argv[1]) : 100;
  if (period < 1) period = 100;
  void *lib = dlopen("libnvidia-ml.so.1", RTLD_NOW);
  if (!lib) { printf("error no libnvidia-ml.so.1: %s\n", dlerror()); return 1; }
  init_t init = (init_t) dlsym(lib, "nvmlInit_v2");
  count_t count = (count_t) dlsym(lib, "nvmlDeviceGetCount_v2");
  handle_t handle = (handle_t) dlsym(lib, "nvmlDeviceGetHandleByIndex_v2");
  energy_t energy = (energy_t) dlsym(lib, "nvmlDeviceGetTotalEnergyConsumption");
  if (!init || !count || !handle || !energy) { printf("error NVML lacks the total-energy counter\n"); return 1; }
  if (init() != 0) { printf("error nvmlInit failed\n"); return 1; }
  unsigned int n = 0;
  if (count(&n) != 0 || n == 0) { printf("error NVML lists no GPU\n"); return 1; }
  if (n > 64) n = 64;
  void *dev[64];
  for (unsigned int i = 0; i < n; i++) {
    unsigned long long mj;
    if (handle(i, &dev[i]) != 0 || energy(dev[i], &mj) != 0) { printf("error GPU %u has no total-energy counter\n", i); return 1; }
  }
  struct timespec pause = {period / 1000, (long) (period % 1000) * 1000000L};
  for (;;) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    for (unsigned int i = 0; i < n; i++) {
      unsigned long long mj;
      if (energy(dev[i], &mj) == 0 && printf("%.3f %u %llu\n", now.tv_sec + now.tv_nsec * 1e-9, i, mj) < 0) return 0;
    }
    if (fflush(stdout) != 0) return 0;
    nanosleep(&pause, NULL);
  }
}
