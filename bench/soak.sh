#!/usr/bin/env bash
# Soak of the trainer: SOAK_JOBS short training jobs (source-only lenet MNIST->USPS, 1 epoch of
# 600 pictures) through one trainer-service, on a local platform of its own (bin/daflow stack under
# runs/soak, loopback only). After a first job (class loading, pools: the base line) it records
# the trainer's resident memory, ND4J's physical bytes (daflow_nd4j_physical_bytes: ND4J's CPU
# arrays are not in JavaCPP's maxbytes count), threads and open files; sends the jobs; requires
# every one to complete; asks for a garbage collection (jcmd GC.run) and compares. Exit code 1
# when a job did not complete or a figure grew past its tolerance (memory: 10% + 64 MiB; threads:
# +4; open files: +8). Prints a table and writes it to runs/soak/results.md (not in git).
#
# Usage: bench/soak.sh
#   SOAK_JOBS      jobs after the first (default 30)
#   SOAK_ROOT      the platform's folder (default runs/soak)
# Short check that it works: SOAK_JOBS=5 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${SOAK_JOBS:-30}
ROOT=${SOAK_ROOT:-runs/soak}
command -v jcmd > /dev/null || { echo "jcmd (the JDK's) is missing" >&2; exit 1; }
# shellcheck source=stack-lib.sh
. bench/stack-lib.sh

start_stack "$ROOT"
ingest mnist usps
run="soak-$(date +%s)"
train_job "$run-warm" soak 1 600 0
await_jobs 600 "$run-warm"
pid=$(service_pid "$DAFLOW_TRAINER_URL")

# snapshot: "rss_mib threads files physical_mib" after a GC.
snapshot() {
  jcmd "$pid" GC.run > /dev/null
  sleep 2 # the deallocator thread frees the off-heap buffers the GC found unreachable
  read -r rss threads files < <(proc_stats "$pid")
  echo "$rss $threads $files $(( $(metric "$DAFLOW_TRAINER_URL" daflow_nd4j_physical_bytes) / 1048576 ))"
}
read -r rss0 threads0 files0 phys0 < <(snapshot)
echo "soak: base line after one job: resident $rss0 MiB, threads $threads0, open files $files0" >&2

start=$SECONDS
ids=()
for i in $(seq 1 "$JOBS"); do
  ids+=("$run-$i")
  train_job "$run-$i" soak 1 600 "$i"
done
status=0
await_jobs $(( 600 + 60 * JOBS )) "${ids[@]}" || status=1
took=$((SECONDS - start))
read -r rss1 threads1 files1 phys1 < <(snapshot)

out="$ROOT/results.md"
grew() { awk -v a="$1" -v b="$2" -v pct="$3" -v abs="$4" 'BEGIN { exit !(b > a * (1 + pct / 100) + abs) }'; }
# check BEFORE AFTER PERCENT ABSOLUTE VAR: VAR=ok, or GREW (and the exit status 1).
check() { if grew "$1" "$2" "$3" "$4"; then printf -v "$5" GREW; status=1; else printf -v "$5" ok; fi; }
check "$rss0" "$rss1" 10 64 v_rss
check "$phys0" "$phys1" 10 64 v_phys
check "$threads0" "$threads1" 0 4 v_threads
check "$files0" "$files1" 0 8 v_files
{
  echo "# Trainer soak, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo);" \
    "$JOBS jobs (source-only lenet, 1 epoch, 600 pictures) in $took s; completed: $([[ $status == 0 ]] && echo all || echo NOT all)"
  echo
  echo "| trainer-service | base line (after 1 job) | after $JOBS more jobs | |"
  echo "|---|---|---|---|"
  echo "| resident memory, MiB | $rss0 | $rss1 | $v_rss |"
  echo "| ND4J physical bytes, MiB | $phys0 | $phys1 | $v_phys |"
  echo "| threads | $threads0 | $threads1 | $v_threads |"
  echo "| open files | $files0 | $files1 | $v_files |"
} > "$out"
cat "$out" >&2
exit "$status"
