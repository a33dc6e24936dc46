#!/usr/bin/env python3
"""Issue 4's clustering benchmark, side by side in one run: AFlix's K-means (10 restarts in lockstep, one
gemm per chunk for all of them) for k = 2..8 + the exact silhouette of all seven fits (one pass:
ClusterMetrics.silhouetteScores(_:labelings:)) against scikit-learn's KMeans(n_init=10) + silhouette_score on the very same
points: the user factors (U·Σ, uncentred, K = 50 — the K ../shared/anchors/seed_pipeline.py chooses
on this world) of the default synthetic world (10,000 users x 400 films, seed 42), written by
aflix-bench-cluster as a headerless CSV and read by ../shared/anchors/kmeans_points.py.

Usage (from the repository root, after ../shared/anchors/setup.sh):
    ~/.cache/aflix-anchors/bin/python Benchmarks/scripts/cluster_vs_sklearn.py [--threads 1] [--sweeps 3]
Prints one JSON object per k and a summary line with per-phase times (K-means, silhouette); ratio =
scikit-learn sweep / AFlix sweep (median of --sweeps). --algorithm lloyd|elkan and --silhouette single
run AFlix's plain Lloyd restart by restart (or Elkan-bounded) and one silhouette call per k instead (the same results), for before/after."""
import argparse, json, os, subprocess, sys, tempfile

from bench_build import release_binary

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--sweeps', type=int, default=3)
ap.add_argument('--factors', type=int, default=50)
ap.add_argument('--scratch-path', default=None, help='swift build --scratch-path for Benchmarks')
ap.add_argument('--skip-build', action='store_true', help='use the aflix-bench-cluster already built')
ap.add_argument('--algorithm', default='batched', choices=['batched', 'elkan', 'lloyd'])
ap.add_argument('--silhouette', default='sweep', choices=['sweep', 'single'])
ap.add_argument('--anchors', default=os.path.join(root, '..', 'shared', 'anchors'))
a = ap.parse_args()

binary = release_binary(os.path.join(root, 'Benchmarks'), a.scratch_path, 'aflix-bench-cluster',
                        a.skip_build)
tmp = tempfile.mkdtemp(prefix='aflix-cluster-')
csv = os.path.join(tmp, 'factors.csv')
ours = json.loads(subprocess.run(
    [binary, '--write-csv', csv, '--threads', str(a.threads),
     '--sweeps', str(a.sweeps), '--factors', str(a.factors), '--algorithm', a.algorithm,
     '--silhouette', a.silhouette],
    check=True, capture_output=True, text=True).stdout)

sk_total = 0.0
sk_fit = 0.0
sk_silhouette = 0.0
sk_rows = []
for row in ours['per_k']:
    k = row['k']
    sk = json.loads(subprocess.run(
        [sys.executable, os.path.join(a.anchors, 'kmeans_points.py'), '--points', csv, '--k', str(k),
         '--n-init', '10', '--threads', str(a.threads)],
        check=True, capture_output=True, text=True).stdout)
    seconds = sk['fit_seconds'] + sk['silhouette_seconds']
    sk_total += seconds
    sk_fit += sk['fit_seconds']
    sk_silhouette += sk['silhouette_seconds']
    composite = 0.5 * sk['silhouette_score'] + 0.3 * sk['balance'] + 0.2 / k
    sk_rows.append((k, composite))
    print(json.dumps({
        'k': k, 'threads': a.threads,
        'aflix_inertia': row['inertia'], 'sklearn_inertia': sk['inertia'],
        'inertia_ratio': row['inertia'] / sk['inertia'],
        'aflix_silhouette': row['silhouette'], 'sklearn_silhouette': sk['silhouette_score'],
        'aflix_balance': row['balance'], 'sklearn_balance': sk['balance'],
        'aflix_fit_seconds': row['fit_seconds'],
        'sklearn_seconds': seconds, 'sklearn_fit_seconds': sk['fit_seconds'],
        'sklearn_silhouette_seconds': sk['silhouette_seconds']}))
sk_best = max(sk_rows, key=lambda r: r[1])[0]
summary = {'aflix_median_sweep_seconds': ours['median_sweep_seconds'],
           'aflix_sweep_seconds': ours['sweep_seconds'],
           'aflix_kmeans_seconds': ours['median_kmeans_seconds'],
           'aflix_silhouette_seconds': ours['median_silhouette_seconds'],
           'aflix_algorithm': ours['algorithm'], 'aflix_silhouette': ours['silhouette'],
           'sklearn_sweep_seconds': sk_total, 'sklearn_kmeans_seconds': sk_fit,
           'sklearn_silhouette_seconds': sk_silhouette,
           'ratio': sk_total / ours['median_sweep_seconds'], 'aflix_chosen_k': ours['chosen_k'],
           'sklearn_chosen_k': sk_best, 'same_k': ours['chosen_k'] == sk_best,
           'threads': a.threads, 'factors': ours['factors'], 'blas_core': ours['blas_core'],
           'svd_seconds': ours['svd_seconds']}
print(json.dumps(summary))
print(f"k = 2..8, K = {ours['factors']}, {a.threads} thread(s): AFlix {ours['median_sweep_seconds']:.3f} s "
      f"(K-means {ours['median_kmeans_seconds']:.3f} + silhouette {ours['median_silhouette_seconds']:.3f}) "
      f"vs scikit-learn {sk_total:.3f} s ({sk_fit:.3f} + {sk_silhouette:.3f}) -> {summary['ratio']:.1f}x; "
      f"chosen k AFlix {ours['chosen_k']}, scikit-learn {sk_best}", file=sys.stderr)
