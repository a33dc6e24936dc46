#include "aflix_kernels.h"

#pragma clang fp contract(off)

// Eight floats with no alignment promise beyond a float's (unaligned loads cost nothing extra on
// aligned data, and a misaligned caller never faults).
typedef float v8sf __attribute__((vector_size(32), aligned(4)));

// The pass, written once; each variant below inlines it under its own target attribute.
static inline __attribute__((always_inline)) void sgd_pass_body(
  const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased) {
  v8sf *pv = (v8sf *)p;
  v8sf *qv = (v8sf *)q;
  const float decay = 1.0f - lr * reg;
  for (size_t o = 0; o < count; o++) {
    const size_t r = (size_t)order[o];
    const size_t u = (size_t)users[r];
    const size_t i = (size_t)items[r];
    v8sf *pu = pv + u * blocks;
    v8sf *qi = qv + i * blocks;
    v8sf acc = {0, 0, 0, 0, 0, 0, 0, 0};
    for (size_t k = 0; k < blocks; k++) acc += pu[k] * qi[k];
    const float dot = ((acc[0] + acc[4]) + (acc[2] + acc[6])) + ((acc[1] + acc[5]) + (acc[3] + acc[7]));
    const float err = values[r] - (mu + bu[u] + bi[i] + dot);
    if (biased) {
      bu[u] += lr * (err - reg * bu[u]);
      bi[i] += lr * (err - reg * bi[i]);
    }
    const float le = lr * err;
    for (size_t k = 0; k < blocks; k++) {
      const v8sf a = pu[k];
      const v8sf b = qi[k];
      pu[k] = decay * a + le * b;
      qi[k] = decay * b + le * a;
    }
  }
}

static void sgd_pass_baseline(
  const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased) {
  sgd_pass_body(order, count, users, items, values, p, q, bu, bi, blocks, mu, lr, reg, biased);
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2"))) static void sgd_pass_avx2(
  const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased) {
  sgd_pass_body(order, count, users, items, values, p, q, bu, bi, blocks, mu, lr, reg, biased);
}

// The CPU model is filled in by the runtime's constructor; `__builtin_cpu_init` is idempotent
// and read-only afterwards, so this is safe from any thread.
static int has_avx2(void) {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") ? 1 : 0;
}
#endif

void aflix_sgd_pass(
  const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased) {
#if defined(__x86_64__) || defined(__i386__)
  if (has_avx2()) {
    sgd_pass_avx2(order, count, users, items, values, p, q, bu, bi, blocks, mu, lr, reg, biased);
    return;
  }
#endif
  sgd_pass_baseline(order, count, users, items, values, p, q, bu, bi, blocks, mu, lr, reg, biased);
}

int aflix_sgd_pass_variant(
  int variant, const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased) {
  switch (variant) {
  case 0:
    sgd_pass_baseline(order, count, users, items, values, p, q, bu, bi, blocks, mu, lr, reg, biased);
    return 0;
#if defined(__x86_64__) || defined(__i386__)
  case 1:
    if (!has_avx2()) return -1;
    sgd_pass_avx2(order, count, users, items, values, p, q, bu, bi, blocks, mu, lr, reg, biased);
    return 0;
#endif
  default:
    return -1;
  }
}

const char *aflix_kernel_isa(void) {
#if defined(__x86_64__) || defined(__i386__)
  return has_avx2() ? "avx2" : "sse2";
#elif defined(__aarch64__) || defined(__ARM_NEON)
  return "neon";
#else
  return "generic";
#endif
}
