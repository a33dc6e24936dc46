#!/usr/bin/env python3
"""AFlix's benchmark suite: every headline measurement in one command, each run as a child process
(its peak memory from the child's rusage), with the peer libraries on the same files in the same
run when --peers is given, printed as a table and written as one JSON document.

    Benchmarks/scripts/suite.py [--peers] [--quick | --smoke] [--threads 1,2] [--json OUT]
                                [--table OUT] [--skip-build] [--only STEP,STEP]

Steps (ids for --only): load, synth, optimize, mf-sgd, mf-als, ials, topn, persistence, demo.
It calls the existing measurement commands and never re-implements them: `aflix info --json`
(load_seconds), `aflix synth --json`, `aflix optimize --strategy original --save`,
`aflix bench topn --json`, and the release benchmarks `aflix-bench-rating`,
`aflix-bench-ranking` and `aflix-bench-persistence`; the peers are the anchor scripts
($AFLIX_ANCHORS, default ../shared/anchors: seed_pipeline.py, rating_eval.py, ranking_eval.py,
topk_numpy.py) and load_vs_pandas.py's pandas + SciPy path, run by the anchors' Python
($AFLIX_ANCHORS_PYTHON, default ~/.cache/aflix-anchors/bin/python; ../shared/anchors/setup.sh
makes it). This script itself needs only the standard library (system python3).

ratio = AFlix / peer for times (below 1: AFlix is faster). Medians over the runs; runs of the two
sides are interleaved so that both see the same machine state. Benchmarks/README.md describes
every step, the JSON fields and which steps have no peer.
"""
import argparse, datetime, json, os, platform, shlex, shutil, statistics, subprocess, sys, tempfile
import time

from bench_build import release_binary
from load_vs_pandas import PEER_CODE as PANDAS_LOAD_CODE

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
SHARED = os.path.normpath(os.path.join(ROOT, '..', 'shared'))
STEPS = ['load', 'synth', 'optimize', 'mf-sgd', 'mf-als', 'ials', 'topn', 'persistence', 'demo']
PRODUCTS = ['aflix', 'aflix-bench-rating', 'aflix-bench-ranking', 'aflix-bench-persistence']

# The hyper-parameters both sides fit with (fit_time_vs_surprise.py's: Surprise's SVD defaults
# with 100 factors and 20 epochs; implicit's ALS defaults of ranking_eval.py: 64 factors, 15
# iterations, every training rating a positive).
SGD_SPEC = 'mf-sgd:factors=100,epochs=20,lr=0.005,reg=0.02'
SURPRISE_PARAMS = {'n_factors': 100, 'n_epochs': 20}  # lr 0.005, reg 0.02: Surprise's defaults
ALS_SPEC = 'mf-als:factors=100'
IALS_SPEC = 'ials:factors=64,iterations=15'


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--peers', action='store_true',
                    help='also run the peer libraries on the same files and print AFlix/peer ratios')
    ap.add_argument('--quick', action='store_true', help='fewer repeats (about half the time)')
    ap.add_argument('--smoke', action='store_true',
                    help='tiny sizes and one run of each step: checks that every command still '
                         'runs and parses (seconds, not figures to quote)')
    ap.add_argument('--threads', default='1,2',
                    help='thread counts for the steps that use threads, both sides alike '
                         '(default 1,2; top-N is 1 thread by construction)')
    ap.add_argument('--only', default=None, help='comma-separated step ids: ' + ','.join(STEPS))
    ap.add_argument('--json', default=None, help='write the JSON document here')
    ap.add_argument('--table', default=None, help='also write the printed table here')
    ap.add_argument('--skip-build', action='store_true', help='use the release products built')
    ap.add_argument('--configuration', default='release', choices=['release', 'debug'],
                    help='debug: only with --smoke, e.g. in CI after a debug build')
    ap.add_argument('--scratch-path', default=None,
                    help='swift build --scratch-path for the Benchmarks package')
    ap.add_argument('--data', default=os.environ.get('AFLIX_DATA') or os.path.join(SHARED, 'data'),
                    help='the folder holding ml-100k/ (default $AFLIX_DATA or ../shared/data)')
    ap.add_argument('--anchors', default=os.environ.get('AFLIX_ANCHORS')
                    or os.path.join(SHARED, 'anchors'))
    ap.add_argument('--python', default=os.environ.get('AFLIX_ANCHORS_PYTHON')
                    or os.path.expanduser('~/.cache/aflix-anchors/bin/python'),
                    help="the anchors' Python (numpy, scikit-learn, Surprise, implicit)")
    a = ap.parse_args()
    a.threads = [int(t) for t in a.threads.split(',')]
    if a.smoke:
        a.threads = a.threads[:1]
    if a.configuration == 'debug' and not a.smoke:
        ap.error('--configuration debug measures nothing worth quoting: use it with --smoke')
    a.only = a.only.split(',') if a.only else STEPS
    unknown = [s for s in a.only if s not in STEPS]
    if unknown:
        ap.error(f"unknown step(s) {', '.join(unknown)}; known: {', '.join(STEPS)}")
    return a


class Child:
    """One finished child process: its standard output, wall seconds and peak resident MB."""

    def __init__(self, stdout, seconds, peak_mb):
        self.stdout, self.seconds, self.peak_mb = stdout, seconds, peak_mb

    def json_lines(self):
        return [json.loads(l) for l in self.stdout.splitlines() if l.startswith('{')]

    def last_json(self):
        return self.json_lines()[-1]


def run(argv, threads):
    """Runs argv with BLAS/OpenMP limited to `threads`, reaping it with os.wait4 for its rusage
    (ru_maxrss: the child's own peak resident set, in KiB on Linux)."""
    env = dict(os.environ)
    for v in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
        env[v] = str(threads)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode()
        if proc.returncode != 0:
            tail = err.read().decode()[-2000:]
            raise RuntimeError(f"{shlex.join(argv)} exited with {proc.returncode}:\n{tail}")
    return Child(stdout, seconds, usage.ru_maxrss / 1024)


class Side:
    """The runs of one side of a row: values, peak memory, the command."""

    def __init__(self, name):
        self.name, self.values, self.peak_mb, self.command = name, [], 0.0, None

    def add(self, value, child, argv):
        if isinstance(value, list):
            self.values += value
        else:
            self.values.append(value)
        self.peak_mb = max(self.peak_mb, child.peak_mb)
        self.command = shlex.join(argv)

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None

    def record(self):
        return {'name': self.name, 'median': self.median, 'runs': self.values,
                'peak_mb': round(self.peak_mb, 1), 'command': self.command}


class Suite:
    def __init__(self, a):
        self.a = a
        self.rows = []
        self.blas_core = None
        self.t0 = time.perf_counter()
        self.work = tempfile.mkdtemp(prefix='aflix-suite-')
        self.world = os.path.join(self.work, 'world')
        self.ml = os.path.join(a.data, 'ml-100k')
        self.has_ml = os.path.exists(os.path.join(self.ml, 'u.data'))
        if a.smoke:
            self.reps = {'short': 1, 'medium': 1, 'long': 1}
        elif a.quick:
            self.reps = {'short': 3, 'medium': 2, 'long': 1}
        else:
            self.reps = {'short': 5, 'medium': 3, 'long': 3}

    # --- helpers -----------------------------------------------------------------------------
    def bin(self, product):
        return self.bins[product]

    def anchor(self, script, *args):
        return [self.a.python, os.path.join(self.a.anchors, script), *args]

    def row(self, step, label, threads, unit, aflix, peer=None, no_peer=None, notes='',
            extra=None, lower_is_better=True):
        ratio = None
        if peer is not None and peer.median and aflix.median is not None:
            ratio = aflix.median / peer.median
        r = {'step': step, 'label': label, 'threads': threads, 'unit': unit,
             'lower_is_better': lower_is_better, 'aflix': aflix.record(),
             'peer': peer.record() if peer is not None else None, 'ratio': ratio,
             'no_peer_reason': None if peer is not None else no_peer, 'notes': notes,
             'extra': extra or {}}
        self.rows.append(r)
        value = fmt(aflix.median, unit) + (f' vs {fmt(peer.median, unit)}' if peer else '')
        print(f'  [{time.perf_counter() - self.t0:5.0f} s] {label}, {threads} thr: {value}',
              file=sys.stderr, flush=True)
        return r

    def peers(self):
        return self.a.peers

    # --- steps -------------------------------------------------------------------------------
    def step_load(self, threads):
        files = []
        if self.has_ml:
            files.append(('ML-100k u.data', os.path.join(self.ml, 'u.data')))
        files.append(('synthetic ratings.csv', os.path.join(self.world, 'ratings.csv')))
        for label, path in files:
            ours = Side('aflix info --json (load_seconds)')
            peer = Side('pandas + SciPy (load_vs_pandas.py)') if self.peers() else None
            count = None
            for _ in range(self.reps['short']):
                argv = [self.bin('aflix'), 'info', path, '--json', '--threads', str(threads)]
                c = run(argv, threads)
                info = c.last_json()
                count = info['ratings']
                self.blas_core = info.get('blas_core')
                ours.add(info['load_seconds'], c, argv)
                if peer is not None:
                    argv = [self.a.python, '-c', PANDAS_LOAD_CODE, path]
                    c = run(argv, threads)
                    peer.add(c.last_json()['seconds'], c,
                             [self.a.python, '-c', 'load_vs_pandas.PEER_CODE', path])
            self.row('load', f'load {label} ({count:,} ratings)', threads, 's', ours, peer,
                     'peers not run', notes='parse, map ids, CSR + CSC'
                     + ('; pandas is single-threaded' if peer is not None else '')
                     + "; AFlix's peak also covers info's histogram and top singular values")

    def synth_argv(self, out, threads):
        argv = [self.bin('aflix'), 'synth', '--out', out, '--seed', '42', '--json', '--threads',
                str(threads)]
        if self.a.smoke:
            argv += ['--users', '500']
        return argv

    def make_world(self):
        """The world every later step reads: the default (10,000 users x 400 films, seed 42)."""
        if not os.path.exists(os.path.join(self.world, 'ratings.csv')):
            run(self.synth_argv(self.world, self.a.threads[-1]), self.a.threads[-1])

    def step_synth(self, threads):
        ours = Side('aflix synth --json (seconds)')
        info = None
        for n in range(self.reps['short']):
            out = os.path.join(self.work, f'synth-{threads}-{n}')
            argv = self.synth_argv(out, threads)
            c = run(argv, threads)
            info = c.last_json()
            ours.add(info['seconds'], c, argv)
            shutil.rmtree(out, ignore_errors=True)
        self.row('synth', f"generate world {info['users']:,}x{info['films']} "
                 f"({info['ratings']:,} ratings, CSV)", threads, 's', ours,
                 no_peer='no peer generates this world',
                 extra={'ratings': info['ratings'], 'users': info['users'],
                        'films': info['films']})

    def step_optimize(self, threads):
        ratings = os.path.join(self.world, 'ratings.csv')
        names = ['aflix optimize --strategy original', 'scikit-learn seed_pipeline.py']
        sweep, single, clusters, total = ([Side(n) for n in names] for _ in range(4))
        chosen = {}
        svd, svd_label, kmax = ('10,20', '10,20', 20) if self.a.smoke else ('10...50',
                                                                       '10..50 step 5', 50)
        ks, ks_label = ('2,3', '2,3') if self.a.smoke else ('2...8', '2..8')
        for n in range(self.reps['long']):
            saved = os.path.join(self.work, f'optimize-{threads}-{n}.json')
            argv = [self.bin('aflix'), 'optimize', ratings, '--strategy', 'original', '--svd', svd,
                    '--clusters', ks, '--seed', '42', '--threads', str(threads), '--json',
                    '--save', saved]
            c = run(argv, threads)
            with open(saved) as f:
                res = json.load(f)
            cl = sum(x['seconds'] for x in res['k_cluster_candidates'])
            sweep[0].add(res['decomposition_seconds'], c, argv)
            single[0].add(res['decomposition_seconds'], c, argv)
            clusters[0].add(cl, c, argv)
            total[0].add(res['seconds'], c, argv)
            chosen['aflix'] = (res['k_svd'], res['k_cluster'])
            if self.peers() and not self.a.smoke:
                argv = self.anchor('seed_pipeline.py', '--ratings', ratings, '--threads',
                                   str(threads), '--seed', '42')
                c = run(argv, threads)
                p = c.last_json()
                k50 = next(x['seconds'] for x in p['k_svd'] if x['k'] == kmax)
                sweep[1].add(p['svd_sweep_seconds'], c, argv)
                single[1].add(k50, c, argv)
                clusters[1].add(p['cluster_sweep_seconds'], c, argv)
                total[1].add(p['total_seconds'] - p['load_seconds'], c, argv)
                chosen['peer'] = (p['final_k_svd'], p['final_k_cluster'])
        peer = self.peers() and not self.a.smoke
        no_peer = 'peers not run' if not self.peers() else 'not in --smoke'
        ks_note = (f"chosen K-SVD/K-cluster: AFlix {chosen['aflix'][0]}/{chosen['aflix'][1]}"
                   + (f", scikit-learn {chosen['peer'][0]}/{chosen['peer'][1]}" if peer else ''))
        self.row('optimize', f'SVD K sweep {svd_label} (world)', threads, 's', sweep[0],
                 sweep[1] if peer else None, no_peer,
                 notes=f'AFlix: one SVD at K={kmax} serves every K; scikit-learn: a fit per K')
        self.row('optimize', f'SVD at K={kmax}, one decomposition (world)', threads, 's', single[0],
                 single[1] if peer else None, no_peer,
                 notes='randomized, both; the sweep above without the per-K refits')
        self.row('optimize', f'K-means (10 restarts) + silhouette, k {ks_label}', threads, 's',
                 clusters[0], clusters[1] if peer else None, no_peer,
                 notes='on the users\' factors at the chosen K-SVD')
        self.row('optimize', 'full optimisation (original strategy, no load)', threads, 's',
                 total[0], total[1] if peer else None, no_peer, notes=ks_note,
                 extra={'chosen': chosen})

    def step_mf(self, threads, spec, label, peer_params):
        ours = Side(f'aflix-bench-rating {spec}')
        peer = Side('Surprise SVD') if peer_params is not None and self.peers() else None
        rmse = {}
        folds = ['--folds', '1']
        model = spec
        if self.a.smoke:  # the same small fit on both sides
            model = spec.replace('factors=100', 'factors=8').replace('epochs=20', 'epochs=2')
            model += '' if 'sgd' in spec else ',iterations=2'
            if peer_params is not None:
                peer_params = {'n_factors': 8, 'n_epochs': 2}
        repeats = self.reps['short'] if 'sgd' in spec else self.reps['medium']
        # One fit per process on both sides, alternating: each run starts cold, as the peer's do.
        for _ in range(repeats):
            argv = [self.bin('aflix-bench-rating'), '--data', self.a.data, *folds, '--models',
                    model, '--repeats', '1', '--threads', str(threads)]
            c = run(argv, threads)
            rec = c.json_lines()[0]
            ours.add(rec.get('fit_seconds_all', [rec['fit_seconds']]), c, argv)
            rmse['aflix'] = rec['rmse']
            if peer is not None:
                argv = self.anchor('rating_eval.py', '--train', os.path.join(self.ml, 'u1.base'),
                                   '--test', os.path.join(self.ml, 'u1.test'), '--algo', 'svd',
                                   '--params', json.dumps(peer_params))
                c = run(argv, threads)
                p = c.last_json()
                peer.add(p['fit_seconds'], c, argv)
                rmse['peer'] = p['rmse']
        notes = f"u1.test RMSE AFlix {rmse['aflix']:.4f}"
        if 'peer' in rmse:
            notes += f", Surprise {rmse['peer']:.4f}; Surprise runs 1 thread only"
        if peer_params is None:
            no_peer = 'Surprise has no ALS MF; implicit ALS is the iALS row'
        else:
            no_peer = 'peers not run'
        params = dict(kv.split('=') for kv in model.split(':')[1].split(','))
        label += f", u1.base ({params['factors']} factors" + (
            f", {params['epochs']} epochs)" if 'epochs' in params else
            f", {params['iterations']} iterations)" if 'iterations' in params else ')')
        self.row(spec.split(':')[0], label, threads, 's', ours, peer, no_peer, notes=notes,
                 extra={'rmse': rmse, 'spec': model})

    def step_ials(self, threads):
        spec = 'ials:factors=8,iterations=2' if self.a.smoke else IALS_SPEC
        ours = Side(f'aflix-bench-ranking {spec}')
        peer = Side('implicit ALS') if self.peers() else None
        ndcg = {}
        train, test = os.path.join(self.ml, 'u1.base'), os.path.join(self.ml, 'u1.test')
        for _ in range(self.reps['medium']):
            argv = [self.bin('aflix-bench-ranking'), '--train', train, '--test', test, '--models',
                    spec, '--threads', str(threads)]
            c = run(argv, threads)
            rec = c.json_lines()[0]
            ours.add(rec['fit_seconds'], c, argv)
            ndcg['aflix'] = rec['ndcg_at_10']
            if peer is not None:
                f, it = ('8', '2') if self.a.smoke else ('64', '15')
                argv = self.anchor('ranking_eval.py', '--train', train, '--test', test, '--algo',
                                   'als', '--factors', f, '--iterations', it, '--relevant', 'all',
                                   '--threads', str(threads))
                c = run(argv, threads)
                p = c.last_json()
                peer.add(p['fit_seconds'], c, argv)
                ndcg['peer'] = p['ndcg_at_10']
        notes = f"NDCG@10 AFlix {ndcg['aflix']:.3f}" + (
            f", implicit {ndcg['peer']:.3f}" if 'peer' in ndcg else '')
        params = dict(kv.split('=') for kv in spec.split(':')[1].split(','))
        self.row('ials', f"implicit ALS fit, u1.base ({params['factors']} factors, "
                 f"{params['iterations']} iterations)", threads, 's',
                 ours, peer, 'peers not run', notes=notes, extra={'ndcg_at_10': ndcg})

    def step_topn(self, items):
        shape = ['--items', str(items)]
        if self.a.smoke:
            shape += ['--users', '200', '--requests', '50']
        names = ('aflix bench topn (full hybrid)', 'numpy topk_numpy.py (bare top-10)')
        p50, p99, batch = ([Side(n) for n in names] for _ in range(3))
        for _ in range(self.reps['medium']):
            argv = [self.bin('aflix'), 'bench', 'topn', *shape, '--json']
            c = run(argv, 1)
            o = c.last_json()
            p50[0].add(o['p50_ms'], c, argv)
            p99[0].add(o['p99_ms'], c, argv)
            batch[0].add(o['batch_seconds'], c, argv)
            if self.peers():
                argv = self.anchor('topk_numpy.py', *shape)
                c = run(argv, 1)
                p = c.last_json()
                p50[1].add(p['p50_ms'], c, argv)
                p99[1].add(p['p99_ms'], c, argv)
                batch[1].add(p['batch_seconds'], c, argv)
        peer = self.peers()
        users = 200 if self.a.smoke else 10_000
        self.row('topn', f'single-user top-10 p50, {items:,} films', 1, 'ms', p50[0],
                 p50[1] if peer else None, 'peers not run',
                 notes='AFlix: hybrid with explanations; numpy: one dot product + argpartition')
        self.row('topn', f'single-user top-10 p99, {items:,} films', 1, 'ms', p99[0],
                 p99[1] if peer else None, 'peers not run')
        self.row('topn', f'batch top-10, {users:,} users x 400 films ({items:,}-film model)', 1,
                 's', batch[0], batch[1] if peer else None, 'peers not run')

    def step_persistence(self, threads):
        models = 'mf-sgd' if self.a.smoke else 'mf-sgd,ials,ease'
        argv = [self.bin('aflix-bench-persistence'), '--data', self.a.data, '--models', models,
                '--repeats', str(self.reps['short']), '--threads', str(threads)]
        c = run(argv, threads)
        why = 'no peer writes a comparable model file'
        for rec in c.json_lines():
            save, load = Side('save(to:)'), Side('ModelRegistry.load(from:)')
            save.add([s * 1e3 for s in rec['save_seconds_all']], c, argv)
            load.add([s * 1e3 for s in rec['load_seconds_all']], c, argv)
            size = f"{rec['bytes'] / 1e6:.2f} MB file"
            ok = 'round trip exact' if rec['round_trip'] else 'ROUND TRIP DIFFERS'
            self.row('persistence', f"save {rec['model']} model (u1.base)", threads, 'ms', save,
                     no_peer=why, notes=f'{size}, atomic write',
                     extra={'bytes': rec['bytes'], 'fit_seconds': rec['fit_seconds']})
            self.row('persistence', f"load {rec['model']} model (u1.base)", threads, 'ms', load,
                     no_peer=why, notes=f'every value checked; {ok}',
                     extra={'bytes': rec['bytes'], 'round_trip': rec['round_trip']})

    def step_demo(self, threads):
        """The README's first command on its embedded default: `aflix demo --json`."""
        ours = Side('aflix demo --json (seconds)')
        argv = [self.bin('aflix'), 'demo', '--json', '--threads', str(threads)]
        if self.a.smoke:
            argv += ['--users', '500']
        summary = None
        for _ in range(self.reps['medium']):
            c = run(argv, threads)
            summary = c.last_json()
            ours.add(summary['seconds'], c, argv)
        self.row('demo', f"aflix demo end to end ({summary['users']:,}-user world)", threads,
                 's', ours,
                 no_peer='no peer runs this pipeline (the original engine claimed 312 MB)',
                 notes=f"world, K search, hybrid, segments, cold start; chosen K-SVD "
                 f"{summary['k_svd']}, K-cluster {summary['k_cluster']}",
                 extra={'k_svd': summary['k_svd'], 'k_cluster': summary['k_cluster']})

    # --- the run -------------------------------------------------------------------------------
    def build(self):
        t0 = time.perf_counter()
        self.bins = {p: release_binary(BENCH, self.a.scratch_path, p, self.a.skip_build,
                                       self.a.configuration)
                     for p in PRODUCTS}
        missing = [p for p, path in self.bins.items() if not os.path.exists(path)]
        if missing:
            sys.exit(f"not built: {', '.join(missing)} (run without --skip-build)")
        return time.perf_counter() - t0

    def run_all(self):
        only = self.a.only
        needs_ml = {'mf-sgd', 'mf-als', 'ials', 'persistence'}
        skipped = [s for s in only if s in needs_ml and not self.has_ml]
        if skipped:
            print(f"MovieLens 100k not found under {self.a.data}: skipping {', '.join(skipped)}",
                  file=sys.stderr)
        self.make_world()
        for t in self.a.threads:
            if 'load' in only:
                self.step_load(t)
        for t in self.a.threads:
            if 'synth' in only:
                self.step_synth(t)
        for t in self.a.threads:
            if 'optimize' in only:
                self.step_optimize(t)
        for t in self.a.threads:
            if 'mf-sgd' in only and self.has_ml:
                self.step_mf(t, SGD_SPEC, 'MF fit SGD', SURPRISE_PARAMS)
        for t in self.a.threads:
            if 'mf-als' in only and self.has_ml:
                self.step_mf(t, ALS_SPEC, 'MF fit ALS', None)
        for t in self.a.threads:
            if 'ials' in only and self.has_ml:
                self.step_ials(t)
        if 'topn' in only:
            for items in ((400, 2000) if self.a.smoke else (400, 50_000)):
                self.step_topn(items)
        if 'persistence' in only and self.has_ml:
            self.step_persistence(self.a.threads[0])
        for t in self.a.threads:
            if 'demo' in only:
                self.step_demo(t)


def git(*args):
    try:
        return subprocess.run(['git', '-C', ROOT, *args], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine(blas_core):
    cpu = None
    try:
        with open('/proc/cpuinfo') as f:
            cpu = next((l.split(':', 1)[1].strip() for l in f if l.startswith('model name')), None)
    except OSError:
        pass
    try:
        swift = subprocess.run(['swift', '--version'], capture_output=True, text=True)
        swift = (swift.stdout or swift.stderr).splitlines()[0]
    except (OSError, IndexError):
        swift = None
    return {'cpu': cpu, 'cores': os.cpu_count(), 'system': platform.platform(),
            'machine': platform.machine(), 'python': platform.python_version(),
            'swift': swift, 'blas_core': blas_core}


def peer_versions(python):
    code = ('import json, importlib.metadata as m\n'
            'print(json.dumps({p: m.version(p) for p in ("numpy", "scipy", "pandas", '
            '"scikit-learn", "scikit-surprise", "implicit")}))')
    try:
        return json.loads(subprocess.run([python, '-c', code], capture_output=True, text=True,
                                         check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None


def fmt(value, unit):
    if value is None:
        return '—'
    if unit == 'ms':
        return f'{value:.3f} ms' if value < 10 else f'{value:.1f} ms'
    return f'{value:.3f} s' if value < 10 else f'{value:.1f} s'


COLUMNS = f"{'step':<58} {'thr':>3} {'AFlix':>10} {'peer':>10} {'ratio':>6} " \
          f"{'peak MB':>13} {'runs':>5}  notes"


def print_row(r, out):
    a, p = r['aflix'], r['peer']
    ratio = '—' if r['ratio'] is None else f"{r['ratio']:.2f}"
    peak = f"{a['peak_mb']:.0f}" + (f" / {p['peak_mb']:.0f}" if p else '')
    runs = f"{len(a['runs'])}" + (f"/{len(p['runs'])}" if p else '')
    notes = r['notes'] or ''
    if p is None and r['no_peer_reason'] and r['no_peer_reason'] != 'peers not run':
        notes = f"no peer: {r['no_peer_reason']}" + (f'; {notes}' if notes else '')
    print(f"{r['label']:<58} {r['threads']:>3} {fmt(a['median'], r['unit']):>10} "
          f"{fmt(p['median'] if p else None, r['unit']):>10} {ratio:>6} {peak:>13} {runs:>5}  "
          f"{notes}", file=out, flush=True)


def table(doc):
    lines = []

    class Out:
        def write(self, s):
            lines.append(s)

        def flush(self):
            pass

    out = Out()
    m = doc['machine']
    peers = 'peers: ' + ', '.join(doc['peers']) if doc['peers'] else 'no peers (--peers not given)'
    print(f"AFlix benchmark suite — {doc['date']}, commit {doc['git_commit'] or '?'}"
          f"{' (uncommitted changes)' if doc['git_dirty'] else ''}, mode {doc['mode']}", file=out)
    print(f"{m['cpu']}, {m['cores']} cores, {m['system']}; {m['swift']}; OpenBLAS core "
          f"{m['blas_core'] or '?'}", file=out)
    if doc['peer_versions']:
        peers += ' (' + ', '.join(f'{k} {v}' for k, v in doc['peer_versions'].items()) + ')'
    print(f"{peers}; threads {','.join(map(str, doc['threads']))} (both sides alike)", file=out)
    la = doc['load_average']
    print(f"load average (1 min) {la['before'][0]:.2f} before the run (other work on these "
          f"cores), {la['after'][0]:.2f} after", file=out)
    print('ratio = AFlix / peer (below 1: AFlix is faster); values are medians over the runs '
          '(AFlix/peer); peak MB = the process\'s maximum resident memory, AFlix / peer', file=out)
    print(COLUMNS, file=out)
    for r in doc['rows']:
        print_row(r, out)
    print(f"total {doc['suite_seconds']:.0f} s (build {doc['build_seconds']:.0f} s, not timed "
          f"in any row)", file=out)
    return ''.join(lines)


def main():
    a = parse_args()
    if a.peers and not os.path.exists(a.python):
        sys.exit(f"--peers: the anchors' Python {a.python} is missing; run "
                 f"{os.path.join(a.anchors, 'setup.sh')} (or set AFLIX_ANCHORS_PYTHON)")
    suite = Suite(a)
    build_seconds = suite.build()
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = os.getloadavg()
    t0 = suite.t0 = time.perf_counter()
    suite.run_all()
    load_after = os.getloadavg()
    shutil.rmtree(suite.work, ignore_errors=True)
    mode = 'smoke' if a.smoke else 'quick' if a.quick else 'full'
    doc = {
        'suite': 'aflix-benchmarks', 'schema': 1,
        'date': started.strftime('%Y-%m-%d %H:%M UTC'),
        'git_commit': git('rev-parse', '--short=12', 'HEAD'),
        'git_dirty': bool(git('status', '--porcelain', '--untracked-files=no')),
        'mode': mode, 'threads': a.threads, 'repeats': suite.reps,
        'peers': ['pandas', 'scikit-learn', 'Surprise', 'implicit', 'numpy'] if a.peers else [],
        'ratio': 'aflix / peer (below 1: AFlix is faster)',
        'machine': machine(suite.blas_core),
        'load_average': {'before': [round(x, 2) for x in load_before],
                         'after': [round(x, 2) for x in load_after]},
        'peer_versions': peer_versions(a.python) if a.peers else None,
        'data': a.data, 'anchors': a.anchors if a.peers else None,
        'build_seconds': build_seconds, 'suite_seconds': time.perf_counter() - t0,
        'rows': suite.rows,
    }
    text = table(doc)
    print(text, end='')
    for path in (a.table, a.json):
        if path and os.path.dirname(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
    if a.table:
        with open(a.table, 'w') as f:
            f.write(text)
    if a.json:
        with open(a.json, 'w') as f:
            json.dump(doc, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
