#!/usr/bin/env python3
"""AFlix's rating predictors against Surprise on MovieLens 100k's canonical folds, side by side.

Runs the release benchmark `aflix-bench-rating` (every AFlix rating model with its defaults, plus
`mf-sgd` with the same hyper-parameters as each Surprise SVD run) and the anchor script
`../shared/anchors/rating_eval.py` (Surprise SVD with defaults and with ours, SVD++, BaselineOnly)
on the same files u1..u5, then prints per-fold and mean RMSE/MAE and fit-time ratios.

Usage: Benchmarks/scripts/rating_vs_surprise.py [--folds 1,2,3,4,5] [--python VENV/bin/python]
         [--data DIR] [--skip-build] [--aflix-models 'spec;spec'] [--json OUT]
"""
import argparse, json, os, statistics, subprocess, sys

from bench_build import release_binary

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared'))

ap = argparse.ArgumentParser()
ap.add_argument('--folds', default='1,2,3,4,5')
ap.add_argument('--python', default=os.path.expanduser('~/.cache/aflix-anchors/bin/python'))
ap.add_argument('--data', default=os.environ.get('AFLIX_DATA', os.path.join(SHARED, 'data')))
ap.add_argument('--scratch', default=os.path.join(BENCH, '.build-mf'))
ap.add_argument('--skip-build', action='store_true')
ap.add_argument('--aflix-models', default='baseline;svd;mf-sgd;mf-als;svdpp;bpmf')
ap.add_argument('--json', help='also write every record to this file')
a = ap.parse_args()
folds = [int(f) for f in a.folds.split(',')]

# Surprise runs and the AFlix spec with the same hyper-parameters (for the fit-time ratio).
SURPRISE = [
    ('svd', {}, 'mf-sgd:factors=100,epochs=20,lr=0.005,reg=0.02'),
    ('svd', {'n_factors': 100, 'n_epochs': 40, 'lr_all': 0.01, 'reg_all': 0.1},
     'mf-sgd:factors=100,epochs=40,lr=0.01,reg=0.1'),
    ('svdpp', {}, 'svdpp:factors=20,epochs=20,lr=0.007,reg=0.02'),
    ('baseline', {}, 'baseline'),
]

binary = release_binary(BENCH, a.scratch, 'aflix-bench-rating', a.skip_build)

specs = a.aflix_models.split(';') + [s for _, _, s in SURPRISE if s not in a.aflix_models.split(';')]
out = subprocess.run([binary, '--data', a.data, '--folds', a.folds, '--models', ';'.join(specs)],
                     check=True, capture_output=True, text=True).stdout
records = [json.loads(line) for line in out.splitlines() if line.startswith('{')]
aflix = {}  # spec -> fold -> record
for r in records:
    if not r.get('summary'):
        aflix.setdefault(r['model'], {})[r['fold']] = r

surprise = {}  # label -> fold -> record
for algo, params, _ in SURPRISE:
    label = f"surprise-{algo}" + (json.dumps(params, sort_keys=True) if params else '')
    for f in folds:
        base = os.path.join(a.data, 'ml-100k')
        res = subprocess.run([a.python, os.path.join(SHARED, 'anchors', 'rating_eval.py'),
                              '--train', os.path.join(base, f'u{f}.base'),
                              '--test', os.path.join(base, f'u{f}.test'), '--algo', algo,
                              '--params', json.dumps(params)],
                             check=True, capture_output=True, text=True).stdout
        surprise.setdefault(label, {})[f'u{f}'] = json.loads(res.strip().splitlines()[-1])


def summary(byfold):
    rows = [byfold[f'u{f}'] for f in folds]
    m = lambda key: statistics.mean(r[key] for r in rows)
    s = lambda key: statistics.stdev(r[key] for r in rows) if len(rows) > 1 else 0.0
    return {'rmse': m('rmse'), 'rmse_std': s('rmse'), 'mae': m('mae'), 'mae_std': s('mae'),
            'fit': m('fit_seconds'), 'per_fold': [round(r['rmse'], 4) for r in rows]}


print(f"{'model':58s} {'RMSE mean±std':>16s} {'MAE mean':>9s} {'fit s':>8s}  per-fold RMSE")
table = {}
for label, byfold in list(aflix.items()) + list(surprise.items()):
    sm = summary(byfold)
    table[label] = sm
    name = label if label.startswith('surprise') else 'aflix ' + label
    print(f"{name:58s} {sm['rmse']:.4f}±{sm['rmse_std']:.4f} {sm['mae']:9.4f} {sm['fit']:8.3f}  "
          f"{sm['per_fold']}")

print('\nfit-time ratios (Surprise / AFlix, same hyper-parameters, mean over folds):')
for algo, params, spec in SURPRISE:
    label = f"surprise-{algo}" + (json.dumps(params, sort_keys=True) if params else '')
    if spec in table:
        print(f"  {label:70s} vs {spec}: {table[label]['fit'] / table[spec]['fit']:.1f}x  "
              f"(RMSE {table[label]['rmse']:.4f} vs {table[spec]['rmse']:.4f})")
if 'mf-als' in table:
    sp = table.get('mf-sgd:factors=100,epochs=20,lr=0.005,reg=0.02')
    if sp:
        print(f"  ALS default fit {table['mf-als']['fit']:.3f} s vs SGD(Surprise defaults) "
              f"{sp['fit']:.3f} s")
best = min((v['rmse'], k) for k, v in table.items() if not k.startswith('surprise'))
print(f"\nbest AFlix model: {best[1]} mean RMSE {best[0]:.4f} (target ≤ 0.905)")
if a.json:
    with open(a.json, 'w') as fh:
        json.dump({'aflix': aflix, 'surprise': surprise, 'summary': table}, fh, indent=1)
