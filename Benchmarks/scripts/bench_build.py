"""Building and locating the release benchmark executables, shared by the comparison scripts."""
import subprocess
import sys


def release_binary(bench, scratch, product, skip_build=False, configuration='release'):
    """Builds `product` of the Benchmarks package at `bench` (or of a package it depends on, such
    as the root's `aflix`) in release mode — or `configuration` — into `scratch`, or SwiftPM's
    default build folder when it is None, unless `skip_build`, and returns the executable's path.
    Build output goes to standard error, keeping standard output for results."""
    build = ['swift', 'build', '-c', configuration, '--package-path', bench]
    if scratch:
        build += ['--scratch-path', scratch]
    if not skip_build:
        subprocess.run(build + ['--product', product], check=True, stdout=sys.stderr)
    bin_path = subprocess.run(build + ['--show-bin-path'], check=True, capture_output=True,
                              text=True).stdout.strip()
    return bin_path + '/' + product
