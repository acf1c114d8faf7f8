#!/usr/bin/env bash
# Runs the accuracy and speed benchmarks and writes docs/benchmarks.md.
# Usage: bench/run.sh [full|quick|recheck|methods|validators|validators-quick|promotion|
#   promotion-mnist64]
#   [plan|report]
# (quick: 3,000 pictures per domain, a smoke test;
# methods: every method of docs/methods.md on MNIST<->USPS, lenet, 3 epochs, seed 42;
# recheck: the full plan's seed-42 MNIST->USPS source-only and DANN rows, written to
# docs/benchmarks-recheck.md next to the committed full rows;
# validators: every label-free validator and the target accuracy of every epoch of every method on
# MNIST->USPS, USPS->MNIST and MNIST->mnist-tex, seeds 42 and 43 (198 checkpoints), then each
# validator's Spearman correlation and selection loss, written to docs/benchmarks-validators.md
# and its .rows.jsonl; mnist-tex needs bench/backgrounds.sh once (docs/benchmarks.md);
# promotion: every method with the platform's defaults (its recipe's epochs) on USPS->MNIST and
# MNIST->USPS, seed 42, measured as validators, written to docs/benchmarks-promotion.md with the
# model the default promotion policy picks per pair;
# promotion-mnist64: the same for the MNIST-64 demo pair at the demo's recipe on every picture
# (source-only, DANN, CDAN+E, ADDA; 3 epochs, seed 42), docs/benchmarks-promotion-mnist64.md;
# validators-quick: the same on 300 pictures per domain, 2 epochs, one seed, written under
# ${TMPDIR:-/tmp}/daflow-bench/, a smoke test of a few minutes;
# plan: print the plan and its size, train nothing (validator and promotion profiles);
# report: write the page from the runs measured so far, train nothing (validator and promotion
# profiles; an interrupted run is reported as partial);
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
if [ "$profile" = validators ]; then out=docs/benchmarks-validators.md; fi
if [ "$profile" = promotion ]; then out=docs/benchmarks-promotion.md; fi
if [ "$profile" = promotion-mnist64 ]; then out=docs/benchmarks-promotion-mnist64.md; fi
if [ "$profile" = validators-quick ]; then
  out=${TMPDIR:-/tmp}/daflow-bench/benchmarks-validators-quick.md
fi
exec java -Xmx5g -Dorg.bytedeco.javacpp.maxbytes=3G -Dorg.bytedeco.javacpp.maxphysicalbytes=10G -jar bench/target/daflow-bench.jar "$datasets" "$out" "$profile" \
  "bench/run.sh $profile" ${2:+"$2"}
