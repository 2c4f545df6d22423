/*
 * libfinops_nvml.so: the JNI binding of finops-gpu-nvml to NVIDIA NVML.
 *
 * NVML is dlopen()ed at run time (never linked), so this library loads, and the Java side reports
 * why NVML is unavailable, on machines without an NVIDIA driver. Every symbol is looked up on its
 * own: a missing one leaves a NULL function pointer, and a call through it answers
 * NVML_ERROR_FUNCTION_NOT_FOUND instead of crashing.
 *
 * Facts about NVML (signatures, struct layouts, return codes, versioned symbol names, the GPM and
 * MIG functions) are from NVIDIA's nvml.h, NVML_API_VERSION 13, as vendored by NVIDIA/go-nvml
 * (gen/nvml/nvml.h); docs/nvml.md lists the ones used here with their public sources.
 *
 * Thread-safety: none here. The function table is global; the Java side serializes all calls.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev_finops_nvml_internal_NvmlNative.h"

/* The constants javac -h generated from NvmlNative's static finals: one definition of each layout. */
#define K(name) dev_finops_nvml_internal_NvmlNative_##name

/* ---- NVML types (nvml.h) ---- */
typedef int nvmlReturn_t;                       /* an enum in nvml.h; int-sized */
typedef struct nvmlDevice_st *nvmlDevice_t;     /* opaque pointer, held in Java as a long */

typedef struct { unsigned int gpu; unsigned int memory; } nvmlUtilization_t;
typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct {
  unsigned int version;
  unsigned long long total, reserved, free, used;
} nvmlMemory_v2_t;
typedef struct { unsigned int pid; unsigned long long usedGpuMemory; } nvmlProcessInfo_v1_t;
typedef struct {
  unsigned int pid;
  unsigned long long usedGpuMemory;
  unsigned int gpuInstanceId, computeInstanceId;
} nvmlProcessInfo_v2_t;                         /* the struct of _v2 and _v3 (nvmlProcessInfo_t) */
typedef struct {
  unsigned int pid;
  unsigned long long timeStamp;                 /* CPU timestamp, microseconds */
  unsigned int smUtil, memUtil, encUtil, decUtil;
} nvmlProcessUtilizationSample_t;

/* GPM (nvml.h, "GPM Structs"): a sample is an opaque handle; metrics come from two samples. */
typedef struct nvmlGpmSample_st *nvmlGpmSample_t;
typedef struct {
  unsigned int metricId;                        /* IN: NVML_GPM_METRIC_* */
  nvmlReturn_t nvmlReturn;                      /* OUT */
  double value;                                 /* OUT: 0.0 - 100.0 for the utilization metrics */
  struct { char *shortName; char *longName; char *unit; } metricInfo;
} nvmlGpmMetric_t;
#define NVML_GPM_METRIC_MAX 333                 /* nvml.h (API 13); older headers had fewer: only numMetrics are read */
typedef struct {
  unsigned int version;                         /* NVML_GPM_METRICS_GET_VERSION */
  unsigned int numMetrics;
  nvmlGpmSample_t sample1, sample2;
  nvmlGpmMetric_t metrics[NVML_GPM_METRIC_MAX];
} nvmlGpmMetricsGet_t;
typedef struct { unsigned int version; unsigned int isSupportedDevice; } nvmlGpmSupport_t;
#define NVML_GPM_METRICS_GET_VERSION 1
#define NVML_GPM_SUPPORT_VERSION 1

_Static_assert(sizeof(nvmlGpmMetric_t) == 40, "nvmlGpmMetric_t is 40 bytes on LP64");
_Static_assert(sizeof(nvmlGpmSupport_t) == 8, "nvmlGpmSupport_t is 8 bytes");
_Static_assert(sizeof(nvmlUtilization_t) == 8, "nvmlUtilization_t is 8 bytes");
_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t is 24 bytes");
_Static_assert(sizeof(nvmlMemory_v2_t) == 40, "nvmlMemory_v2_t is 40 bytes");
_Static_assert(sizeof(nvmlProcessInfo_v1_t) == 16, "nvmlProcessInfo_v1_t is 16 bytes");
_Static_assert(sizeof(nvmlProcessInfo_v2_t) == 24, "nvmlProcessInfo_v2_t is 24 bytes");
_Static_assert(sizeof(nvmlProcessUtilizationSample_t) == 32, "nvmlProcessUtilizationSample_t is 32 bytes");

/* NVML_STRUCT_VERSION(Memory, 2) = sizeof(nvmlMemory_v2_t) | 2 << 24 = 0x02000028 */
#define NVML_MEMORY_V2_VERSION ((unsigned int) (sizeof(nvmlMemory_v2_t) | (2u << 24)))
#define NVML_TEMPERATURE_GPU 0
#define NVML_CLOCK_SM 1
#define NVML_VALUE_NOT_AVAILABLE_ULL 0xFFFFFFFFFFFFFFFFull
#define UUID_BUFFER_SIZE 96                    /* NVML_DEVICE_UUID_V2_BUFFER_SIZE */
#define NAME_BUFFER_SIZE 96                    /* NVML_DEVICE_NAME_V2_BUFFER_SIZE */
#define DRIVER_VERSION_BUFFER_SIZE 80          /* NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE */
#define MAX_LIST_ATTEMPTS 8                    /* INSUFFICIENT_SIZE retries: the lists are racy */

#define SUCCESS ((nvmlReturn_t) K(NVML_SUCCESS))
#define NOT_FOUND ((nvmlReturn_t) K(NVML_ERROR_NOT_FOUND))
#define INSUFFICIENT_SIZE ((nvmlReturn_t) K(NVML_ERROR_INSUFFICIENT_SIZE))
#define FUNCTION_NOT_FOUND ((nvmlReturn_t) K(NVML_ERROR_FUNCTION_NOT_FOUND))
#define GPU_IS_LOST ((nvmlReturn_t) K(NVML_ERROR_GPU_IS_LOST))

/* ---- the function table ---- */
static struct {
  void *lib;
  nvmlReturn_t (*init)(void);
  nvmlReturn_t (*shutdown)(void);
  const char *(*errorString)(nvmlReturn_t);
  nvmlReturn_t (*driverVersion)(char *, unsigned int);
  nvmlReturn_t (*count)(unsigned int *);
  nvmlReturn_t (*handleByIndex)(unsigned int, nvmlDevice_t *);
  nvmlReturn_t (*uuid)(nvmlDevice_t, char *, unsigned int);
  nvmlReturn_t (*name)(nvmlDevice_t, char *, unsigned int);
  nvmlReturn_t (*memoryV2)(nvmlDevice_t, nvmlMemory_v2_t *);
  nvmlReturn_t (*memoryV1)(nvmlDevice_t, nvmlMemory_t *);
  nvmlReturn_t (*migMode)(nvmlDevice_t, unsigned int *, unsigned int *);
  nvmlReturn_t (*utilization)(nvmlDevice_t, nvmlUtilization_t *);
  nvmlReturn_t (*power)(nvmlDevice_t, unsigned int *);
  nvmlReturn_t (*energy)(nvmlDevice_t, unsigned long long *);
  nvmlReturn_t (*temperature)(nvmlDevice_t, int, unsigned int *);
  nvmlReturn_t (*clock)(nvmlDevice_t, int, unsigned int *);
  nvmlReturn_t (*processUtilization)(nvmlDevice_t, nvmlProcessUtilizationSample_t *, unsigned int *,
                                     unsigned long long);
  nvmlReturn_t (*computeProcsV2)(nvmlDevice_t, unsigned int *, nvmlProcessInfo_v2_t *); /* _v3 or _v2 */
  nvmlReturn_t (*computeProcsV1)(nvmlDevice_t, unsigned int *, nvmlProcessInfo_v1_t *);
  nvmlReturn_t (*gpuInstanceId)(nvmlDevice_t, unsigned int *);
  nvmlReturn_t (*computeInstanceId)(nvmlDevice_t, unsigned int *);
  nvmlReturn_t (*maxMigCount)(nvmlDevice_t, unsigned int *);
  nvmlReturn_t (*migHandle)(nvmlDevice_t, unsigned int, nvmlDevice_t *);
  nvmlReturn_t (*gpmQuerySupport)(nvmlDevice_t, nvmlGpmSupport_t *);
  nvmlReturn_t (*gpmSampleAlloc)(nvmlGpmSample_t *);
  nvmlReturn_t (*gpmSampleFree)(nvmlGpmSample_t);
  nvmlReturn_t (*gpmSampleGet)(nvmlDevice_t, nvmlGpmSample_t);
  nvmlReturn_t (*gpmMigSampleGet)(nvmlDevice_t, unsigned int, nvmlGpmSample_t);
  nvmlReturn_t (*gpmMetricsGet)(nvmlGpmMetricsGet_t *);
} nv;

static char resolved[1024];   /* names of the symbols found, comma-separated */
static char load_error[512];  /* dlerror() of the last failed load */

/* Looks up the first of the NULL-terminated names that the library has; records which. */
static void resolve(void **slot, const char *const *names) {
  *slot = NULL;
  for (int i = 0; names[i] != NULL; i++) {
    void *p = dlsym(nv.lib, names[i]);
    if (p != NULL) {
      *slot = p;
      size_t used = strlen(resolved);
      snprintf(resolved + used, sizeof resolved - used, "%s%s", used ? "," : "", names[i]);
      return;
    }
  }
}

#define RESOLVE(field, ...) resolve((void **) &nv.field, (const char *const[]){__VA_ARGS__, NULL})

static void clear_table(void) {
  memset(&nv, 0, sizeof nv);
  resolved[0] = '\0';
}

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_load(JNIEnv *env, jclass cls, jstring path) {
  (void) cls;
  if (nv.lib != NULL) {
    dlclose(nv.lib);
  }
  clear_table();
  const char *p = (*env)->GetStringUTFChars(env, path, NULL);
  if (p == NULL) {
    return K(NVML_ERROR_MEMORY); /* OutOfMemoryError pending */
  }
  dlerror();
  /* RTLD_LOCAL: NVML's symbols stay out of the global namespace. */
  void *lib = dlopen(p, RTLD_NOW | RTLD_LOCAL);
  (*env)->ReleaseStringUTFChars(env, path, p);
  if (lib == NULL) {
    const char *e = dlerror();
    snprintf(load_error, sizeof load_error, "%s", e != NULL ? e : "dlopen failed");
    return K(NVML_ERROR_LIBRARY_NOT_FOUND);
  }
  nv.lib = lib;
  /* Versioned names first: the unversioned ones are nvml.h macros for them, and dlsym of the bare
   * name finds the legacy v1 entry point. */
  RESOLVE(init, "nvmlInit_v2", "nvmlInit");
  RESOLVE(shutdown, "nvmlShutdown");
  RESOLVE(errorString, "nvmlErrorString");
  RESOLVE(driverVersion, "nvmlSystemGetDriverVersion");
  RESOLVE(count, "nvmlDeviceGetCount_v2", "nvmlDeviceGetCount");
  RESOLVE(handleByIndex, "nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex");
  RESOLVE(uuid, "nvmlDeviceGetUUID");
  RESOLVE(name, "nvmlDeviceGetName");
  RESOLVE(memoryV2, "nvmlDeviceGetMemoryInfo_v2");
  RESOLVE(memoryV1, "nvmlDeviceGetMemoryInfo");
  RESOLVE(migMode, "nvmlDeviceGetMigMode");
  RESOLVE(utilization, "nvmlDeviceGetUtilizationRates");
  RESOLVE(power, "nvmlDeviceGetPowerUsage");
  RESOLVE(energy, "nvmlDeviceGetTotalEnergyConsumption");
  RESOLVE(temperature, "nvmlDeviceGetTemperature");
  RESOLVE(clock, "nvmlDeviceGetClockInfo");
  RESOLVE(processUtilization, "nvmlDeviceGetProcessUtilization");
  /* _v3 and _v2 take the 24-byte nvmlProcessInfo_t; the bare (v1) name takes the 16-byte v1 struct.
   * Passing the wrong struct silently corrupts results. */
  RESOLVE(computeProcsV2, "nvmlDeviceGetComputeRunningProcesses_v3", "nvmlDeviceGetComputeRunningProcesses_v2");
  if (nv.computeProcsV2 == NULL) {
    RESOLVE(computeProcsV1, "nvmlDeviceGetComputeRunningProcesses");
  }
  /* MIG (R450+) and GPM (R520+): unversioned in nvml.h; absent from older libraries, which is fine. */
  RESOLVE(gpuInstanceId, "nvmlDeviceGetGpuInstanceId");
  RESOLVE(computeInstanceId, "nvmlDeviceGetComputeInstanceId");
  RESOLVE(maxMigCount, "nvmlDeviceGetMaxMigDeviceCount");
  RESOLVE(migHandle, "nvmlDeviceGetMigDeviceHandleByIndex");
  RESOLVE(gpmQuerySupport, "nvmlGpmQueryDeviceSupport");
  RESOLVE(gpmSampleAlloc, "nvmlGpmSampleAlloc");
  RESOLVE(gpmSampleFree, "nvmlGpmSampleFree");
  RESOLVE(gpmSampleGet, "nvmlGpmSampleGet");
  RESOLVE(gpmMigSampleGet, "nvmlGpmMigSampleGet");
  RESOLVE(gpmMetricsGet, "nvmlGpmMetricsGet");
  if (nv.init == NULL) {
    snprintf(load_error, sizeof load_error, "no nvmlInit_v2 or nvmlInit: not an NVML library");
    dlclose(lib);
    clear_table();
    return FUNCTION_NOT_FOUND;
  }
  return SUCCESS;
}

JNIEXPORT jstring JNICALL Java_dev_finops_nvml_internal_NvmlNative_loadError(JNIEnv *env, jclass cls) {
  (void) cls;
  return (*env)->NewStringUTF(env, load_error);
}

JNIEXPORT void JNICALL Java_dev_finops_nvml_internal_NvmlNative_unload(JNIEnv *env, jclass cls) {
  (void) env;
  (void) cls;
  if (nv.lib != NULL) {
    dlclose(nv.lib);
  }
  clear_table();
}

JNIEXPORT jstring JNICALL Java_dev_finops_nvml_internal_NvmlNative_symbols(JNIEnv *env, jclass cls) {
  (void) cls;
  return (*env)->NewStringUTF(env, resolved);
}

/* A call through an optional pointer: FUNCTION_NOT_FOUND when the library lacks it, and
 * UNINITIALIZED when no library is loaded (every pointer is NULL then, init included). */
#define MISSING() (nv.lib == NULL ? (nvmlReturn_t) K(NVML_ERROR_UNINITIALIZED) : FUNCTION_NOT_FOUND)
#define CALL(fn, ...) (nv.fn != NULL ? nv.fn(__VA_ARGS__) : MISSING())

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_init(JNIEnv *env, jclass cls) {
  (void) env;
  (void) cls;
  return CALL(init);
}

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_shutdown(JNIEnv *env, jclass cls) {
  (void) env;
  (void) cls;
  return CALL(shutdown);
}

JNIEXPORT jstring JNICALL Java_dev_finops_nvml_internal_NvmlNative_errorString(JNIEnv *env, jclass cls, jint rc) {
  (void) cls;
  const char *s = nv.errorString != NULL ? nv.errorString((nvmlReturn_t) rc) : NULL;
  return s != NULL ? (*env)->NewStringUTF(env, s) : NULL;
}

JNIEXPORT jstring JNICALL Java_dev_finops_nvml_internal_NvmlNative_driverVersion(JNIEnv *env, jclass cls) {
  (void) cls;
  char buf[DRIVER_VERSION_BUFFER_SIZE] = {0};
  if (CALL(driverVersion, buf, sizeof buf) != SUCCESS) {
    return NULL;
  }
  buf[sizeof buf - 1] = '\0';
  return (*env)->NewStringUTF(env, buf);
}

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_deviceCount(JNIEnv *env, jclass cls, jintArray out) {
  (void) cls;
  unsigned int n = 0;
  nvmlReturn_t rc = CALL(count, &n);
  jint v = (jint) n;
  (*env)->SetIntArrayRegion(env, out, 0, 1, &v);
  return rc;
}

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_deviceHandle(JNIEnv *env, jclass cls, jint index,
                                                                              jlongArray out) {
  (void) cls;
  nvmlDevice_t d = NULL;
  nvmlReturn_t rc = CALL(handleByIndex, (unsigned int) index, &d);
  jlong v = rc == SUCCESS ? (jlong) (intptr_t) d : 0;
  (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
  return rc;
}

/* Memory: the _v2 struct where the library has it (used excludes reserved memory), else v1. */
static nvmlReturn_t memory_info(nvmlDevice_t d, unsigned long long *used, unsigned long long *total) {
  nvmlReturn_t rc = FUNCTION_NOT_FOUND;
  if (nv.memoryV2 != NULL) {
    nvmlMemory_v2_t m;
    memset(&m, 0, sizeof m);
    m.version = NVML_MEMORY_V2_VERSION;
    rc = nv.memoryV2(d, &m);
    if (rc == SUCCESS) {
      *used = m.used;
      *total = m.total;
      return rc;
    }
  }
  if (nv.memoryV1 != NULL && (rc == FUNCTION_NOT_FOUND || rc == K(NVML_ERROR_ARGUMENT_VERSION_MISMATCH))) {
    nvmlMemory_t m;
    memset(&m, 0, sizeof m);
    rc = nv.memoryV1(d, &m);
    *used = m.used;
    *total = m.total;
  }
  return rc;
}

/* Sets strings[i] to a new string of buf, or leaves it null; false if an exception is pending. */
static int set_string(JNIEnv *env, jobjectArray strings, jsize i, nvmlReturn_t rc, char *buf, size_t size) {
  if (rc != SUCCESS) {
    return 1;
  }
  buf[size - 1] = '\0';
  jstring s = (*env)->NewStringUTF(env, buf);
  if (s == NULL) {
    return 0;
  }
  (*env)->SetObjectArrayElement(env, strings, i, s);
  (*env)->DeleteLocalRef(env, s);
  return !(*env)->ExceptionCheck(env);
}

JNIEXPORT void JNICALL Java_dev_finops_nvml_internal_NvmlNative_deviceInfo(JNIEnv *env, jclass cls, jlong handle,
                                                                            jobjectArray strings, jlongArray values) {
  (void) cls;
  nvmlDevice_t d = (nvmlDevice_t) (intptr_t) handle;
  jlong v[K(I_LENGTH)] = {0};
  char uuid[UUID_BUFFER_SIZE] = {0};
  char name[NAME_BUFFER_SIZE] = {0};
  nvmlReturn_t rc = CALL(uuid, d, uuid, sizeof uuid);
  v[K(I_UUID_RC)] = rc;
  if (!set_string(env, strings, 0, rc, uuid, sizeof uuid)) {
    return;
  }
  rc = CALL(name, d, name, sizeof name);
  v[K(I_NAME_RC)] = rc;
  if (!set_string(env, strings, 1, rc, name, sizeof name)) {
    return;
  }
  unsigned long long used = 0, total = 0;
  v[K(I_MEMORY_RC)] = memory_info(d, &used, &total);
  v[K(I_MEMORY_TOTAL)] = (jlong) total;
  unsigned int current = 0, pending = 0;
  v[K(I_MIG_RC)] = CALL(migMode, d, &current, &pending);
  v[K(I_MIG_CURRENT)] = current;
  v[K(I_MIG_PENDING)] = pending;
  unsigned int gi = 0, ci = 0;
  v[K(I_GI_RC)] = CALL(gpuInstanceId, d, &gi);
  v[K(I_GI)] = gi;
  v[K(I_CI_RC)] = CALL(computeInstanceId, d, &ci);
  v[K(I_CI)] = ci;
  (*env)->SetLongArrayRegion(env, values, 0, K(I_LENGTH), v);
}

/* One device's reading into o[0..STRIDE). Stops at the first GPU_IS_LOST. */
static void sample_device(nvmlDevice_t d, jlong *o) {
  static const int rc_slots[] = {K(S_UTIL_RC), K(S_MEMORY_RC), K(S_POWER_RC), K(S_ENERGY_RC), K(S_TEMP_RC),
                                 K(S_CLOCK_RC)};
  const int nslots = (int) (sizeof rc_slots / sizeof rc_slots[0]);
  memset(o, 0, sizeof(jlong) * K(STRIDE));
  if (d == NULL) {
    o[K(S_STATUS)] = K(NVML_ERROR_INVALID_ARGUMENT);
    for (int i = 0; i < nslots; i++) {
      o[rc_slots[i]] = K(NVML_ERROR_INVALID_ARGUMENT);
    }
    return;
  }
  for (int step = 0; step < nslots; step++) {
    nvmlReturn_t rc;
    switch (step) {
      case 0: {
        nvmlUtilization_t u = {0, 0};
        rc = CALL(utilization, d, &u);
        o[K(S_GPU_UTIL)] = u.gpu;
        o[K(S_MEM_UTIL)] = u.memory;
        break;
      }
      case 1: {
        unsigned long long used = 0, total = 0;
        rc = memory_info(d, &used, &total);
        o[K(S_MEMORY_USED)] = (jlong) used;
        o[K(S_MEMORY_TOTAL)] = (jlong) total;
        break;
      }
      case 2: {
        unsigned int mw = 0;
        rc = CALL(power, d, &mw);
        o[K(S_POWER_MW)] = mw;
        break;
      }
      case 3: {
        unsigned long long mj = 0;
        rc = CALL(energy, d, &mj);
        o[K(S_ENERGY_MJ)] = (jlong) mj;
        break;
      }
      case 4: {
        unsigned int c = 0;
        rc = CALL(temperature, d, NVML_TEMPERATURE_GPU, &c);
        o[K(S_TEMP_C)] = c;
        break;
      }
      default: {
        unsigned int mhz = 0;
        rc = CALL(clock, d, NVML_CLOCK_SM, &mhz);
        o[K(S_SM_CLOCK_MHZ)] = mhz;
        break;
      }
    }
    o[rc_slots[step]] = rc;
    if (rc == GPU_IS_LOST) {
      o[K(S_STATUS)] = GPU_IS_LOST;
      for (int i = step + 1; i < nslots; i++) {
        o[rc_slots[i]] = GPU_IS_LOST;
      }
      return;
    }
  }
}

#define STACK_DEVICES 64

JNIEXPORT void JNICALL Java_dev_finops_nvml_internal_NvmlNative_sample(JNIEnv *env, jclass cls, jlongArray handles,
                                                                        jint count, jlongArray out) {
  (void) cls;
  if (count < 0 || (*env)->GetArrayLength(env, handles) < count ||
      (*env)->GetArrayLength(env, out) < (jlong) count * K(STRIDE)) {
    jclass iae = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
    if (iae != NULL) {
      (*env)->ThrowNew(env, iae, "sample: arrays too small for the device count");
    }
    return;
  }
  jlong hs_stack[STACK_DEVICES];
  jlong os_stack[STACK_DEVICES * K(STRIDE)];
  jlong *hs = hs_stack;
  jlong *os = os_stack;
  if (count > STACK_DEVICES) {
    hs = malloc(sizeof(jlong) * (size_t) count);
    os = malloc(sizeof(jlong) * (size_t) count * K(STRIDE));
    if (hs == NULL || os == NULL) {
      free(hs);
      free(os);
      jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
      if (oom != NULL) {
        (*env)->ThrowNew(env, oom, "sample: no native memory");
      }
      return;
    }
  }
  (*env)->GetLongArrayRegion(env, handles, 0, count, hs);
  for (jint i = 0; i < count; i++) {
    sample_device((nvmlDevice_t) (intptr_t) hs[i], os + (size_t) i * K(STRIDE));
  }
  (*env)->SetLongArrayRegion(env, out, 0, count * K(STRIDE), os);
  if (hs != hs_stack) {
    free(hs);
    free(os);
  }
}

/* ---- process lists: size query, then retry with a larger buffer while INSUFFICIENT_SIZE ---- */

typedef nvmlReturn_t (*list_query)(nvmlDevice_t d, void *buf, unsigned int *count, unsigned long long arg);

static nvmlReturn_t query_utilization(nvmlDevice_t d, void *buf, unsigned int *count, unsigned long long lastSeen) {
  return CALL(processUtilization, d, buf, count, lastSeen);
}

static nvmlReturn_t query_procs_v2(nvmlDevice_t d, void *buf, unsigned int *count, unsigned long long unused) {
  (void) unused;
  return CALL(computeProcsV2, d, count, buf);
}

static nvmlReturn_t query_procs_v1(nvmlDevice_t d, void *buf, unsigned int *count, unsigned long long unused) {
  (void) unused;
  return CALL(computeProcsV1, d, count, buf);
}

/* Calls q with a NULL buffer to learn the count, then with buffers of count * 2 + 8 elements
 * (over-allocated: the list can grow between calls) until it fits. *out is malloc()ed or NULL. */
static nvmlReturn_t query_list(list_query q, nvmlDevice_t d, size_t elem, unsigned long long arg, void **out,
                               unsigned int *count) {
  *out = NULL;
  *count = 0;
  nvmlReturn_t rc = q(d, NULL, count, arg);
  for (int attempt = 0; rc == INSUFFICIENT_SIZE && attempt < MAX_LIST_ATTEMPTS; attempt++) {
    unsigned int capacity = *count * 2 + 8;
    free(*out);
    *out = calloc(capacity, elem);
    if (*out == NULL) {
      *count = 0;
      return K(NVML_ERROR_MEMORY);
    }
    *count = capacity;
    rc = q(d, *out, count, arg);
  }
  if (rc != SUCCESS || *out == NULL) {
    *count = 0;
  }
  return rc;
}

typedef struct { jlong pid, sm, mem, used, gi, ci; } proc_row;
#define NO_INSTANCE 0xFFFFFFFFu /* the gpuInstanceId/computeInstanceId of a process outside MIG */

static proc_row *row_of(proc_row *rows, unsigned int *n, unsigned int pid, int util_known) {
  for (unsigned int i = 0; i < *n; i++) {
    if (rows[i].pid == (jlong) pid) {
      return &rows[i];
    }
  }
  proc_row *r = &rows[(*n)++];
  r->pid = pid;
  r->sm = util_known ? 0 : -1; /* NVML lists only processes with non-zero utilization */
  r->mem = util_known ? 0 : -1;
  r->used = -1;
  r->gi = -1;
  r->ci = -1;
  return r;
}

JNIEXPORT jlongArray JNICALL Java_dev_finops_nvml_internal_NvmlNative_processes(JNIEnv *env, jclass cls,
                                                                                 jlong handle, jlong lastSeen) {
  (void) cls;
  nvmlDevice_t d = (nvmlDevice_t) (intptr_t) handle;
  void *util_buf = NULL;
  void *list_buf = NULL;
  unsigned int nu = 0, nl = 0;

  nvmlReturn_t urc = query_list(query_utilization, d, sizeof(nvmlProcessUtilizationSample_t),
                                (unsigned long long) lastSeen, &util_buf, &nu);
  if (urc == NOT_FOUND) { /* no samples newer than lastSeen: nothing ran, not an error */
    urc = SUCCESS;
  }
  int v1 = nv.computeProcsV2 == NULL;
  nvmlReturn_t lrc = query_list(v1 ? query_procs_v1 : query_procs_v2, d,
                                v1 ? sizeof(nvmlProcessInfo_v1_t) : sizeof(nvmlProcessInfo_v2_t), 0, &list_buf, &nl);

  proc_row *rows = calloc((size_t) nu + nl + 1, sizeof(proc_row));
  unsigned int n = 0;
  jlong maxSeen = lastSeen;
  jlongArray result = NULL;
  if (rows == NULL) {
    goto done;
  }
  for (unsigned int i = 0; i < nl; i++) {
    unsigned int pid;
    unsigned long long used;
    if (v1) {
      pid = ((nvmlProcessInfo_v1_t *) list_buf)[i].pid;
      used = ((nvmlProcessInfo_v1_t *) list_buf)[i].usedGpuMemory;
    } else {
      pid = ((nvmlProcessInfo_v2_t *) list_buf)[i].pid;
      used = ((nvmlProcessInfo_v2_t *) list_buf)[i].usedGpuMemory;
    }
    proc_row *r = row_of(rows, &n, pid, urc == SUCCESS);
    r->used = used == NVML_VALUE_NOT_AVAILABLE_ULL ? -1 : (jlong) used;
    if (!v1) {
      unsigned int gi = ((nvmlProcessInfo_v2_t *) list_buf)[i].gpuInstanceId;
      unsigned int ci = ((nvmlProcessInfo_v2_t *) list_buf)[i].computeInstanceId;
      r->gi = gi == NO_INSTANCE ? -1 : (jlong) gi;
      r->ci = ci == NO_INSTANCE ? -1 : (jlong) ci;
    }
  }
  /* Several samples of one process can be in the driver's buffer: keep the newest. */
  jlong *newest = calloc((size_t) nu + nl + 1, sizeof(jlong));
  if (newest == NULL) {
    goto done;
  }
  for (unsigned int i = 0; i < nu; i++) {
    nvmlProcessUtilizationSample_t *s = &((nvmlProcessUtilizationSample_t *) util_buf)[i];
    proc_row *r = row_of(rows, &n, s->pid, 1);
    size_t at = (size_t) (r - rows);
    if ((jlong) s->timeStamp >= newest[at]) {
      newest[at] = (jlong) s->timeStamp;
      r->sm = s->smUtil;
      r->mem = s->memUtil;
    }
    if ((jlong) s->timeStamp > maxSeen) {
      maxSeen = (jlong) s->timeStamp;
    }
  }
  free(newest);

  jsize len = K(P_HEADER) + (jsize) n * K(P_ROW);
  jlong *flat = calloc((size_t) len, sizeof(jlong));
  if (flat == NULL) {
    goto done;
  }
  flat[K(P_UTIL_RC)] = urc;
  flat[K(P_LIST_RC)] = lrc;
  flat[K(P_LAST_SEEN)] = maxSeen;
  flat[K(P_COUNT)] = n;
  for (unsigned int i = 0; i < n; i++) {
    jlong *row = flat + K(P_HEADER) + (size_t) i * K(P_ROW);
    row[0] = rows[i].pid;
    row[1] = rows[i].sm;
    row[2] = rows[i].mem;
    row[3] = rows[i].used;
    row[4] = rows[i].gi;
    row[5] = rows[i].ci;
  }
  result = (*env)->NewLongArray(env, len);
  if (result != NULL) {
    (*env)->SetLongArrayRegion(env, result, 0, len, flat);
  }
  free(flat);
done:
  free(rows);
  free(util_buf);
  free(list_buf);
  if (result == NULL && !(*env)->ExceptionCheck(env)) {
    jclass oom = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (oom != NULL) {
      (*env)->ThrowNew(env, oom, "processes: no native memory");
    }
  }
  return result;
}

JNIEXPORT jlong JNICALL Java_dev_finops_nvml_internal_NvmlNative_powerUsage(JNIEnv *env, jclass cls, jlong handle) {
  (void) env;
  (void) cls;
  unsigned int mw = 0;
  nvmlReturn_t rc = CALL(power, (nvmlDevice_t) (intptr_t) handle, &mw);
  return ((jlong) rc << 32) | (jlong) mw;
}

/* ---- MIG ---- */

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_migDeviceCount(JNIEnv *env, jclass cls, jlong handle,
                                                                                jintArray out) {
  (void) cls;
  unsigned int n = 0;
  nvmlReturn_t rc = CALL(maxMigCount, (nvmlDevice_t) (intptr_t) handle, &n);
  jint v = rc == SUCCESS ? (jint) n : 0;
  (*env)->SetIntArrayRegion(env, out, 0, 1, &v);
  return rc;
}

JNIEXPORT jint JNICALL Java_dev_finops_nvml_internal_NvmlNative_migDeviceHandle(JNIEnv *env, jclass cls, jlong handle,
                                                                                 jint index, jlongArray out) {
  (void) cls;
  nvmlDevice_t m = NULL;
  nvmlReturn_t rc = index < 0 ? (nvmlReturn_t) K(NVML_ERROR_INVALID_ARGUMENT)
                              : CALL(migHandle, (nvmlDevice_t) (intptr_t) handle, (unsigned int) index, &m);
  jlong v = rc == SUCCESS ? (jlong) (intptr_t) m : 0;
  (*env)->SetLongArrayRegion(env, out, 0, 1, &v);
  return rc;
}

/* ---- GPM: a target holds two sample buffers, used in turn, and the metrics request ---- */

static const unsigned int GPM_IDS[K(G_METRICS)] = {K(GPM_SM_UTIL), K(GPM_SM_OCCUPANCY), K(GPM_ANY_TENSOR_UTIL),
                                                   K(GPM_FP16_UTIL), K(GPM_FP32_UTIL), K(GPM_FP64_UTIL)};

typedef struct {
  nvmlDevice_t device;
  int gpu_instance;          /* < 0: the whole GPU (nvmlGpmSampleGet), else nvmlGpmMigSampleGet */
  nvmlGpmSample_t sample[2];
  int latest;                /* index of the newest good sample, or -1 when there is none */
  nvmlGpmMetricsGet_t get;   /* about 13 KB: kept, not rebuilt on every reading */
} gpm_target;

JNIEXPORT jlong JNICALL Java_dev_finops_nvml_internal_NvmlNative_gpmSupport(JNIEnv *env, jclass cls, jlong handle) {
  (void) env;
  (void) cls;
  nvmlGpmSupport_t support;
  memset(&support, 0, sizeof support);
  support.version = NVML_GPM_SUPPORT_VERSION;
  nvmlReturn_t rc = CALL(gpmQuerySupport, (nvmlDevice_t) (intptr_t) handle, &support);
  return ((jlong) rc << 32) | (jlong) (rc == SUCCESS ? support.isSupportedDevice : 0);
}

static void free_target(gpm_target *t) {
  for (int i = 0; i < 2; i++) {
    if (t->sample[i] != NULL && nv.gpmSampleFree != NULL) {
      nv.gpmSampleFree(t->sample[i]);
    }
  }
  free(t);
}

JNIEXPORT jlong JNICALL Java_dev_finops_nvml_internal_NvmlNative_gpmOpen(JNIEnv *env, jclass cls, jlong handle,
                                                                          jint gpuInstanceId, jintArray rcOut) {
  (void) cls;
  nvmlReturn_t rc = SUCCESS;
  gpm_target *t = NULL;
  if (nv.gpmSampleAlloc == NULL || nv.gpmSampleFree == NULL || nv.gpmMetricsGet == NULL ||
      (gpuInstanceId < 0 ? nv.gpmSampleGet == NULL : nv.gpmMigSampleGet == NULL)) {
    rc = MISSING();
  } else if ((t = calloc(1, sizeof *t)) == NULL) {
    rc = K(NVML_ERROR_MEMORY);
  } else {
    t->device = (nvmlDevice_t) (intptr_t) handle;
    t->gpu_instance = gpuInstanceId;
    t->latest = -1;
    for (int i = 0; i < 2 && rc == SUCCESS; i++) {
      rc = nv.gpmSampleAlloc(&t->sample[i]);
      if (rc != SUCCESS) {
        t->sample[i] = NULL;
      }
    }
    if (rc != SUCCESS) {
      free_target(t);
      t = NULL;
    }
  }
  jint v = rc;
  (*env)->SetIntArrayRegion(env, rcOut, 0, 1, &v);
  return (jlong) (intptr_t) t;
}

JNIEXPORT void JNICALL Java_dev_finops_nvml_internal_NvmlNative_gpmClose(JNIEnv *env, jclass cls, jlong target) {
  (void) env;
  (void) cls;
  if (target != 0) {
    free_target((gpm_target *) (intptr_t) target);
  }
}

/* Percent (0.0 - 100.0) to basis points, rounded, clamped: a driver's 100.4 is not an error. */
static jlong basis_points(double percent) {
  if (!(percent > 0.0)) { /* also NaN */
    return 0;
  }
  double bp = percent * 100.0 + 0.5;
  return bp >= 10000.0 ? 10000 : (jlong) bp;
}

static void gpm_read(gpm_target *t, jlong *o) {
  memset(o, 0, sizeof(jlong) * K(G_STRIDE));
  o[K(G_METRICS_RC)] = K(G_WARMING);
  if (t == NULL) {
    o[K(G_SAMPLE_RC)] = K(NVML_ERROR_INVALID_ARGUMENT);
    return;
  }
  int next = t->latest == 0 ? 1 : 0;
  nvmlReturn_t rc = t->gpu_instance < 0 ? CALL(gpmSampleGet, t->device, t->sample[next])
                                        : CALL(gpmMigSampleGet, t->device, (unsigned int) t->gpu_instance,
                                               t->sample[next]);
  o[K(G_SAMPLE_RC)] = rc;
  if (rc != SUCCESS) {
    t->latest = -1; /* the next good sample starts a new interval */
    return;
  }
  if (t->latest < 0) {
    t->latest = next;
    return;
  }
  nvmlGpmMetricsGet_t *g = &t->get;
  g->version = NVML_GPM_METRICS_GET_VERSION;
  g->numMetrics = K(G_METRICS);
  g->sample1 = t->sample[t->latest];
  g->sample2 = t->sample[next];
  for (int i = 0; i < K(G_METRICS); i++) {
    memset(&g->metrics[i], 0, sizeof g->metrics[i]);
    g->metrics[i].metricId = GPM_IDS[i];
  }
  t->latest = next;
  rc = CALL(gpmMetricsGet, g);
  o[K(G_METRICS_RC)] = rc;
  for (int i = 0; i < K(G_METRICS); i++) {
    jlong *pair = o + K(G_FIRST_METRIC) + 2 * i;
    pair[0] = rc == SUCCESS ? g->metrics[i].nvmlReturn : rc;
    pair[1] = pair[0] == SUCCESS ? basis_points(g->metrics[i].value) : 0;
  }
}

JNIEXPORT void JNICALL Java_dev_finops_nvml_internal_NvmlNative_gpmSample(JNIEnv *env, jclass cls,
                                                                           jlongArray targets, jint count,
                                                                           jlongArray out) {
  (void) cls;
  if (count < 0 || count > STACK_DEVICES || (*env)->GetArrayLength(env, targets) < count ||
      (*env)->GetArrayLength(env, out) < (jlong) count * K(G_STRIDE)) {
    jclass iae = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
    if (iae != NULL) {
      (*env)->ThrowNew(env, iae, "gpmSample: arrays too small for the target count, or more than 64 targets");
    }
    return;
  }
  jlong ts[STACK_DEVICES];
  jlong os[STACK_DEVICES * K(G_STRIDE)];
  (*env)->GetLongArrayRegion(env, targets, 0, count, ts);
  for (jint i = 0; i < count; i++) {
    gpm_read((gpm_target *) (intptr_t) ts[i], os + (size_t) i * K(G_STRIDE));
  }
  (*env)->SetLongArrayRegion(env, out, 0, count * K(G_STRIDE), os);
}
