#!/usr/bin/env bash
# Install the locked dependencies (every package, transitive too, with its hashes) into the
# Python environment first on PATH: `deploy/install.sh production` for the image and the
# production smoke, `deploy/install.sh test` for the Makefile and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
lock="requirements/${1:-production}.txt"
[ -f "$lock" ] || { echo "no lock file $lock (production or test)" >&2; exit 2; }
python -m pip install --quiet --no-deps --require-hashes -r "$lock"
python -m pip check
