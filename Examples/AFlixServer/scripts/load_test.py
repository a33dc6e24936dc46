#!/usr/bin/env python3
"""The load target of issue 16: `wrk -t1 -c32 -d30s` on GET /api/recommendations/user/{id},
cycling through at least 1,000 users of the default synthetic world, while the server retrains
in the background on one thread without pause; once with the cache on, once with it off.

Standard library only. Starts the release `aflix-server` (build it first:
`swift build -c release --package-path Examples/AFlixServer --product aflix-server`) on a
temporary database, waits for /ready, logs in as admin, runs wrk with a Lua script, and reads
/api/recommendations/status before and after (cache hits, model generations = retrainings).

  python3 Examples/AFlixServer/scripts/load_test.py [--duration 30] [--users 2000] [--json out.json]
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

from server_client import call

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
LUA = r"""
local users = tonumber(os.getenv("AFLIX_LOAD_USERS"))
local token = os.getenv("AFLIX_LOAD_TOKEN")
local counter = 0
request = function()
  counter = counter + 1
  local user = (counter % users) + 1
  return wrk.format("GET", "/api/recommendations/user/" .. user .. "?top_n=10",
    { ["Authorization"] = "Bearer " .. token })
end
"""


def seconds(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}[unit]


def parse_wrk(output):
    result = {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }
    for name, key in (("50%", "p50_ms"), ("75%", "p75_ms"), ("90%", "p90_ms"), ("99%", "p99_ms")):
        match = re.search(r"^\s+%s\s+(\S+)" % re.escape(name), output, re.M)
        result[key] = seconds(match.group(1)) * 1000
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    result["socket_errors"] = sum(int(g) for g in errors.groups()) if errors else 0
    result["non_2xx"] = int(non2xx.group(1)) if non2xx else 0
    return result


def run(binary, cache_size, args, port):
    folder = tempfile.mkdtemp(prefix="aflix-load-")
    secret = "load test secret of thirty-two bytes or more"
    command = [
        binary, "--port", str(port), "--database", os.path.join(folder, "store.sqlite"),
        "--cache-size", str(cache_size), "--training-threads", "1",
        "--admin-password", "load-test-admin", "--jwt-secret", secret,
    ] + ([] if args.no_retrain else ["--retrain-every", "0"])
    log = open(os.path.join(folder, "server.log"), "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = "http://127.0.0.1:%d" % port
    try:
        deadline = time.time() + 300
        while True:
            try:
                if call(base + "/ready", timeout=2)[1].get("ready"):
                    break
            except Exception:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit("the server did not become ready; see " + log.name)
            time.sleep(0.2)
        token = call(base + "/api/auth/login", "POST",
                     {"username": "admin", "password": "load-test-admin"})[1]["access_token"]
        if args.experiment:
            # Every list is then computed at the user's variant, and its first is an exposure.
            variants = {"weights": ["measured", "original"], "diversity": ["off", "original"],
                        "k_svd": ["25", "30", "35"]}[args.experiment]
            call(base + "/api/admin/experiments", "POST",
                 {"name": "load", "variants": variants, "applies_to": args.experiment}, token)
        before = call(base + "/api/recommendations/status")[1]
        script = os.path.join(folder, "users.lua")
        with open(script, "w") as handle:
            handle.write(LUA)
        environment = dict(os.environ, AFLIX_LOAD_USERS=str(args.users), AFLIX_LOAD_TOKEN=token)
        wrk = subprocess.run(
            ["wrk", "-t1", "-c32", "-d%ds" % args.duration, "--latency", "-s", script, base],
            env=environment, capture_output=True, text=True, check=True)
        after = call(base + "/api/recommendations/status")[1]
        result = parse_wrk(wrk.stdout)
        hits = after["cache"]["hits"] - before["cache"]["hits"]
        misses = after["cache"]["misses"] - before["cache"]["misses"]
        result.update({
            "cache_size": cache_size,
            "users_cycled": args.users,
            "cache_hit_rate": hits / (hits + misses) if hits + misses else None,
            "retrainings_during_run": after["model_generation"] - before["model_generation"],
            "training_seconds_last": after["training_seconds"],
            "model_phase_after": after["model_phase"],
            "wrk_output": wrk.stdout,
        })
        return result
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--binary", default=os.path.join(PACKAGE, ".build", "release", "aflix-server"))
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--no-retrain", action="store_true",
                        help="no background retraining (a baseline for comparison)")
    parser.add_argument("--cache", choices=["both", "on", "off"], default="both")
    parser.add_argument("--experiment", choices=["weights", "diversity", "k_svd"],
                        help="measure with an experiment of this kind changing every list")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    machine = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": os.getloadavg()[0],
        "commit": subprocess.run(["git", "-C", PACKAGE, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip(),
        "dirty": bool(subprocess.run(["git", "-C", PACKAGE, "status", "--porcelain", "--", "."],
                                     capture_output=True, text=True).stdout.strip()),
        "cores": os.cpu_count(),
    }
    sizes = {"both": (10_000, 0), "on": (10_000,), "off": (0,)}[args.cache]
    runs = [run(args.binary, size, args, args.port + k) for k, size in enumerate(sizes)]
    machine["load_average_after"] = os.getloadavg()[0]
    print("%s, commit %s%s, %d cores, load %.2f -> %.2f%s" % (
        machine["date"], machine["commit"], " (dirty)" if machine["dirty"] else "", machine["cores"],
        machine["load_average_before"], machine["load_average_after"],
        ", experiment: " + args.experiment if args.experiment else ""))
    print("| cache | requests/s | p50 ms | p90 ms | p99 ms | errors | hit rate | retrainings |")
    print("|---|---|---|---|---|---|---|---|")
    for r in runs:
        print("| %s | %.0f | %.2f | %.2f | %.2f | %d | %s | %d |" % (
            "on" if r["cache_size"] else "off", r["requests_per_second"], r["p50_ms"],
            r["p90_ms"], r["p99_ms"], r["socket_errors"] + r["non_2xx"],
            "%.1f %%" % (100 * r["cache_hit_rate"]) if r["cache_size"] else "-",
            r["retrainings_during_run"]))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"machine": machine, "runs": runs}, handle, indent=2)
    failed = [r for r in runs if r["socket_errors"] + r["non_2xx"] > 0 or r["p99_ms"] >= 10
              or (r["retrainings_during_run"] < 1 and not args.no_retrain)]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
