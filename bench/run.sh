#!/usr/bin/env bash
# Runs the accuracy and speed benchmarks and writes docs/benchmarks.md.
# Usage: bench/run.sh [quick|full]   (datasets folder: $DAFLOW_DATASETS, default ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-quick}
datasets=${DAFLOW_DATASETS:-../shared/datasets}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
./mvnw -q -pl bench -am package -DskipTests
exec java -Xmx12g -jar bench/target/daflow-bench.jar "$datasets" docs/benchmarks.md "$profile" \
  "bench/run.sh $profile"
