#!/usr/bin/env bash
# Measures the platform trainer's epoch throughput per network (lenet, dann-svhn) against the raw
# DANN step speed of the same network in a JVM with the trainer's options and environment, with
# the trainer's user and kernel CPU time and the evaluator's idleness over the measured epoch;
# writes docs/benchmarks-trainer.md. About 10 minutes on 2 cores.
# Usage: bench/trainer.sh [bench-trainer options, e.g. --networks lenet --rounds 1]
#   (datasets folder: $DAFLOW_DATASETS, default ../shared/datasets; OMP_NUM_THREADS: as the
#   platform's own default, every core, unless set)
set -euo pipefail
cd "$(dirname "$0")/.."
# Packages (no install into ~/.m2): the services' fast-jars, the CLI and the bench jar.
./mvnw -q -B -ntp package -DskipTests
exec bin/daflow bench-trainer --out docs/benchmarks-trainer.md --command "bench/trainer.sh${*:+ $*}" "$@"
