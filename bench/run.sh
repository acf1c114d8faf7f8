#!/usr/bin/env bash
# Runs the accuracy and speed benchmarks and writes docs/benchmarks.md.
# Usage: bench/run.sh [full|quick|recheck|methods]  (quick: 3,000 pictures per domain, a smoke test;
# methods: every method of docs/methods.md on MNIST<->USPS, lenet, 3 epochs, seed 42;
# recheck: the full plan's seed-42 MNIST->USPS source-only and DANN rows, written to
# docs/benchmarks-recheck.md next to the committed full rows;
# datasets folder: $DAFLOW_DATASETS, default ../shared/datasets)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-full}
datasets=${DAFLOW_DATASETS:-../shared/datasets}
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)}
./mvnw -q -pl bench -am package -DskipTests
out=docs/benchmarks.md
if [ "$profile" = recheck ]; then out=docs/benchmarks-recheck.md; fi
if [ "$profile" = methods ]; then out=docs/benchmarks-methods.md; fi
exec java -Xmx5g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G -jar bench/target/daflow-bench.jar "$datasets" "$out" "$profile" \
  "bench/run.sh $profile"
