#!/usr/bin/env python3
"""The acceptance test of the dashboard (`GET /`): headless Chromium logs in as the admin, waits
for the status, recommendations, evaluation and segments (`body[data-state="ready"]`), runs the
live K optimisation (`#optimize`, until `body[data-optimization="completed"]`), checks the K table
(2+ rows), the progress bar (full), the recommendations (1+), the segment chart (2+ bars) and the
RMSE (0.3…2.0), fails on any uncaught exception or console error, and saves a full-page PNG.

Standard library only; drives /usr/bin/chromium over the DevTools protocol on
--remote-debugging-pipe. Starts the built `aflix-server` on a free port (build it first:
`swift build -c release --package-path Examples/AFlixServer --product aflix-server`), or tests a
running one with --url (admin password: --password or $AFLIX_ADMIN_PASSWORD).

  python3 Examples/AFlixServer/scripts/dashboard_screenshot.py --out /tmp/dashboard.png
"""
import argparse
import base64
import fcntl
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOW = (1280, 1600)


class Failure(Exception):
    """What failed the test."""


class Chromium:
    """Headless Chromium over --remote-debugging-pipe: NUL-terminated JSON in on fd 3, out on 4."""

    def __init__(self, binary, folder):
        command_read, self.command_write = os.pipe()
        self.reply_read, reply_write = os.pipe()

        def child_fds():
            # Copies above 10 first, so that neither dup2 overwrites the other's source.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (command_read, reply_write)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.log_path = os.path.join(folder, "chromium.log")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                 "--remote-debugging-pipe", "--window-size=%d,%d" % WINDOW,
                 "--user-data-dir=" + os.path.join(folder, "profile"), "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(command_read)
        os.close(reply_write)
        self.next_id, self.replies, self.events, self.closed = 0, {}, [], False
        self.condition, self.write_lock = threading.Condition(), threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        pending = bytearray()
        try:
            while chunk := os.read(self.reply_read, 1 << 16):
                pending += chunk
                if b"\0" in chunk:
                    *messages, rest = bytes(pending).split(b"\0")
                    pending = bytearray(rest)
                    with self.condition:
                        for message in map(json.loads, messages):
                            if "id" in message:
                                self.replies[message["id"]] = message
                            else:
                                self.events.append(message)
                        self.condition.notify_all()
        finally:
            with self.condition:
                self.closed = True
                self.condition.notify_all()

    def _wait(self, found, what, timeout):
        """The first truthy found() under the lock, waiting for messages up to `timeout` s."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while not (result := found()):
                if self.closed or time.monotonic() > deadline:
                    raise Failure("%s: %s" % (what, "Chromium closed the pipe" if self.closed
                                              else "nothing in %g s" % timeout))
                self.condition.wait(max(deadline - time.monotonic(), 0.01))
            return result

    def send(self, method, params=None, session=None, timeout=30):
        """The result of the command `method`; a Failure for an error reply or no reply in time."""
        with self.condition:
            self.next_id += 1
            ident = self.next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = memoryview(json.dumps(message).encode() + b"\0")
        with self.write_lock:
            while data:
                data = data[os.write(self.command_write, data):]
        reply = self._wait(lambda: self.replies.pop(ident, None), method, timeout)
        if "error" in reply:
            raise Failure("%s: %s" % (method, reply["error"].get("message", reply["error"])))
        return reply.get("result", {})

    def wait_event(self, method, since, timeout):
        """The parameters of the first event `method` at index `since` or later."""
        return self._wait(lambda: next((e for e in self.events[since:] if e["method"] == method),
                                       None), method, timeout).get("params", {})

    def evaluate(self, session, expression):
        """The JSON value of `expression` in the page; a Failure if it throws."""
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise Failure("page script failed: " +
                          details.get("exception", {}).get("description", details.get("text")))
        return result["result"].get("value")

    def poll(self, session, expression, wanted, timeout):
        """`expression`'s value every 0.25 s until it is in `wanted`: (value, True), or (the last
        value, False) after `timeout` s."""
        deadline = time.monotonic() + timeout
        while (value := self.evaluate(session, expression)) not in wanted:
            if time.monotonic() > deadline:
                return value, False
            time.sleep(0.25)
        return value, True

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Failure:
            pass  # the pipe may close before the reply
        stop(self.process)
        os.close(self.command_write)


def page_errors(events):
    """Uncaught exceptions, console.error and console.assert calls and error log entries (but a
    missing favicon)."""
    errors = []
    for method, params in ((e["method"], e.get("params", {})) for e in events):
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            errors.append("uncaught: " + details.get("exception", {}).get("description",
                                                                           details.get("text")))
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            errors.append("console.%s: %s" % (params["type"], " ".join(
                str(a.get("value", a.get("description", a["type"]))) for a in params["args"])))
        elif (method == "Log.entryAdded" and params["entry"]["level"] == "error"
              and not params["entry"].get("url", "").endswith("/favicon.ico")):
            entry = params["entry"]
            errors.append("log (%s): %s %s" % (entry["source"], entry["text"],
                                               entry.get("url", "")))
    return errors


ERROR_TEXT = "(document.querySelector('#error') || {}).textContent || '(no #error text)'"
LOGIN = """(() => {
  const get = s => { const e = document.querySelector(s); if (e) return e;
                     throw new Error(s + ' is missing'); };
  for (const [s, v] of [['#username', %s], ['#password', %s]]) {
    get(s).value = v; get(s).dispatchEvent(new Event('input', {bubbles: true})); }
  get('#login').click(); })()"""
OPTIMIZE = """(() => { const b = document.querySelector('#optimize');
  if (!b) throw new Error('#optimize is missing'); b.click(); })()"""
FACTS = """(() => {
  const text = s => { const e = document.querySelector(s);
                      return e ? e.textContent.trim() : null; };
  const count = s => document.querySelectorAll(s).length;
  const p = document.querySelector('#progress');
  return {rows: count('#k-table tbody tr'), progress: p ? p.value : null, max: p ? p.max : null,
          recommendations: count('#recommendations li'), bars: count('#segments svg rect'),
          rmse: text('#rmse'), chosen: text('#k-chosen')};
})()"""


def drive(chrome, session, url, username, password, timeout):
    """Logs in, optimises and checks the page: its facts, or a Failure."""
    mark = len(chrome.events)
    navigation = chrome.send("Page.navigate", {"url": url}, session)
    if navigation.get("errorText"):
        raise Failure("cannot load %s: %s" % (url, navigation["errorText"]))
    chrome.wait_event("Page.loadEventFired", mark, 30)
    chrome.evaluate(session, LOGIN % (json.dumps(username), json.dumps(password)))
    state, done = chrome.poll(session, "document.body.dataset.state || ''", {"ready", "error"}, 60)
    if state != "ready":
        raise Failure("the dashboard is %s after login: %s" % (
            "in error" if done else "not ready in 60 s (state %r)" % state,
            chrome.evaluate(session, ERROR_TEXT)))
    chrome.evaluate(session, OPTIMIZE)
    start = time.monotonic()
    outcome, done = chrome.poll(session, "document.body.dataset.optimization || ''",
                                {"completed", "failed"}, timeout)
    elapsed = time.monotonic() - start
    if outcome != "completed":
        raise Failure("the K optimisation %s: %s" % (
            "failed" if done else "did not complete in %g s (state %r)" % (timeout, outcome),
            chrome.evaluate(session, ERROR_TEXT)))
    facts = dict(chrome.evaluate(session, FACTS), elapsed=elapsed)
    try:
        rmse = float(facts["rmse"])
    except (TypeError, ValueError):
        rmse = math.nan
    problems = [message for ok, message in [
        (facts["rows"] >= 2, "#k-table has %d body rows, not 2+" % facts["rows"]),
        (facts.get("max") is not None and facts.get("progress") == facts["max"],
         "#progress is %s of %s, not full" % (facts.get("progress"), facts.get("max"))),
        (facts["recommendations"] >= 1, "#recommendations has no li"),
        (facts["bars"] >= 2, "#segments svg has %d rect, not 2+" % facts["bars"]),
        (0.3 <= rmse <= 2.0, "#rmse reads %r, not a number in 0.3…2.0" % facts["rmse"]),
    ] if not ok]
    if problems:
        raise Failure("; ".join(problems))
    return facts


def screenshot(chrome, session, path):
    """Saves the whole page (beyond the viewport) as a PNG."""
    metrics = chrome.send("Page.getLayoutMetrics", session=session)
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    # At least the window's width: capturing beyond the viewport drops the scrollbar.
    clip = {"x": 0, "y": 0, "width": max(math.ceil(size["width"]), WINDOW[0]),
            "height": math.ceil(size["height"]), "scale": 1}
    shot = chrome.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                  "clip": clip}, session, timeout=60)
    with open(path, "wb") as handle:
        handle.write(base64.b64decode(shot["data"]))


def run_browser(binary, folder, url, args, password):
    """Tests the page at `url`; the screenshot is saved whenever the page loaded."""
    chrome = Chromium(binary, folder)
    failure, facts = None, None
    try:
        deadline = time.monotonic() + 15
        while not (pages := [t for t in chrome.send("Target.getTargets")["targetInfos"]
                             if t["type"] == "page"]):
            if time.monotonic() > deadline:
                raise Failure("Chromium opened no page")
            time.sleep(0.1)
        session = chrome.send("Target.attachToTarget", {"targetId": pages[0]["targetId"],
                                                        "flatten": True})["sessionId"]
        for method in ("Page.enable", "Runtime.enable", "Log.enable"):
            chrome.send(method, session=session)
        try:
            facts = drive(chrome, session, url, args.username, password, args.timeout)
        except Failure as error:
            failure = str(error)
        try:
            screenshot(chrome, session, args.out)
        except Failure as error:
            failure = failure or "no screenshot: %s" % error
        errors = page_errors(list(chrome.events))
        for error in errors:
            print("page error: " + error, file=sys.stderr)
        if errors and not failure:
            failure = "%d page error(s), listed above" % len(errors)
    except Failure as error:
        failure = "%s; Chromium's log ends:\n%s" % (error, tail(chrome.log_path))
    finally:
        chrome.close()
    if failure:
        raise Failure(failure)
    print("dashboard OK: %d K-table rows, RMSE %s, chosen K %s, optimisation %.1f s, screenshot %s"
          % (facts["rows"], facts["rmse"], facts["chosen"] or "(not shown)", facts["elapsed"],
             os.path.abspath(args.out)))


def tail(path, lines=20):
    try:
        with open(path, errors="replace") as handle:
            return "".join(handle.readlines()[-lines:])
    except OSError:
        return "(no log)\n"


def start_server(binary, folder, port, users, password):
    """The server process, once its /health answers 200 (503 until the model is trained)."""
    with open(os.path.join(folder, "server.log"), "wb") as log:
        process = subprocess.Popen(
            [binary, "--host", "127.0.0.1", "--port", str(port), "--synthetic-users", str(users),
             "--admin-password", password, "--jwt-secret", secrets.token_hex(20),
             "--database", os.path.join(folder, "store.sqlite")],
            cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=5) as answer:
                if answer.status == 200:
                    return process
        except (urllib.error.URLError, OSError):
            pass  # not listening yet, or 503
        time.sleep(0.5)
    exited = process.poll() is not None
    stop(process, signal.SIGTERM)
    raise Failure("the server %s; its log ends:\n%s" % (
        "exited with status %d" % process.returncode if exited
        else "did not answer 200 on /health in 180 s", tail(log.name)))


def stop(process, signal_number=None):
    """Sends `signal_number` (if any) to a running `process`; SIGKILL if it runs 10 s later."""
    if process.poll() is None:
        if signal_number:
            process.send_signal(signal_number)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", help="the aflix-server executable (default: .build/release, "
                        "then .build/debug, under Examples/AFlixServer)")
    parser.add_argument("--out", default="dashboard.png", help="the screenshot PNG")
    parser.add_argument("--port", type=int, help="the server's port (default: a free one)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the optimisation")
    parser.add_argument("--synthetic-users", type=int, default=600)
    parser.add_argument("--url", help="the page of a running server to test instead")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", help="the admin's password (default: with --url "
                        "$AFLIX_ADMIN_PASSWORD, else a random one given to the server)")
    args = parser.parse_args()
    # A SIGTERM unwinds like Ctrl-C: the server and Chromium are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = tempfile.mkdtemp(prefix="aflix-dashboard-")
    server = None
    try:
        browser = shutil.which("chromium") or shutil.which("chromium-browser")
        if not browser:
            raise Failure("no chromium on PATH (Debian: apt-get install chromium)")
        if args.url:
            url, password = args.url, args.password or os.environ.get("AFLIX_ADMIN_PASSWORD")
            if not password:
                raise Failure("--url needs --password or $AFLIX_ADMIN_PASSWORD")
        else:
            candidates = [args.server] if args.server else [os.path.join(
                PACKAGE, ".build", kind, "aflix-server") for kind in ("release", "debug")]
            binary = next((os.path.abspath(c) for c in candidates if os.access(c, os.X_OK)), None)
            if not binary:
                raise Failure("no aflix-server at %s; build it with `swift build -c release "
                              "--package-path Examples/AFlixServer --product aflix-server`"
                              % " or ".join(candidates))
            port = args.port
            if not port:
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", 0))
                    port = probe.getsockname()[1]
            password = args.password or secrets.token_hex(10)  # 20 characters, no leading '-'
            server = start_server(binary, folder, port, args.synthetic_users, password)
            url = "http://127.0.0.1:%d/" % port
        try:
            run_browser(browser, folder, url, args, password)
        except Failure as error:
            if server:
                raise Failure("%s\nThe server's log ends:\n%s" % (
                    error, tail(os.path.join(folder, "server.log")))) from None
            raise
        return 0
    except Failure as error:
        print("FAIL: %s" % error, file=sys.stderr)
        return 1
    finally:
        if server:
            stop(server, signal.SIGTERM)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
