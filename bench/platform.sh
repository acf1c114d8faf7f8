#!/usr/bin/env bash
# Measures the platform on this machine and writes docs/benchmarks-platform.md: request ->
# training.started latency, and inference throughput / p50 / p99 (single pictures, batches of 64)
# against the in-process prediction speed of the same model.
# Usage: bench/platform.sh   (datasets folder: $DAFLOW_DATASETS, default ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
# One native (OpenMP) thread per process, for the services and the in-process reference alike:
# all of them share the machine's cores, and with 2 threads per process on 2 busy cores ND4J's
# OpenMP threads wait on each other (measured here: 100 ms per picture in process instead of 1).
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
./mvnw -q -B -ntp install -DskipTests
exec bin/daflow bench-platform --out docs/benchmarks-platform.md --command "bench/platform.sh" "$@"
