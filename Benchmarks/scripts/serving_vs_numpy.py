#!/usr/bin/env python3
"""Issue 11's serving benchmark side by side: numpy's bare top-10 (../shared/anchors/topk_numpy.py,
one sgemv + mask + argpartition, 1 thread) and AFlix's `recommend` (aflix-bench-serving) on the
same shapes (50,000 items, 30 factors, 10,000 users with 50 seen items, n = 10, 2,000 requests;
batch of 10,000 users over the first 400 items), run alternately for --rounds rounds so that both
see the same machine state. Prints every round's JSON, then the ratios of medians (AFlix / numpy:
below 1 is faster) and the issue's targets:
  single request p50 and p99 <= 0.5 x numpy's; fold-in of 20 ratings + top-10 p50/p99 <= numpy's
  bare top-10; batch >= 2 x faster (ratio <= 0.5) on 1 thread; concurrency (AFlix only) throughput
  ratio >= 1.5 and concurrent p99 service time <= 2 x the sequential one.
The Swift binary runs with OpenBLAS's default thread count (its serving path is serial by
construction); numpy is pinned to 1 thread by topk_numpy.py itself.

Usage (from the repository root, after ../shared/anchors/setup.sh):
    ~/.cache/aflix-anchors/bin/python Benchmarks/scripts/serving_vs_numpy.py [--rounds 3]
        [--scratch-path DIR] [--skip-build] [--no-ml100k]"""
import argparse, json, os, statistics, subprocess, sys

from bench_build import release_binary

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(os.path.dirname(here))
ap = argparse.ArgumentParser()
ap.add_argument('--rounds', type=int, default=3)
ap.add_argument('--scratch-path', default=None)
ap.add_argument('--skip-build', action='store_true')
ap.add_argument('--no-ml100k', action='store_true')
ap.add_argument('--anchors', default=os.path.join(root, '..', 'shared', 'anchors'))
ap.add_argument('--python', default=os.path.expanduser('~/.cache/aflix-anchors/bin/python'),
                help='the anchors environment (numpy) that runs topk_numpy.py')
a = ap.parse_args()

binary = release_binary(os.path.join(root, 'Benchmarks'), a.scratch_path, 'aflix-bench-serving',
                        a.skip_build)
shape = ['--items', '50000', '--factors', '30', '--users', '10000', '--seen', '50', '--n', '10',
         '--requests', '2000', '--batch-items', '400']
env = {k: v for k, v in os.environ.items()
       if k not in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS')}

numpy_rounds, ours_rounds = [], []
for r in range(a.rounds):
    out = subprocess.run([a.python, os.path.join(a.anchors, 'topk_numpy.py'), *shape],
                         check=True, capture_output=True, text=True).stdout
    numpy_rounds.append(json.loads(out))
    print(json.dumps({'round': r, **numpy_rounds[-1]}), flush=True)
    args = [binary, *shape, '--json', '--threads', '1,2']
    if a.no_ml100k or r > 0:
        args.append('--no-ml100k')  # the ML-100k fit is slow and its figures do not pair with numpy
    lines = [json.loads(l) for l in subprocess.run(args, check=True, capture_output=True,
                                                   text=True, env=env).stdout.splitlines()]
    ours_rounds.append(lines)
    for l in lines:
        print(json.dumps({'round': r, 'peer': 'aflix', **l}), flush=True)

def ours(benchmark, key, **match):
    return statistics.median(l[key] for rnd in ours_rounds for l in rnd
                             if l['benchmark'] == benchmark
                             and all(l.get(k) == v for k, v in match.items()))

def peer(key):
    return statistics.median(n[key] for n in numpy_rounds)

summary = {
    'rounds': a.rounds,
    'numpy_p50_ms': peer('p50_ms'), 'numpy_p99_ms': peer('p99_ms'),
    'numpy_batch_seconds': peer('batch_seconds'),
    'single_p50_ms': ours('single', 'p50_ms'), 'single_p99_ms': ours('single', 'p99_ms'),
    'foldin_p50_ms': ours('foldin', 'p50_ms'), 'foldin_p99_ms': ours('foldin', 'p99_ms'),
    'foldin_source': next(l['source'] for l in ours_rounds[0] if l['benchmark'] == 'foldin'),
    'batch_seconds_1_thread': ours('batch', 'seconds', threads=1, excluding='rated'),
    'batch_seconds_2_threads': ours('batch', 'seconds', threads=2, excluding='rated'),
    'batch_seconds_1_thread_no_exclusion': ours('batch', 'seconds', threads=1,
                                                 excluding='nothing'),
}
summary['single_p50_ratio'] = summary['single_p50_ms'] / summary['numpy_p50_ms']
summary['single_p99_ratio'] = summary['single_p99_ms'] / summary['numpy_p99_ms']
summary['foldin_p50_ratio'] = summary['foldin_p50_ms'] / summary['numpy_p50_ms']
summary['foldin_p99_ratio'] = summary['foldin_p99_ms'] / summary['numpy_p99_ms']
summary['batch_ratio_1_thread'] = summary['batch_seconds_1_thread'] / summary['numpy_batch_seconds']
summary['batch_ratio_2_threads'] = (summary['batch_seconds_2_threads']
                                    / summary['numpy_batch_seconds'])
for model in sorted({l['model'] for rnd in ours_rounds for l in rnd
                     if l['benchmark'] == 'concurrency'}):
    summary[f'concurrency[{model}]'] = {
        key: ours('concurrency', key, model=model)
        for key in ('sequential_per_second', 'concurrent_per_second', 'throughput_ratio',
                    'sequential_p99_ms', 'concurrent_p99_ms', 'p99_ratio')}
summary['targets'] = {
    'single_p50_half_of_numpy': summary['single_p50_ratio'] <= 0.5,
    'single_p99_half_of_numpy': summary['single_p99_ratio'] <= 0.5,
    'foldin_no_slower_than_numpy': max(summary['foldin_p50_ratio'],
                                       summary['foldin_p99_ratio']) <= 1,
    'batch_2x_faster_1_thread': summary['batch_ratio_1_thread'] <= 0.5,
    **{f'concurrency[{m}]': c['throughput_ratio'] >= 1.5 and c['p99_ratio'] <= 2
       for m, c in ((k[12:-1], v) for k, v in summary.items() if k.startswith('concurrency['))},
}
print(json.dumps({'summary': summary}, indent=1))
