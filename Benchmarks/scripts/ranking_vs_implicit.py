#!/usr/bin/env python3
"""AFlix's ranking models against implicit's ALS and BPR on the same split files (issue 5).

For each seed: writes MovieLens 100k split per user 75/25 (`stratified:0.75`) as train.csv /
test.csv (with `aflix split` when --aflix is given, else `aflix-bench-ranking --write-split`,
the same RatingsCSVWriter), runs `aflix-bench-ranking --train --test` (EASE, iALS, BPR,
popularity with their defaults) and the anchor `ranking_eval.py` (implicit ALS and BPR with
32/64/128 factors, every held-out rating relevant, k = 10) on those files, then prints the figures
side by side: one JSON line per run, then a table of mean ± std over seeds.

Usage: ranking_vs_implicit.py [--seeds 42,1,2] [--work DIR] [--aflix PATH] [--threads 1]
Build first: swift build -c release --package-path Benchmarks --product aflix-bench-ranking
"""
import argparse, json, os, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
ap = argparse.ArgumentParser()
ap.add_argument('--seeds', default='42,1,2')
ap.add_argument('--work', default=None)
ap.add_argument('--aflix', default=None, help='the aflix CLI, to write the splits with `aflix split`')
ap.add_argument('--bench', default=None, help='the aflix-bench-ranking executable')
ap.add_argument('--python', default=os.path.expanduser('~/.cache/aflix-anchors/bin/python'))
ap.add_argument('--anchors', default=os.path.normpath(os.path.join(ROOT, '..', 'shared', 'anchors')))
ap.add_argument('--data', default=os.environ.get('AFLIX_DATA') or os.path.normpath(os.path.join(ROOT, '..', 'shared', 'data')))
ap.add_argument('--factors', default='32,64,128')
ap.add_argument('--threads', default='1', help='implicit threads (AFlix uses its defaults)')
a = ap.parse_args()

bench = a.bench
if bench is None:
    for scratch in ('.build-rank', '.build'):
        p = os.path.join(ROOT, 'Benchmarks', scratch, 'release', 'aflix-bench-ranking')
        if os.path.exists(p): bench = p; break
if bench is None: sys.exit('build aflix-bench-ranking first (release) or pass --bench')
work = a.work or tempfile.mkdtemp(prefix='aflix-ranking-')
METRICS = ['ndcg_at_10', 'precision_at_10', 'recall_at_10', 'map_at_10', 'fit_seconds']

def run_json(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith('{')]

rows = {}  # label -> list of per-seed dicts
for seed in [int(s) for s in a.seeds.split(',')]:
    folder = os.path.join(work, f'seed{seed}')
    if a.aflix:
        subprocess.run([a.aflix, 'split', os.path.join(a.data, 'ml-100k'), '--protocol', 'stratified:0.75',
                        '--seed', str(seed), '--out', folder], check=True, capture_output=True)
    else:
        run_json([bench, '--write-split', folder, '--seeds', str(seed), '--data', a.data])
    train, test = os.path.join(folder, 'train.csv'), os.path.join(folder, 'test.csv')
    for r in run_json([bench, '--train', train, '--test', test]):
        if r.get('summary'): continue
        r.update(seed=seed, peer='aflix'); print(json.dumps(r), flush=True)
        rows.setdefault('aflix ' + r['model'], []).append(r)
    for algo in ('als', 'bpr'):
        for f in a.factors.split(','):
            r = run_json([a.python, os.path.join(a.anchors, 'ranking_eval.py'), '--train', train, '--test', test,
                          '--algo', algo, '--factors', f, '--relevant', 'all', '--threads', a.threads])[0]
            r.update(seed=seed, factors=int(f)); print(json.dumps(r), flush=True)
            rows.setdefault(f'implicit {algo} {f}f', []).append(r)

def ms(xs):
    return (statistics.mean(xs), statistics.stdev(xs) if len(xs) > 1 else 0.0)

print(f'\nMovieLens 100k, stratified:0.75, seeds {a.seeds}, every held-out rating relevant, k = 10 (mean ± std)')
print(f'{"model":<22}' + ''.join(f'{m:>20}' for m in METRICS))
summary = {}
for label, rs in rows.items():
    cells = {m: ms([r[m] for r in rs]) for m in METRICS}
    summary[label] = {m: {'mean': v[0], 'std': v[1]} for m, v in cells.items()}
    print(f'{label:<22}' + ''.join(f'{v[0]:>12.4f} ± {v[1]:<5.3f}' for v in cells.values()))
best_peer = max((l for l in rows if l.startswith('implicit')), key=lambda l: summary[l]['ndcg_at_10']['mean'])
best_aflix = max((l for l in rows if l.startswith('aflix')), key=lambda l: summary[l]['ndcg_at_10']['mean'])
print(json.dumps({'summary': True, 'best_aflix': best_aflix, 'best_aflix_ndcg_at_10': summary[best_aflix]['ndcg_at_10']['mean'],
                  'best_implicit': best_peer, 'best_implicit_ndcg_at_10': summary[best_peer]['ndcg_at_10']['mean'],
                  'work': work, 'models': summary}))
