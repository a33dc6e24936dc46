#!/usr/bin/env python3
"""Fit time of AFlix's SGD matrix factorisation against Surprise's SVD, same hyper-parameters,
side by side in one run (issue 5's "at least 5x faster" target).

Both fit MovieLens 100k's u1.base with 100 factors and 20 epochs (Surprise's defaults for lr and
reg: 0.005 and 0.02). The runs are interleaved round by round so both see the same machine load:
each round runs the anchor script `../shared/anchors/rating_eval.py` once (one Surprise fit in a
fresh process) and the release benchmark `aflix-bench-rating` once per thread count (`--repeats`
fits in one process; the first fit of a process shares the CPU with OpenBLAS's worker threads,
which spin for about 0.1 s after start-up). Prints medians and the ratio Surprise / AFlix.

`--also SPEC;SPEC` times further AFlix models the same way (default: ALS with the same number of
factors, `mf-als:factors=100`, to say how the ALS fit compares); `--also ''` skips them.

Usage: Benchmarks/scripts/fit_time_vs_surprise.py [--rounds 5] [--repeats 3] [--threads 1,2]
         [--factors 100] [--epochs 20] [--also SPECS] [--python VENV/bin/python] [--data DIR]
         [--skip-build]
"""
import argparse, json, os, statistics, subprocess

from bench_build import release_binary

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared'))

ap = argparse.ArgumentParser()
ap.add_argument('--rounds', type=int, default=5)
ap.add_argument('--repeats', type=int, default=3)
ap.add_argument('--threads', default='1,2')
ap.add_argument('--factors', type=int, default=100)
ap.add_argument('--epochs', type=int, default=20)
ap.add_argument('--fold', type=int, default=1)
ap.add_argument('--also', default=None)
ap.add_argument('--python', default=os.path.expanduser('~/.cache/aflix-anchors/bin/python'))
ap.add_argument('--data', default=os.environ.get('AFLIX_DATA', os.path.join(SHARED, 'data')))
ap.add_argument('--scratch', default=os.path.join(BENCH, '.build-mf'))
ap.add_argument('--skip-build', action='store_true')
a = ap.parse_args()
threads = [int(t) for t in a.threads.split(',')]

binary = release_binary(BENCH, a.scratch, 'aflix-bench-rating', a.skip_build)

folder = os.path.join(a.data, 'ml-100k')
train = os.path.join(folder, f'u{a.fold}.base')
test = os.path.join(folder, f'u{a.fold}.test')
params = {'n_factors': a.factors, 'n_epochs': a.epochs}
spec = f'mf-sgd:factors={a.factors},epochs={a.epochs},lr=0.005,reg=0.02'
also = [x for x in (a.also if a.also is not None else f'mf-als:factors={a.factors}').split(';') if x]
specs = [spec] + also

surprise, surprise_rmse = [], None
aflix = {(sp, t): [] for sp in specs for t in threads}
aflix_rmse = {}
for r in range(a.rounds):
    out = subprocess.run([a.python, os.path.join(SHARED, 'anchors', 'rating_eval.py'), '--train',
                          train, '--test', test, '--algo', 'svd', '--params', json.dumps(params)],
                         check=True, capture_output=True, text=True).stdout
    rec = json.loads(out.strip().splitlines()[-1])
    surprise.append(rec['fit_seconds'])
    surprise_rmse = rec['rmse']
    for sp in specs:
        for t in threads:
            out = subprocess.run([binary, '--data', a.data, '--folds', str(a.fold), '--models',
                                  sp, '--repeats', str(a.repeats), '--threads', str(t)],
                                 check=True, capture_output=True, text=True).stdout
            rec = json.loads(out.splitlines()[0])
            aflix[(sp, t)] += rec.get('fit_seconds_all', [rec['fit_seconds']])
            aflix_rmse[(sp, t)] = rec['rmse']

s = statistics.median(surprise)
print(f"u{a.fold}.base, {a.factors} factors, {a.epochs} epochs, lr 0.005, reg 0.02; "
      f"{a.rounds} rounds")
print(f"  Surprise SVD: median fit {s:.4f} s over {len(surprise)} fits "
      f"(min {min(surprise):.4f}, max {max(surprise):.4f}); RMSE {surprise_rmse:.4f}")
result = {'surprise_fit_median': s, 'surprise_fits': surprise, 'surprise_rmse': surprise_rmse}
for sp in specs:
    for t in threads:
        fits = aflix[(sp, t)]
        m = statistics.median(fits)
        print(f"  AFlix {sp}, {t} thr: median fit {m:.4f} s over {len(fits)} fits "
              f"(min {min(fits):.4f}, max {max(fits):.4f}); RMSE {aflix_rmse[(sp, t)]:.4f}  "
              f"-> Surprise / AFlix = {s / m:.1f}x")
        result[f'{sp} {t} threads'] = {'median': m, 'fits': fits, 'ratio': s / m,
                                        'rmse': aflix_rmse[(sp, t)]}
print(json.dumps(result))
