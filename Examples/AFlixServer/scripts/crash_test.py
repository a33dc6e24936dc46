#!/usr/bin/env python3
"""The crash-safety target of issue 16: SIGKILL the server during a stream of rating writes
while it retrains and saves models without pause; on restart every acknowledged rating is there
(counted), and the model directory holds only whole model files (the newest loads).

Standard library only. Runs the release `aflix-server` (build it first:
`swift build -c release --package-path Examples/AFlixServer --product aflix-server`).

  python3 Examples/AFlixServer/scripts/crash_test.py [--rounds 5] [--writers 4] [--json out.json]

With `--database postgres://…` (an empty database) the same run is made on the PostgreSQL store.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

from server_client import call

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)
SECRET = "crash test secret of thirty-two bytes or more"


class Server:
    def __init__(self, binary, folder, port, database=None):
        self.base = "http://127.0.0.1:%d" % port
        self.command = [
            binary, "--port", str(port),
            "--database", database or os.path.join(folder, "store.sqlite"),
            "--model-dir", os.path.join(folder, "models"), "--retrain-every", "0",
            "--admin-password", "crash-test-admin", "--jwt-secret", SECRET,
        ]
        self.log_path = os.path.join(folder, "server.log")

    def start(self):
        self.log_offset = os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0
        self.log = open(self.log_path, "a")
        self.process = subprocess.Popen(self.command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                if call(self.base + "/ready", timeout=2)[1].get("ready"):
                    return
            except Exception:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit("the server did not become ready; see " + self.log_path)

    def first_model(self):
        """What served first since the last start: ("loaded", file) or ("trained", None)."""
        with open(self.log_path) as handle:
            handle.seek(self.log_offset)
            for line in handle:
                if "model loaded" in line:
                    file = line.split("file=", 1)[1].split()[0] if "file=" in line else None
                    return "loaded", file
                if "model serving" in line:
                    return "trained", None
        return None, None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.log.close()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()


def writer(server, users, films, stop, acknowledged, in_flight, seed, counts, refused):
    rng = random.Random(seed)
    while not stop.is_set():
        user, token = rng.choice(users)
        film = rng.choice(films)
        value = rng.randint(1, 5)
        in_flight[user] = (film, value)
        try:
            status, _ = call(server.base + "/api/ratings", "POST",
                             {"movie_id": film, "rating": value}, token, timeout=10)
        except urllib.error.HTTPError as error:
            # An answer, not a lost connection: a refused write fails the run.
            refused.append((user, film, value, error.code, error.read()[:200]))
            in_flight.pop(user, None)
            continue
        except (urllib.error.URLError, ConnectionError, OSError):
            return  # the server is gone: this write was not acknowledged
        if status == 201:
            acknowledged[(user, film)] = value
            counts.append(1)
        in_flight.pop(user, None)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--users-per-writer", type=int, default=2)
    parser.add_argument("--port", type=int, default=18180)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--binary", default=os.path.join(PACKAGE, ".build", "release", "aflix-server"))
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--database", help="a PostgreSQL URL of an empty database (default: SQLite)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (log, store)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    folder = tempfile.mkdtemp(prefix="aflix-crash-")
    server = Server(args.binary, folder, args.port, args.database)
    server.start()
    films = []
    for genre in call(server.base + "/api/genres")[1]["genres"]:
        key = genre["id"] if genre["id"] is not None else genre["name"]
        films += [f["movie_id"] for f in call("%s/api/genres/%s/films" % (server.base, key))[1]["films"]]
    films = sorted(set(films))
    accounts = []
    for w in range(args.writers):
        group = []
        for k in range(args.users_per_writer):
            name = "crash-%d-%d" % (w, k)
            call(server.base + "/api/auth/register", "POST", {"username": name, "password": "pw"})
            token = call(server.base + "/api/auth/login", "POST",
                         {"username": name, "password": "pw"})[1]["access_token"]
            group.append((name, token))
        accounts.append(group)
    acknowledged = {}
    rounds = []
    for round_ in range(args.rounds):
        stop = threading.Event()
        in_flight = {}
        counts = []
        refused = []
        acked_before = len(acknowledged)
        threads = [threading.Thread(target=writer, args=(server, accounts[w], films, stop,
                                                         acknowledged, in_flight, rng.random(), counts,
                                                         refused))
                   for w in range(args.writers)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(2.0, 6.0))
        _, status = call(server.base + "/api/recommendations/status")
        server.kill()
        stop.set()
        for t in threads:
            t.join()
        models = os.path.join(folder, "models")
        files_at_kill = sorted(os.listdir(models)) if os.path.isdir(models) else []
        server.start()
        first, loaded_file = server.first_model()
        # Every acknowledged rating, with its last acknowledged value (or the value of the
        # write in flight at the kill, which may have been committed without its answer).
        missing, wrong, checked = [], [], 0
        for group in accounts:
            for name, token in group:
                if not any(user == name for user, _ in acknowledged):
                    continue
                _, history = call(server.base + "/api/recommendations/user/%s/history" % name,
                                  token=token)
                stored = {r["movie_id"]: r["rating"] for r in history["ratings"]}
                for (user, film), value in acknowledged.items():
                    if user != name:
                        continue
                    checked += 1
                    if film not in stored:
                        missing.append((user, film))
                    elif stored[film] != value and in_flight.get(user) != (film, stored[film]):
                        wrong.append((user, film, value, stored[film]))
        with open(server.log_path) as handle:
            skipped = [line.strip() for line in handle if "not loaded, trying an older one" in line]
        rounds.append({
            "round": round_ + 1,
            "writes_acknowledged_this_round": len(counts),
            "new_pairs_this_round": len(acknowledged) - acked_before,
            "acknowledged_total": len(acknowledged),
            "present": checked - len(missing),
            "missing": missing, "wrong_value": wrong,
            "refused_writes": [list(map(str, r)) for r in refused],
            "model_generations_before_kill": status["model_generation"],
            "files_at_kill": files_at_kill,
            "first_model_after_restart": first, "model_file": loaded_file,
            "damaged_files_skipped": skipped,
        })
        print("round %d: %d writes acknowledged; %d (user, film) ratings acknowledged in all, "
              "%d present with their last value, %d missing, "
              "%d wrong; %d model files at the kill %s; restart served %s (%s)%s" % (
                  round_ + 1, len(counts), len(acknowledged),
                  checked - len(missing), len(missing), len(wrong), len(files_at_kill),
                  [f for f in files_at_kill if f.endswith(".partial")] or "",
                  loaded_file, first,
                  "; DAMAGED FILES SKIPPED" if skipped else "") +
              ("; %d WRITES REFUSED: %s" % (len(refused), refused[:3]) if refused else ""),
              flush=True)
    server.stop()
    if args.keep:
        print("kept", folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(rounds, handle, indent=2)
    bad = [r for r in rounds if r["missing"] or r["wrong_value"] or r["refused_writes"] or r["first_model_after_restart"] != "loaded"
           or r["damaged_files_skipped"]]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
