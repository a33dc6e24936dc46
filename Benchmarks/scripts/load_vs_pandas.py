#!/usr/bin/env python3
"""Issue 10's loading benchmark, side by side in one run: `aflix info FILE --json`'s
`load_seconds` (parse, check every value, map ids, build CSR and CSC) against the pandas + SciPy
path on the very same file: `pandas.read_csv` (userId, movieId, rating, timestamp), id mapping
(`pd.factorize` on sorted uniques, so indices follow ascending ids as AFlix's do), then
`scipy.sparse.csr_matrix` and its `tocsc()` (duplicates summed by SciPy, not checked).

Runs are interleaved (peer, aflix, peer, aflix, ...) so both see the same machine state; each
aflix run is a fresh process measured with /usr/bin/time -v for its peak RSS.

Usage (from the repository root, after ../shared/anchors/setup.sh and
`swift build -c release --product aflix`; the file from
`aflix synth --users 162000 --movies 62000 --ratings-per-user 10-300 --seed 1 --out DIR`):
    ~/.cache/aflix-anchors/bin/python Benchmarks/scripts/load_vs_pandas.py \
        --ratings DIR/ratings.csv [--world DIR] [--runs 3] [--aflix-args "--scale 0.5:5"]
Prints one JSON object per run and a summary with medians, ratio = aflix / peer (load
seconds; below 1 means AFlix is faster) and, with --world, the world folder's load time over the
ratings file's.
"""
import argparse, json, os, re, shlex, statistics, subprocess, sys, time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))

# The peer's whole path, run as `PYTHON -c PEER_CODE FILE`: a CSV with a header naming userId,
# movieId, rating[, timestamp], or a MovieLens tab file without a header (u.data, uN.base), read
# into the same four columns. Prints one JSON object (seconds: read + ids + CSR/CSC). Also used by
# suite.py.
PEER_CODE = r'''
import json, resource, sys, time
import numpy as np, pandas as pd, scipy.sparse as sp
dtype = {'userId': np.int64, 'movieId': np.int64, 'rating': np.float32, 'timestamp': np.int64}
with open(sys.argv[1], encoding='latin-1') as f:
    tab = '\t' in f.readline()
t0 = time.perf_counter()
if tab:
    df = pd.read_csv(sys.argv[1], sep='\t', header=None, names=list(dtype), dtype=dtype)
else:
    df = pd.read_csv(sys.argv[1], dtype=dtype)
t1 = time.perf_counter()
u, users = pd.factorize(df['userId'], sort=True)
i, items = pd.factorize(df['movieId'], sort=True)
t2 = time.perf_counter()
csr = sp.csr_matrix((df['rating'].to_numpy(), (u, i)), shape=(len(users), len(items)))
csc = csr.tocsc()
t3 = time.perf_counter()
print(json.dumps({'seconds': t3 - t0, 'read_csv': t1 - t0, 'ids': t2 - t1, 'csr_csc': t3 - t2,
                  'users': len(users), 'items': len(items), 'nnz': int(csr.nnz),
                  'peak_rss_kb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
'''


def peer_run(path):
    """pandas read_csv + id mapping + SciPy CSR and CSC in a fresh interpreter (so its peak RSS
    is its own); returns (seconds, peak_rss_kb)."""
    out = subprocess.run([sys.executable, '-c', PEER_CODE, path], check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out)


def aflix_run(a, path, extra):
    cmd = ['/usr/bin/time', '-v', a.aflix, 'info', path, '--json'] + extra
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    info = json.loads(proc.stdout)
    rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', proc.stderr).group(1))
    return {'seconds': info['load_seconds'], 'command_seconds': wall, 'peak_rss_kb': rss,
            'users': info['users'], 'items': info['items'], 'nnz': info['ratings']}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--ratings', required=True, help='a ratings CSV with userId,movieId,rating,timestamp')
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--aflix', default=os.path.join(root, '.build', 'release', 'aflix'))
    ap.add_argument('--aflix-args', default='--scale 0.5:5',
                    help='extra arguments of aflix info (default: --scale 0.5:5)')
    ap.add_argument('--world', default=None,
                    help='also time `aflix info WORLD --json` (a folder written by aflix synth whose '
                         'ratings.csv is --ratings) in the same interleaving, and report its load '
                         'time over the ratings file\'s')
    a = ap.parse_args()
    peers, ours, worlds = [], [], []
    for run in range(a.runs):
        p = peer_run(a.ratings)
        o = aflix_run(a, a.ratings, shlex.split(a.aflix_args))
        peers.append(p)
        ours.append(o)
        row = {'run': run + 1, 'peer': p, 'aflix': o}
        if a.world:
            w = aflix_run(a, a.world, [])
            worlds.append(w)
            row['aflix_world'] = w
        print(json.dumps(row), flush=True)

    med = lambda rows, key: statistics.median(r[key] for r in rows)
    summary = {
        'file': a.ratings, 'runs': a.runs,
        'peer_seconds_median': med(peers, 'seconds'), 'aflix_load_seconds_median': med(ours, 'seconds'),
        'aflix_command_seconds_median': med(ours, 'command_seconds'),
        'peer_peak_rss_mb_median': med(peers, 'peak_rss_kb') / 1024,
        'aflix_peak_rss_mb_median': med(ours, 'peak_rss_kb') / 1024,
    }
    summary['ratio_aflix_over_peer'] = summary['aflix_load_seconds_median'] / summary[
        'peer_seconds_median']
    if worlds:
        summary['world'] = a.world
        summary['world_load_seconds_median'] = med(worlds, 'seconds')
        summary['world_peak_rss_mb_median'] = med(worlds, 'peak_rss_kb') / 1024
        summary['world_over_ratings'] = summary['world_load_seconds_median'] / summary[
            'aflix_load_seconds_median']
    print(json.dumps(summary))


if __name__ == '__main__':
    main()
