#!/usr/bin/env python3
"""Issue 2's SVD benchmark, side by side in one run: AFlix's randomized truncated SVD against
scikit-learn's TruncatedSVD(algorithm="randomized", n_iter=5) on the very same 10,000 x 400 sparse
matrix (~300,000 stored ratings), for K = 10..50, plus AFlix's exact dense SVD of a 2,000 x 400
matrix. Accuracy of both is measured against numpy's exact LAPACK SVD of the dense matrix.

Usage (from the repository root, after ../shared/anchors/setup.sh):
    ~/.cache/aflix-anchors/bin/python Benchmarks/scripts/svd_vs_sklearn.py [--threads 1] [--repeat 7]
Prints one JSON object per K and a summary line; speedup = sklearn median / AFlix median."""
import argparse, json, os, subprocess, sys, tempfile

from bench_build import release_binary

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument('--threads', type=int, default=1)
ap.add_argument('--repeat', type=int, default=7)
ap.add_argument('--anchors', default=os.path.join(root, '..', 'shared', 'anchors'))
a = ap.parse_args()

binary = release_binary(os.path.join(root, 'Benchmarks'), None, 'aflix-bench-svd')
tmp = tempfile.mkdtemp(prefix='aflix-svd-')
csv = os.path.join(tmp, 'matrix.csv')
ours = [json.loads(l) for l in subprocess.run(
    [binary, '--write-csv', csv, '--threads', str(a.threads),
     '--repeats', str(a.repeat)], check=True, capture_output=True, text=True).stdout.splitlines()]

def peer(*args):
    out = subprocess.run([sys.executable, os.path.join(a.anchors, 'svd_values.py'), '--ratings', csv,
                          '--threads', str(a.threads), '--repeat', str(a.repeat), *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)

exact = peer('--algorithm', 'exact', '--k', '50', '--repeat', '1')['singular_values']
def max_rel(values, k):
    return max(abs(values[i] - exact[i]) / exact[i] for i in range(k))

info = next(o for o in ours if o['benchmark'] == 'matrix')
print(json.dumps({'matrix': info}))
summary = {}
for k in range(10, 51, 10):
    sk = peer('--algorithm', 'randomized', '--k', str(k))
    row = {'k': k, 'threads': a.threads, 'sklearn_seconds': sk['seconds'],
           'sklearn_max_rel_error': max_rel(sk['singular_values'], k)}
    for o in ours:
        if o['benchmark'] == 'randomized_svd' and o['k'] == k:
            s = o['strategy']
            row[f'aflix_{s}_seconds'] = o['median_seconds']
            row[f'aflix_{s}_max_rel_error'] = max_rel(o['singular_values'], k)
            row[f'speedup_{s}'] = sk['seconds'] / o['median_seconds']
    print(json.dumps(row))
    summary[k] = row
dense = next(o for o in ours if o['benchmark'] == 'exact_svd_dense')
print(json.dumps({'exact_dense_svd_2000x400_seconds': dense['median_seconds']}))
r = summary[50]
print(f"K=50: AFlix gram {r['aflix_gram_seconds']*1e3:.1f} ms vs scikit-learn {r['sklearn_seconds']*1e3:.1f} ms "
      f"-> {r['speedup_gram']:.1f}x; max rel. error of sigma: AFlix {r['aflix_gram_max_rel_error']:.2e}, "
      f"scikit-learn {r['sklearn_max_rel_error']:.2e}", file=sys.stderr)
