// Hot loops of AFlix that need a wider vector unit than the baseline target the Swift code is
// compiled for. Swift has no per-function target attribute, and package-wide `-target-cpu` flags
// are unsafe flags (a package using them cannot be a versioned dependency), so these few loops
// are C, compiled once per instruction set and chosen at run time. Internal: not API.
#ifndef AFLIX_KERNELS_H
#define AFLIX_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One pass of biased-MF SGD over `count` ratings, in the order `order[0..<count]` gives
/// (positions into `users`, `items`, `values`). Factor rows are `blocks` × 8 floats, padding zero
/// (any alignment works; 64-byte alignment is fastest). Per rating, with e = r − (mu + bu[u] + bi[i] + p_u·q_i):
/// if `biased`, bu[u] += lr (e − reg bu[u]) and bi[i] += lr (e − reg bi[i]); then
/// p_u ← (1 − lr reg) p_u + lr e q_i and q_i ← (1 − lr reg) q_i + lr e p_u with the old values.
/// The dot product keeps 8 running lanes summed as ((l0+l4)+(l2+l6))+((l1+l5)+(l3+l7)); no fused
/// multiply-add, so every instruction-set variant gives the same bits.
void aflix_sgd_pass(
  const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased);

/// `aflix_sgd_pass` on one variant: 0 the baseline build, 1 the AVX2 build (x86 only). Returns 0,
/// or −1 (and does nothing) for a variant this build or CPU lacks. For tests that compare them.
int aflix_sgd_pass_variant(
  int variant, const int32_t *order, size_t count, const int32_t *users, const int32_t *items,
  const float *values, float *p, float *q, float *bu, float *bi, size_t blocks, float mu,
  float lr, float reg, int biased);

/// The instruction set `aflix_sgd_pass` runs on this machine: "avx2", "sse2", "neon" or
/// "generic".
const char *aflix_kernel_isa(void);

#ifdef __cplusplus
}
#endif

#endif
