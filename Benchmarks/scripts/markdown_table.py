#!/usr/bin/env python3
"""The README's benchmark table from one suite run: python3 Benchmarks/scripts/markdown_table.py out/bench.json

One row per step: the 1-thread figures of both sides, the AFlix/peer ratio at 1 and 2 threads
(below 1: AFlix is faster) and peak memory. Standard library only."""
import json, sys, collections
d=json.load(open(sys.argv[1]))
def fmt(v,u):
    if v is None: return '—'
    if u=='s': return f'{v:.3f} s' if v<10 else f'{v:.1f} s'
    if u=='ms': return f'{v:.3f} ms' if v<10 else f'{v:.1f} ms'
    return f'{v:g} {u}'
rows=collections.OrderedDict()
for r in d['rows']:
    rows.setdefault(r['label'],{})[r['threads']]=r
print('| step | AFlix, 1 thread | peer, 1 thread | AFlix / peer, 1 thread | AFlix / peer, 2 threads | peak MB, AFlix / peer |')
print('|---|---|---|---|---|---|')
for label,by in rows.items():
    r1=by.get(1) or next(iter(by.values())); r2=by.get(2)
    peer=r1.get('peer')
    pname=peer['name'].split(' (')[0] if peer else ''
    ratio=lambda r: (f"**{r['ratio']:.2f}**" if r and r['ratio'] is not None else '—')
    pm=r1['aflix'].get('peak_mb'); ppm=peer.get('peak_mb') if peer else None
    mem=f"{pm:.0f} / {ppm:.0f}" if ppm else f"{pm:.0f}"
    peercell=f"{fmt(peer['median'],r1['unit'])} ({pname})" if peer else '— ' + (r1.get('no_peer_reason') or 'no peer').split(':')[0]
    print(f"| {label} | {fmt(r1['aflix']['median'],r1['unit'])} | {peercell} | {ratio(r1)} | {ratio(r2) if r2 else '—'} | {mem} |")
m=d['machine']
print()
print(f"One run of `python3 Benchmarks/scripts/suite.py --peers` ({d['date']}, commit `{d['git_commit'][:7]}`, {m['cpu']} with {m['cores']} cores, {m['swift']}, OpenBLAS {m['blas_core']}; {d['suite_seconds']:.0f} s; medians of 3–5 runs per side, alternating).")
