// OpenBLAS's CBLAS interface and the reference LAPACKE wrapper over OpenBLAS's LAPACK.
// One BLAS in the process: LAPACKE calls OpenBLAS's LAPACK routines.
#ifndef AFLIX_BLAS_SHIM_H
#define AFLIX_BLAS_SHIM_H
#include <cblas.h>
#include <lapacke.h>
#endif
