#!/usr/bin/env bash
# Measures the platform on this machine and writes docs/benchmarks-platform.md: request ->
# training.started latency, and inference throughput / p50 / p99 (single pictures, batches of 64)
# against the in-process prediction speed of the same model.
# Usage: bench/platform.sh   (datasets folder: $DAFLOW_DATASETS, default ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
./mvnw -q -B -ntp install -DskipTests
exec bin/daflow bench-platform --out docs/benchmarks-platform.md --command "bench/platform.sh"
