"""Building and locating the release benchmark executables, shared by the comparison scripts."""
import subprocess


def release_binary(bench, scratch, product, skip_build=False):
    """Builds `product` of the Benchmarks package at `bench` in release mode into `scratch`
    (unless `skip_build`) and returns the executable's path."""
    if not skip_build:
        subprocess.run(['swift', 'build', '-c', 'release', '--package-path', bench,
                        '--scratch-path', scratch, '--product', product], check=True,
                       stdout=subprocess.DEVNULL)
    bin_path = subprocess.run(['swift', 'build', '-c', 'release', '--package-path', bench,
                               '--scratch-path', scratch, '--show-bin-path'], check=True,
                              capture_output=True, text=True).stdout.strip()
    return bin_path + '/' + product
