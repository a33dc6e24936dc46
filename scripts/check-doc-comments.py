#!/usr/bin/env python3
"""Lists the public API symbols that have no doc comment of their own.

Reads the public symbol graphs of the library modules (what `swift package dump-symbol-graph
--minimum-access-level public` writes, and scripts/build-docs.sh copies to .build/symbol-graphs)
and checks every symbol *declared in this package's sources*: it must carry a `///` comment written
on its own declaration. Exit status 1 when any lacks one, with one line per symbol
(`file:line: Module.Type.member (kind)`).

What is not checked, and why that is honest:
- Symbols with no source location: members the compiler synthesizes (`hash(into:)`, `hashValue`
  of a raw-value enum, the literal initialisers `ExpressibleByStringLiteral` derives) and default
  implementations inherited from another module's protocol extension (`localizedDescription`).
  Nobody can write a comment on them here; DocC shows the declaring module's.
- Nothing else. An implementation of a protocol requirement written in these sources needs its own
  comment too: the symbol graph would copy the requirement's comment onto it (so DocC shows
  *something*), but the requirement says what every conformer promises, not what this one does
  (which fallback, which cost). Such an inherited comment is reported as "inherits" and counts as
  missing, unless --allow-inherited is given, which accepts comments inherited from protocols of
  other modules (the standard library's `description`, `==`, `encode(to:)` mean what they say).

Usage: scripts/check-doc-comments.py [--graphs DIR] [--allow-inherited] [--weak]
  --graphs DIR   the symbol graphs (default .build/symbol-graphs, filled by scripts/build-docs.sh)
  --weak         also list (without failing) own comments of fewer than three words that only
                 restate the name ("The value."), as candidates for a better sentence

It also fails, rather than passing with nothing checked, when no public symbol was declared in
this checkout's Sources/ or when public symbols' source paths lie outside this repository (symbol
graphs built from another checkout, which would otherwise all be skipped).
"""

import argparse
import glob
import json
import os
import sys
from urllib.parse import unquote, urlparse

MODULES = [
    "AFlixLinalg",
    "AFlixData",
    "AFlixSynth",
    "AFlixCluster",
    "AFlixRecommend",
    "AFlixOptimize",
    "AFlix",
]


def path_of(uri):
    return unquote(urlparse(uri).path)


def read_lines(path, cache={}):
    if path not in cache:
        try:
            with open(path, encoding="utf-8") as f:
                cache[path] = f.read().split("\n")
        except OSError:
            cache[path] = None
    return cache[path]


def own_comment(symbol):
    """'own', 'inherits' (a comment copied from another declaration) or 'missing'."""
    doc = symbol.get("docComment")
    if not doc or not any(line["text"].strip() for line in doc["lines"]):
        return "missing"
    location = symbol["location"]
    if doc.get("uri") != location["uri"] or "range" not in doc["lines"][-1]:
        return "inherits"
    end = doc["lines"][-1]["range"]["end"]["line"]
    declaration = location["position"]["line"]
    if end >= declaration:
        return "inherits"
    # Between the comment and the declaration only attributes may stand (`@inlinable`,
    # `@discardableResult`, `@available(...)`); anything else means the comment is another's.
    lines = read_lines(path_of(location["uri"]))
    if lines is None:
        return "own"
    between = lines[end + 1 : declaration]
    if all(not line.strip() or line.strip().startswith("@") for line in between):
        return "own"
    return "inherits"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--graphs", default=".build/symbol-graphs")
    parser.add_argument("--allow-inherited", action="store_true")
    parser.add_argument("--weak", action="store_true")
    args = parser.parse_args()

    root = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
    files = []
    for module in MODULES:
        files += glob.glob(os.path.join(args.graphs, f"{module}.symbols.json"))
        files += glob.glob(os.path.join(args.graphs, f"{module}@*.symbols.json"))
    if not files:
        sys.exit(f"no symbol graphs in {args.graphs}: run scripts/build-docs.sh first")

    checked = skipped = 0
    missing, weak, foreign = [], [], []
    for file in sorted(files):
        graph = json.load(open(file, encoding="utf-8"))
        module = graph["module"]["name"]
        for symbol in graph["symbols"]:
            if symbol["accessLevel"] not in ("public", "open"):
                continue
            location = symbol.get("location")
            if location is None:
                skipped += 1
                continue
            path = os.path.realpath(path_of(location["uri"]))
            if not path.startswith(root + "/"):
                foreign.append(path)
                continue
            if not path.startswith(root + "/Sources/"):
                skipped += 1
                continue
            checked += 1
            name = f"{module}." + ".".join(symbol["pathComponents"])
            where = f"{os.path.relpath(path, root)}:{location['position']['line'] + 1}"
            kind = symbol["kind"]["identifier"].removeprefix("swift.")
            state = own_comment(symbol)
            if state == "inherits" and args.allow_inherited:
                doc_module = symbol["docComment"].get("module")
                if doc_module and doc_module not in MODULES:
                    continue
            if state != "own":
                missing.append(f"{where}: {name} ({kind}) {state}")
            elif args.weak:
                text = " ".join(line["text"] for line in symbol["docComment"]["lines"]).strip()
                if len(text.split()) < 3:
                    weak.append(f"{where}: {name} ({kind}): {text!r}")

    for line in missing:
        print(line)
    if weak:
        print(f"\n{len(weak)} short comments (not a failure):")
        for line in weak:
            print("  " + line)
    print(
        f"{checked} public symbols declared in Sources/, {len(missing)} without a doc comment of their own"
        f" ({skipped} compiler-synthesized or inherited from other modules, not checked)",
        file=sys.stderr,
    )
    if foreign:
        print(
            f"error: {len(foreign)} public symbols have source paths outside {root} (e.g."
            f" {foreign[0]}): the symbol graphs in {args.graphs} were built from another checkout;"
            " run scripts/build-docs.sh here first",
            file=sys.stderr,
        )
        sys.exit(1)
    if checked == 0:
        print(
            f"error: no public symbol declared in {root}/Sources/ was found in {args.graphs};"
            " nothing was checked",
            file=sys.stderr,
        )
        sys.exit(1)
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
