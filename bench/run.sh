#!/usr/bin/env bash
# Runs the accuracy and speed benchmarks and writes docs/benchmarks.md.
# Usage: bench/run.sh [full|quick]  (quick: 3,000 pictures per domain, a smoke test;
# datasets folder: $DAFLOW_DATASETS, default ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-full}
datasets=${DAFLOW_DATASETS:-../shared/datasets}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
./mvnw -q -pl bench -am package -DskipTests
exec java -Xmx5g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G -jar bench/target/daflow-bench.jar "$datasets" docs/benchmarks.md "$profile" \
  "bench/run.sh $profile"
