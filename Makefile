# AFlix: the two commands of the README, and the rest of the developer loop.
SWIFT ?= swift
FORMAT_PATHS = Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/Sources \
  Examples/Package.swift Examples/Sources

.PHONY: deps demo test lint format bench bench-svd docs

deps:
	@scripts/install-deps.sh

## The main job on an embedded default dataset (release build).
demo:
	scripts/demo.sh

## Every test.
test:
	scripts/test.sh

lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive $(FORMAT_PATHS)

## The benchmark suite with the peers' ratios (needs ../shared/anchors/setup.sh once; 3–6 min).
bench:
	python3 Benchmarks/scripts/suite.py --peers --json out/bench.json --table out/bench.txt

## Side-by-side SVD benchmark against scikit-learn (needs ../shared/anchors/setup.sh once).
bench-svd: deps
	$${ANCHORS_PYTHON:-$$HOME/.cache/aflix-anchors/bin/python} Benchmarks/scripts/svd_vs_sklearn.py

docs:
	scripts/build-docs.sh
