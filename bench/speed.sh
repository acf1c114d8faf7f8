#!/usr/bin/env bash
# The DANN training step against its PyTorch twin (../shared/anchors/same_nets.py), side by side:
# three rounds, alternating, each side in a fresh process under one environment. Writes the
# step-speed section of docs/benchmarks.md; the last line printed is `ratio lenet=R1 dann-svhn=R2`.
# Usage: bench/speed.sh [ROUNDS]   (peer script: $DAFLOW_PEER, default ../shared/anchors/same_nets.py)
# Run it on a quiet machine and say what else ran. See ../shared/anchors/README for the peer's
# set-up (python3-torch and libopenblas0-pthread).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
peer=${DAFLOW_PEER:-../shared/anchors/same_nets.py}
./mvnw -q -B -ntp -pl bench -am package -DskipTests
# A user's machine sets no OpenBLAS core type or cache size: neither side gets one.
# Both sides run in two environments: this one, and this one plus the trainer's runtime
# settings (the file its launchers and image read), given to both sides alike.
env_file=trainer-service/src/main/docker/trainer-runtime.env
mapfile -t settings < <(grep -E '^[A-Z_][A-Z0-9_]*=' "$env_file")
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS="${OMP_NUM_THREADS:-$(nproc)}" \
  java -cp bench/target/daflow-bench.jar dev.daflow.bench.SpeedBenchmark docs/benchmarks.md \
  "$peer" "$rounds" "bench/speed.sh $*" "$env_file" "${settings[@]}"
