/*
 * A fake libnvidia-ml.so.1 for the tests and benchmarks: the real JNI binding dlopen()s it, so the
 * tests drive the same native path a GPU machine does. Signatures, struct layouts and return codes
 * follow nvml.h (NVML_API_VERSION 13, as vendored by NVIDIA/go-nvml; docs/nvml.md lists them).
 *
 * Built twice by the Maven test phase:
 *   full   - every symbol the binding looks up, versioned (_v2, _v3) and legacy;
 *   legacy - (-DFAKE_LEGACY) only the unversioned v1 entry points of init, count, handle, memory and
 *            compute processes, plus UUID, name and utilization: the optional functions are missing.
 *
 * Script: a file "fake-nvml.conf" next to the loaded library (or $FAKE_NVML_CONF), read at each
 * nvmlInit; "key = value" lines, '#' comments. Without it: one device with the defaults below.
 *
 *   init = NO_PERMISSION             what nvmlInit returns (an error name, or SUCCESS)
 *   count = 2                        devices (at most 64)
 *   driver = 550.54.15               nvmlSystemGetDriverVersion
 *   gpu.N.KEY / gpu.*.KEY            per device N, or every device
 *     handle = NO_PERMISSION         what nvmlDeviceGetHandleByIndex returns for it
 *     uuid, name                     strings
 *     util, memutil, memused, memtotal, power, energy, temp, smclock, mig
 *                                    values per call: "40, 60, NOT_SUPPORTED" answers 40 on the
 *                                    first call, 60 on the second, NOT_SUPPORTED on the third and
 *                                    after (the last entry repeats). An entry is a number or an
 *                                    NVML error name (NOT_SUPPORTED, GPU_IS_LOST, UNKNOWN, ...).
 *     lost_after = K                 after K utilization calls every call on the device answers
 *                                    GPU_IS_LOST
 *     processes = PID:SM:MEM:BYTES ...  compute processes with their utilization ("self" = this
 *                                    process's pid; SM or MEM "-" = no utilization sample)
 *     procutil_rc, procs_rc          an error name answered by nvmlDeviceGetProcessUtilization /
 *                                    nvmlDeviceGetComputeRunningProcesses instead of the lists
 *     racy = K                       the first K calls with a buffer answer INSUFFICIENT_SIZE with a
 *                                    count beyond it, as if processes started meanwhile
 *     gpm = 1                        the device supports GPM (nvmlGpmQueryDeviceSupport); default 0
 *     gpm_rc = UNKNOWN               what nvmlGpmQueryDeviceSupport answers instead
 *     gpmsample = 0, 0, UNKNOWN      what each nvmlGpmSampleGet call answers (a number = SUCCESS)
 *     smact, smocc, tensor, fp16, fp32, fp64
 *                                    GPM metric values in percent (decimals allowed) per interval:
 *                                    the interval that ends at nvmlGpmSampleGet call k (from 1)
 *                                    reads entry k - 2; an error name fails that metric
 *     migs = GI:CI:MEMTOTAL:MEMUSED:SMACT:TENSOR ...
 *                                    MIG devices (up to 7): nvmlDeviceGetMaxMigDeviceCount answers 7,
 *                                    indices past the list answer NOT_FOUND; each MIG handle answers
 *                                    UUID, name, memory, GPU/compute instance ids, and NOT_SUPPORTED
 *                                    for utilization, power, energy, temperature and clocks;
 *                                    nvmlGpmMigSampleGet(GI) answers SMACT and TENSOR (percent),
 *                                    SM occupancy half of SMACT, and NOT_SUPPORTED for the pipes
 *     processes = PID:SM:MEM:BYTES:GI:CI ...  GI and CI optional: the process's MIG instance
 *
 * Opening a session takes one reading of every device to learn what it supports, so it answers
 * the first entry of each list; the first reading the test sees is the second entry.
 *
 * Defaults: util 40, memutil 20, memused 32 GiB, memtotal 80 GiB, power 300000 mW, energy starting
 * at 1000000 mJ and growing 300000 mJ a call, temp 55, smclock 1980, mig 0, no processes.
 * Not thread-safe (nor needs to be: the binding serializes its calls).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

typedef int nvmlReturn_t;
typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; } nvmlProcessInfo_v1_t;
typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId, computeInstanceId;
} nvmlProcessInfo_t;
typedef struct nvmlGpmSample_st *nvmlGpmSample_t;
typedef struct {
  unsigned int metricId;
  nvmlReturn_t nvmlReturn;
  double value;
  struct { char *shortName; char *longName; char *unit; } metricInfo;
} nvmlGpmMetric_t;
#define GPM_METRIC_MAX 333
typedef struct {
  unsigned int version;
  unsigned int numMetrics;
  nvmlGpmSample_t sample1, sample2;
  nvmlGpmMetric_t metrics[GPM_METRIC_MAX];
} nvmlGpmMetricsGet_t;
typedef struct { unsigned int version; unsigned int isSupportedDevice; } nvmlGpmSupport_t;
typedef struct {
  unsigned int pid;
  unsigned long long timeStamp;
  unsigned int smUtil, memUtil, encUtil, decUtil;
} nvmlProcessUtilizationSample_t;

enum {
  SUCCESS = 0, UNINITIALIZED = 1, INVALID_ARGUMENT = 2, NOT_SUPPORTED = 3, NO_PERMISSION = 4, NOT_FOUND = 6,
  INSUFFICIENT_SIZE = 7, DRIVER_NOT_LOADED = 9, IN_USE_RC = 19, MEMORY = 20, GPU_IS_LOST = 15, ARGUMENT_VERSION_MISMATCH = 25, UNKNOWN = 999
};

static const struct { const char *name; int rc; } ERRORS[] = {
  {"SUCCESS", 0}, {"UNINITIALIZED", 1}, {"INVALID_ARGUMENT", 2}, {"NOT_SUPPORTED", 3}, {"NO_PERMISSION", 4},
  {"ALREADY_INITIALIZED", 5}, {"NOT_FOUND", 6}, {"INSUFFICIENT_SIZE", 7}, {"INSUFFICIENT_POWER", 8},
  {"DRIVER_NOT_LOADED", 9}, {"TIMEOUT", 10}, {"IRQ_ISSUE", 11}, {"LIBRARY_NOT_FOUND", 12},
  {"FUNCTION_NOT_FOUND", 13}, {"CORRUPTED_INFOROM", 14}, {"GPU_IS_LOST", 15}, {"RESET_REQUIRED", 16},
  {"OPERATING_SYSTEM", 17}, {"LIB_RM_VERSION_MISMATCH", 18}, {"IN_USE", 19}, {"MEMORY", 20}, {"NO_DATA", 21},
  {"ARGUMENT_VERSION_MISMATCH", 25}, {"UNKNOWN", 999},
};

#define MAX_GPUS 64
#define MAX_SEQ 32
#define MAX_PROCS 32
#define MAX_LINES 256
#define MAX_MIGS 7

enum { UTIL, MEMUTIL, MEMUSED, MEMTOTAL, POWER, ENERGY, TEMP, SMCLOCK, MIG, GPMSAMPLE, SMACT, SMOCC, TENSOR, FP16,
       FP32, FP64, METRICS };
static const char *METRIC_KEYS[METRICS] = {"util", "memutil", "memused", "memtotal", "power", "energy",
                                           "temp", "smclock", "mig", "gpmsample", "smact", "smocc",
                                           "tensor", "fp16", "fp32", "fp64"};
static const long long METRIC_DEFAULTS[METRICS] = {40, 20, 34359738368LL, 85899345920LL, 300000,
                                                   -1 /* growing */, 55, 1980, 0, 0, 0, 0, 0, 0, 0, 0};
/* GPM defaults, percent: SM activity 35.5, occupancy 20.25, tensor 30, FP16 1.5, FP32 4, FP64 0 */
static const double GPM_DEFAULTS[METRICS] = {[SMACT] = 35.5, [SMOCC] = 20.25, [TENSOR] = 30.0, [FP16] = 1.5,
                                             [FP32] = 4.0, [FP64] = 0.0};
/* NVML_GPM_METRIC_* ids (nvml.h) of the GPM metrics above */
static const struct { unsigned int id; int metric; } GPM_IDS[] __attribute__((unused)) = {
  {2, SMACT}, {3, SMOCC}, {5, TENSOR}, {13, FP16}, {12, FP32}, {11, FP64}};

typedef struct { int n; long long value[MAX_SEQ]; double dvalue[MAX_SEQ]; int rc[MAX_SEQ]; } seq_t;
typedef struct { unsigned int pid; int sm, mem; unsigned long long used; int gi, ci; } proc_t;

struct nvmlDevice_st {
  unsigned int index;
  int handle_rc;
  char uuid[96];
  char name[96];
  seq_t seq[METRICS];
  unsigned long calls[METRICS];
  long lost_after;
  int nprocs;
  proc_t procs[MAX_PROCS];
  int procutil_rc, procs_rc;
  int racy;
  int gpm, gpm_rc;
  struct nvmlDevice_st *parent;  /* MIG devices: their GPU */
  unsigned int gi, ci;           /* MIG devices */
  int nmigs;                     /* GPUs: MIG devices in migs[index] */
};

struct nvmlGpmSample_st {
  struct nvmlDevice_st *device;  /* the GPU, or the MIG device of the GPU instance */
  unsigned long index;           /* which nvmlGpmSampleGet call of that device took it, from 1; 0 = none */
};

static struct nvmlDevice_st gpus[MAX_GPUS];
static struct nvmlDevice_st migs[MAX_GPUS][MAX_MIGS];
static unsigned int gpu_count;
static int init_rc;
static char driver[80];
static char lines[MAX_LINES][2][256];
static int nlines;

/* ---- the script ---- */

static char *trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  char *e = s + strlen(s);
  while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) *--e = '\0';
  return s;
}

static void read_script(void) {
  nlines = 0;
  char path[4096];
  const char *env = getenv("FAKE_NVML_CONF");
  if (env != NULL) {
    snprintf(path, sizeof path, "%s", env);
  } else {
    Dl_info info;
    if (dladdr((void *) read_script, &info) == 0 || info.dli_fname == NULL) return;
    char self[4096];
    snprintf(self, sizeof self, "%s", info.dli_fname);
    snprintf(path, sizeof path, "%s/fake-nvml.conf", dirname(self));
  }
  FILE *f = fopen(path, "r");
  if (f == NULL) return;
  char line[512];
  while (nlines < MAX_LINES && fgets(line, sizeof line, f) != NULL) {
    char *s = trim(line);
    char *eq = strchr(s, '=');
    if (*s == '#' || eq == NULL) continue;
    *eq = '\0';
    snprintf(lines[nlines][0], sizeof lines[nlines][0], "%s", trim(s));
    snprintf(lines[nlines][1], sizeof lines[nlines][1], "%s", trim(eq + 1));
    nlines++;
  }
  fclose(f);
}

static const char *lookup(const char *key) {
  for (int i = nlines - 1; i >= 0; i--) {
    if (strcmp(lines[i][0], key) == 0) return lines[i][1];
  }
  return NULL;
}

/* gpu.N.key, else gpu.*.key */
static const char *device_value(unsigned int index, const char *key) {
  char k[128];
  snprintf(k, sizeof k, "gpu.%u.%s", index, key);
  const char *v = lookup(k);
  if (v != NULL) return v;
  snprintf(k, sizeof k, "gpu.*.%s", key);
  return lookup(k);
}

static int error_code(const char *token) {
  for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
    if (strcmp(ERRORS[i].name, token) == 0) return ERRORS[i].rc;
  }
  return -1;
}

static void parse_seq(const char *text, seq_t *s) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  s->n = 0;
  for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t != NULL && s->n < MAX_SEQ;
       t = strtok_r(NULL, ", ", &save)) {
    int rc = error_code(t);
    s->rc[s->n] = rc >= 0 ? rc : SUCCESS;
    s->value[s->n] = rc >= 0 ? 0 : strtoll(t, NULL, 10);
    s->dvalue[s->n] = rc >= 0 ? 0.0 : strtod(t, NULL);
    s->n++;
  }
}

static int rc_value(unsigned int index, const char *key) {
  const char *v = device_value(index, key);
  int rc = v != NULL ? error_code(v) : SUCCESS;
  return rc >= 0 ? rc : UNKNOWN;
}

static void parse_processes(struct nvmlDevice_st *g, const char *text) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  g->nprocs = 0;
  for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t != NULL && g->nprocs < MAX_PROCS;
       t = strtok_r(NULL, ", ", &save)) {
    char pid[32] = "", sm[16] = "-", mem[16] = "-";
    unsigned long long used = 0;
    int gi = -1, ci = -1;
    if (sscanf(t, "%31[^:]:%15[^:]:%15[^:]:%llu:%d:%d", pid, sm, mem, &used, &gi, &ci) < 1) continue;
    proc_t *p = &g->procs[g->nprocs++];
    p->pid = strcmp(pid, "self") == 0 ? (unsigned int) getpid() : (unsigned int) strtoul(pid, NULL, 10);
    p->sm = strcmp(sm, "-") == 0 ? -1 : atoi(sm);
    p->mem = strcmp(mem, "-") == 0 ? -1 : atoi(mem);
    p->used = used;
    p->gi = gi;
    p->ci = ci;
  }
}

static void constant(seq_t *s, int rc, long long value, double dvalue) {
  s->n = 1;
  s->rc[0] = rc;
  s->value[0] = value;
  s->dvalue[0] = dvalue;
}

/* gpu.N.migs = GI:CI:MEMTOTAL:MEMUSED:SMACT:TENSOR ... */
static void parse_migs(struct nvmlDevice_st *g, const char *text) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  g->nmigs = 0;
  for (char *save = NULL, *t = strtok_r(buf, ", ", &save); t != NULL && g->nmigs < MAX_MIGS;
       t = strtok_r(NULL, ", ", &save)) {
    unsigned int gi = 0, ci = 0;
    long long total = 0, used = 0;
    double smact = 0, tensor = 0;
    if (sscanf(t, "%u:%u:%lld:%lld:%lf:%lf", &gi, &ci, &total, &used, &smact, &tensor) < 4) continue;
    struct nvmlDevice_st *m = &migs[g->index][g->nmigs];
    memset(m, 0, sizeof *m);
    m->index = (unsigned int) g->nmigs;
    m->parent = g;
    m->gi = gi;
    m->ci = ci;
    m->lost_after = -1;
    snprintf(m->uuid, sizeof m->uuid, "MIG-fa4e%04u-0000-0000-0000-%012u", g->index, (unsigned int) g->nmigs);
    snprintf(m->name, sizeof m->name, "MIG GPU instance %u of GPU %u (fake)", gi, g->index);
    for (int k = 0; k < METRICS; k++) constant(&m->seq[k], NOT_SUPPORTED, 0, 0);
    constant(&m->seq[MEMTOTAL], SUCCESS, total, 0);
    constant(&m->seq[MEMUSED], SUCCESS, used, 0);
    m->seq[GPMSAMPLE] = g->seq[GPMSAMPLE];
    constant(&m->seq[SMACT], SUCCESS, 0, smact);
    constant(&m->seq[SMOCC], SUCCESS, 0, smact / 2);
    constant(&m->seq[TENSOR], SUCCESS, 0, tensor);
    m->gpm = g->gpm;
    g->nmigs++;
  }
}

static void configure(void) {
  read_script();
  const char *v = lookup("init");
  init_rc = v != NULL ? error_code(v) : SUCCESS;
  if (init_rc < 0) init_rc = UNKNOWN;
  v = lookup("count");
  gpu_count = v != NULL ? (unsigned int) atoi(v) : 1;
  if (gpu_count > MAX_GPUS) gpu_count = MAX_GPUS;
  v = lookup("driver");
  snprintf(driver, sizeof driver, "%s", v != NULL ? v : "550.54.15-fake");
  memset(gpus, 0, sizeof gpus);
  memset(migs, 0, sizeof migs);
  for (unsigned int i = 0; i < gpu_count; i++) {
    struct nvmlDevice_st *g = &gpus[i];
    g->index = i;
    g->handle_rc = rc_value(i, "handle");
    v = device_value(i, "uuid");
    if (v != NULL) {
      snprintf(g->uuid, sizeof g->uuid, "%s", v);
    } else {
      snprintf(g->uuid, sizeof g->uuid, "GPU-fa4e0000-0000-0000-0000-%012u", i);
    }
    v = device_value(i, "name");
    snprintf(g->name, sizeof g->name, "%s", v != NULL ? v : "NVIDIA H100 80GB HBM3 (fake)");
    for (int m = 0; m < METRICS; m++) {
      v = device_value(i, METRIC_KEYS[m]);
      if (v != NULL) {
        parse_seq(v, &g->seq[m]);
      } else {
        constant(&g->seq[m], SUCCESS, METRIC_DEFAULTS[m], GPM_DEFAULTS[m]);
      }
    }
    v = device_value(i, "lost_after");
    g->lost_after = v != NULL ? atol(v) : -1;
    v = device_value(i, "processes");
    if (v != NULL) parse_processes(g, v);
    g->procutil_rc = rc_value(i, "procutil_rc");
    g->procs_rc = rc_value(i, "procs_rc");
    v = device_value(i, "racy");
    g->racy = v != NULL ? atoi(v) : 0;
    v = device_value(i, "gpm");
    g->gpm = v != NULL ? atoi(v) : 0;
    g->gpm_rc = rc_value(i, "gpm_rc");
    v = device_value(i, "migs");
    if (v != NULL) parse_migs(g, v);
  }
}

/* ---- devices ---- */

static int is_mig(struct nvmlDevice_st *h) {
  for (unsigned int i = 0; i < gpu_count; i++) {
    if (h >= migs[i] && h < migs[i] + gpus[i].nmigs) return 1;
  }
  return 0;
}

/* A GPU or a MIG device handed out by this library, or NULL. */
static struct nvmlDevice_st *device(struct nvmlDevice_st *h) {
  return (h >= gpus && h < gpus + gpu_count) || is_mig(h) ? h : NULL;
}

static int lost(struct nvmlDevice_st *g) {
  if (g->parent != NULL) return lost(g->parent);
  return g->lost_after >= 0 && g->calls[UTIL] > (unsigned long) g->lost_after;
}

/* The next value of a metric: its return code, and the value through *out. */
static int next(struct nvmlDevice_st *h, int metric, long long *out) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL) return INVALID_ARGUMENT;
  unsigned long call = g->calls[metric]++;
  if (lost(g)) return GPU_IS_LOST;
  seq_t *s = &g->seq[metric];
  if (s->n == 0) return UNKNOWN;
  int i = call < (unsigned long) s->n ? (int) call : s->n - 1;
  if (s->rc[i] != SUCCESS) return s->rc[i];
  *out = s->value[i];
  if (metric == ENERGY && *out < 0) *out = 1000000LL + 300000LL * (long long) call;
  return SUCCESS;
}

#define NEXT(h, metric, type, ptr)                \
  do {                                            \
    if ((ptr) == NULL) return INVALID_ARGUMENT;   \
    long long v_ = 0;                             \
    int rc_ = next(h, metric, &v_);               \
    if (rc_ == SUCCESS) *(ptr) = (type) v_;       \
    return rc_;                                   \
  } while (0)

static int do_init(void) {
  configure();
  return init_rc;
}

static int do_count(unsigned int *n) {
  if (n == NULL) return INVALID_ARGUMENT;
  *n = gpu_count;
  return SUCCESS;
}

static int do_handle(unsigned int index, struct nvmlDevice_st **out) {
  if (out == NULL || index >= gpu_count) return INVALID_ARGUMENT;
  if (gpus[index].handle_rc != SUCCESS) return gpus[index].handle_rc;
  *out = &gpus[index];
  return SUCCESS;
}

static int copy_string(struct nvmlDevice_st *h, const char *(*field)(struct nvmlDevice_st *), char *buf,
                       unsigned int length) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || buf == NULL) return INVALID_ARGUMENT;
  if (lost(g)) return GPU_IS_LOST;
  const char *s = field(g);
  if (strlen(s) + 1 > length) return INSUFFICIENT_SIZE;
  strcpy(buf, s);
  return SUCCESS;
}

static const char *uuid_of(struct nvmlDevice_st *g) { return g->uuid; }
static const char *name_of(struct nvmlDevice_st *g) { return g->name; }

static int memory(struct nvmlDevice_st *h, unsigned long long *used, unsigned long long *total) {
  long long u = 0, t = 0;
  int rc = next(h, MEMUSED, &u);
  if (rc != SUCCESS) return rc;
  rc = next(h, MEMTOTAL, &t);
  if (rc != SUCCESS) return rc;
  *used = (unsigned long long) u;
  *total = (unsigned long long) t;
  return SUCCESS;
}

static int compute_processes(struct nvmlDevice_st *h, unsigned int *count, void *infos, int v1) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || count == NULL) return INVALID_ARGUMENT;
  if (lost(g)) return GPU_IS_LOST;
  if (g->procs_rc != SUCCESS) return g->procs_rc;
  unsigned int n = (unsigned int) g->nprocs;
  if (infos != NULL && g->racy > 0) {
    g->racy--;
    *count = *count + 100;
    return INSUFFICIENT_SIZE;
  }
  if (*count < n || (infos == NULL && n > 0)) {
    *count = n;
    return INSUFFICIENT_SIZE;
  }
  for (unsigned int i = 0; i < n; i++) {
    if (v1) {
      nvmlProcessInfo_v1_t *p = &((nvmlProcessInfo_v1_t *) infos)[i];
      p->pid = g->procs[i].pid;
      p->usedGpuMemory = g->procs[i].used;
    } else {
      nvmlProcessInfo_t *p = &((nvmlProcessInfo_t *) infos)[i];
      p->pid = g->procs[i].pid;
      p->usedGpuMemory = g->procs[i].used;
      p->gpuInstanceId = g->procs[i].gi < 0 ? 0xFFFFFFFFu : (unsigned int) g->procs[i].gi;
      p->computeInstanceId = g->procs[i].ci < 0 ? 0xFFFFFFFFu : (unsigned int) g->procs[i].ci;
    }
  }
  *count = n;
  return SUCCESS;
}

#ifndef FAKE_LEGACY
EXPORT nvmlReturn_t nvmlInit_v2(void) { return do_init(); }
EXPORT nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *n) { return do_count(n); }
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, struct nvmlDevice_st **out) {
  return do_handle(index, out);
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(struct nvmlDevice_st *h, nvmlMemory_v2_t *m) {
  if (m == NULL) return INVALID_ARGUMENT;
  if (m->version != (unsigned int) (sizeof(nvmlMemory_v2_t) | (2u << 24))) return ARGUMENT_VERSION_MISMATCH;
  unsigned long long used = 0, total = 0;
  int rc = memory(h, &used, &total);
  if (rc == SUCCESS) {
    m->total = total;
    m->used = used;
    m->reserved = 0;
    m->free = total - used;
  }
  return rc;
}

EXPORT const char *nvmlErrorString(nvmlReturn_t rc) {
  for (size_t i = 0; i < sizeof ERRORS / sizeof ERRORS[0]; i++) {
    if (ERRORS[i].rc == rc) return ERRORS[i].name;
  }
  return "Unknown Error";
}

EXPORT nvmlReturn_t nvmlSystemGetDriverVersion(char *buf, unsigned int length) {
  if (buf == NULL || strlen(driver) + 1 > length) return INSUFFICIENT_SIZE;
  strcpy(buf, driver);
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMigMode(struct nvmlDevice_st *h, unsigned int *current, unsigned int *pending) {
  if (pending == NULL) return INVALID_ARGUMENT;
  long long v = 0;
  int rc = next(h, MIG, &v);
  if (rc == SUCCESS) {
    *current = (unsigned int) v;
    *pending = (unsigned int) v;
  }
  return rc;
}

EXPORT nvmlReturn_t nvmlDeviceGetPowerUsage(struct nvmlDevice_st *h, unsigned int *mw) {
  NEXT(h, POWER, unsigned int, mw);
}

EXPORT nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(struct nvmlDevice_st *h, unsigned long long *mj) {
  NEXT(h, ENERGY, unsigned long long, mj);
}

EXPORT nvmlReturn_t nvmlDeviceGetTemperature(struct nvmlDevice_st *h, int sensor, unsigned int *c) {
  if (sensor != 0) return INVALID_ARGUMENT; /* NVML_TEMPERATURE_GPU */
  NEXT(h, TEMP, unsigned int, c);
}

EXPORT nvmlReturn_t nvmlDeviceGetClockInfo(struct nvmlDevice_st *h, int type, unsigned int *mhz) {
  if (type != 1) return NOT_SUPPORTED; /* NVML_CLOCK_SM */
  NEXT(h, SMCLOCK, unsigned int, mhz);
}

EXPORT nvmlReturn_t nvmlDeviceGetProcessUtilization(struct nvmlDevice_st *h, nvmlProcessUtilizationSample_t *out,
                                                    unsigned int *count, unsigned long long lastSeen) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || count == NULL) return INVALID_ARGUMENT;
  if (lost(g)) return GPU_IS_LOST;
  if (g->procutil_rc != SUCCESS) return g->procutil_rc;
  /* One sample per process with utilization, stamped one second per call after lastSeen. */
  unsigned int n = 0;
  for (int i = 0; i < g->nprocs; i++) {
    if (g->procs[i].sm >= 0) n++;
  }
  if (n == 0) return NOT_FOUND;
  if (out != NULL && g->racy > 0) {
    g->racy--;
    *count = *count + 100;
    return INSUFFICIENT_SIZE;
  }
  if (out == NULL || *count < n) {
    *count = n;
    return INSUFFICIENT_SIZE;
  }
  unsigned int k = 0;
  for (int i = 0; i < g->nprocs; i++) {
    if (g->procs[i].sm < 0) continue;
    out[k].pid = g->procs[i].pid;
    out[k].timeStamp = lastSeen + 1000000ull;
    out[k].smUtil = (unsigned int) g->procs[i].sm;
    out[k].memUtil = (unsigned int) (g->procs[i].mem < 0 ? 0 : g->procs[i].mem);
    out[k].encUtil = 0;
    out[k].decUtil = 0;
    k++;
  }
  *count = k;
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(struct nvmlDevice_st *h, unsigned int *count,
                                                            nvmlProcessInfo_t *infos) {
  return compute_processes(h, count, infos, 0);
}
/* ---- MIG ---- */

EXPORT nvmlReturn_t nvmlDeviceGetMaxMigDeviceCount(struct nvmlDevice_st *h, unsigned int *count) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || count == NULL || g->parent != NULL) return INVALID_ARGUMENT;
  if (lost(g)) return GPU_IS_LOST;
  *count = g->nmigs > 0 ? MAX_MIGS : 0;
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetMigDeviceHandleByIndex(struct nvmlDevice_st *h, unsigned int index,
                                                        struct nvmlDevice_st **out) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || out == NULL || g->parent != NULL || index >= MAX_MIGS) return INVALID_ARGUMENT;
  if (g->nmigs == 0) return NOT_SUPPORTED;
  if (index >= (unsigned int) g->nmigs) return NOT_FOUND;
  *out = &migs[g->index][index];
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetGpuInstanceId(struct nvmlDevice_st *h, unsigned int *id) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || id == NULL) return INVALID_ARGUMENT;
  if (g->parent == NULL) return NOT_SUPPORTED;
  *id = g->gi;
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeInstanceId(struct nvmlDevice_st *h, unsigned int *id) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || id == NULL) return INVALID_ARGUMENT;
  if (g->parent == NULL) return NOT_SUPPORTED;
  *id = g->ci;
  return SUCCESS;
}

/* ---- GPM ---- */

static int gpm_samples_live; /* allocated and not freed: checked by nvmlShutdown */

EXPORT nvmlReturn_t nvmlGpmQueryDeviceSupport(struct nvmlDevice_st *h, nvmlGpmSupport_t *support) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || support == NULL) return INVALID_ARGUMENT;
  if (support->version != 1) return ARGUMENT_VERSION_MISMATCH;
  if (lost(g)) return GPU_IS_LOST;
  if (g->gpm_rc != SUCCESS) return g->gpm_rc;
  support->isSupportedDevice = (unsigned int) (g->parent != NULL ? g->parent->gpm : g->gpm);
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlGpmSampleAlloc(nvmlGpmSample_t *out) {
  if (out == NULL) return INVALID_ARGUMENT;
  *out = calloc(1, sizeof **out);
  if (*out == NULL) return MEMORY;
  gpm_samples_live++;
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlGpmSampleFree(nvmlGpmSample_t s) {
  if (s == NULL) return INVALID_ARGUMENT;
  free(s);
  gpm_samples_live--;
  return SUCCESS;
}

static int take_gpm(struct nvmlDevice_st *g, nvmlGpmSample_t s) {
  if (!g->gpm) return NOT_SUPPORTED;
  long long ignored = 0;
  int rc = next(g, GPMSAMPLE, &ignored); /* counts the call */
  if (rc != SUCCESS) return rc;
  s->device = g;
  s->index = g->calls[GPMSAMPLE];
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlGpmSampleGet(struct nvmlDevice_st *h, nvmlGpmSample_t s) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || s == NULL || g->parent != NULL) return INVALID_ARGUMENT;
  return take_gpm(g, s);
}

EXPORT nvmlReturn_t nvmlGpmMigSampleGet(struct nvmlDevice_st *h, unsigned int gpuInstanceId, nvmlGpmSample_t s) {
  struct nvmlDevice_st *g = device(h);
  if (g == NULL || s == NULL || g->parent != NULL) return INVALID_ARGUMENT;
  if (lost(g)) return GPU_IS_LOST;
  for (int i = 0; i < g->nmigs; i++) {
    if (migs[g->index][i].gi == gpuInstanceId) return take_gpm(&migs[g->index][i], s);
  }
  return NOT_FOUND;
}

EXPORT nvmlReturn_t nvmlGpmMetricsGet(nvmlGpmMetricsGet_t *get) {
  if (get == NULL) return INVALID_ARGUMENT;
  if (get->version != 1) return ARGUMENT_VERSION_MISMATCH;
  nvmlGpmSample_t a = get->sample1, b = get->sample2;
  if (a == NULL || b == NULL || get->numMetrics > GPM_METRIC_MAX || a->index == 0 || a->device != b->device ||
      b->index <= a->index) {
    return INVALID_ARGUMENT;
  }
  struct nvmlDevice_st *g = b->device;
  if (lost(g)) return GPU_IS_LOST;
  for (unsigned int m = 0; m < get->numMetrics; m++) {
    nvmlGpmMetric_t *out = &get->metrics[m];
    out->nvmlReturn = NOT_SUPPORTED;
    out->value = 0;
    for (size_t k = 0; k < sizeof GPM_IDS / sizeof GPM_IDS[0]; k++) {
      if (GPM_IDS[k].id != out->metricId) continue;
      seq_t *sq = &g->seq[GPM_IDS[k].metric];
      unsigned long e = b->index - 2 < (unsigned long) sq->n ? b->index - 2 : (unsigned long) sq->n - 1;
      out->nvmlReturn = sq->n == 0 ? UNKNOWN : sq->rc[e];
      out->value = out->nvmlReturn == SUCCESS ? sq->dvalue[e] : 0;
    }
  }
  return SUCCESS;
}
#endif /* !FAKE_LEGACY */

/* Legacy v1 entry points: in both builds, as in the real library. */
EXPORT nvmlReturn_t nvmlInit(void) { return do_init(); }
EXPORT nvmlReturn_t nvmlShutdown(void) {
#ifndef FAKE_LEGACY
  /* Leaked GPM samples fail the shutdown, so the tests see a binding that does not free them. */
  if (gpm_samples_live != 0) {
    fprintf(stderr, "fake NVML: %d GPM samples not freed at nvmlShutdown\n", gpm_samples_live);
    return IN_USE_RC;
  }
#endif
  return SUCCESS;
}
EXPORT nvmlReturn_t nvmlDeviceGetCount(unsigned int *n) { return do_count(n); }
EXPORT nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int index, struct nvmlDevice_st **out) {
  return do_handle(index, out);
}

EXPORT nvmlReturn_t nvmlDeviceGetUUID(struct nvmlDevice_st *h, char *buf, unsigned int length) {
  return copy_string(h, uuid_of, buf, length);
}

EXPORT nvmlReturn_t nvmlDeviceGetName(struct nvmlDevice_st *h, char *buf, unsigned int length) {
  return copy_string(h, name_of, buf, length);
}

EXPORT nvmlReturn_t nvmlDeviceGetMemoryInfo(struct nvmlDevice_st *h, nvmlMemory_t *m) {
  if (m == NULL) return INVALID_ARGUMENT;
  unsigned long long used = 0, total = 0;
  int rc = memory(h, &used, &total);
  if (rc == SUCCESS) {
    m->total = total;
    m->used = used;
    m->free = total - used;
  }
  return rc;
}

EXPORT nvmlReturn_t nvmlDeviceGetUtilizationRates(struct nvmlDevice_st *h, nvmlUtilization_t *u) {
  if (u == NULL) return INVALID_ARGUMENT;
  long long gpu = 0, mem = 0;
  int rc = next(h, UTIL, &gpu);
  if (rc != SUCCESS) return rc;
  rc = next(h, MEMUTIL, &mem);
  if (rc != SUCCESS) return rc;
  u->gpu = (unsigned int) gpu;
  u->memory = (unsigned int) mem;
  return SUCCESS;
}

EXPORT nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(struct nvmlDevice_st *h, unsigned int *count,
                                                         nvmlProcessInfo_v1_t *infos) {
  return compute_processes(h, count, infos, 1);
}
