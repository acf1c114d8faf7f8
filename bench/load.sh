#!/usr/bin/env bash
# Load test of inference-service with wrk (Debian's package), on a local platform of its own
# (bin/daflow stack under runs/load, loopback only): a small model is trained and promoted, then
# OIP v2 infer requests of one picture and of batches of 64 (MNIST test pictures) are sent at
# growing concurrency, a fixed time each (after a warm-up step of the same length, not counted);
# then single pictures at the highest concurrency with p99 < 50 ms (1 when none) run for
# LOAD_MINUTES and the service's resident memory, threads and open files are compared before and
# after. Prints a table and writes it to runs/load/results.md (not in git: figures from a quiet
# machine only, see docs/reliability.md).
#
# Usage: bench/load.sh
#   LOAD_STEP_SECONDS    seconds per concurrency step (default 30)
#   LOAD_CONNECTIONS     concurrency steps (default "1 2 4 8 16"; empty: none, only the sustained run)
#   LOAD_MINUTES         the sustained run (default 10)
#   LOAD_SUSTAINED_CONNECTIONS  connections of the sustained run (default: the best single step)
#   LOAD_SAMPLE_SECONDS  resident memory (all, and of it the Java heap), threads and files sampled
#                        this often in the sustained run, into runs/load/memory.tsv (default 60)
#   LOAD_NMT             1: every JVM of the platform runs with -XX:NativeMemoryTracking=summary, and
#                        inference's native memory by category (heap, threads, code, arenas...) is
#                        diffed against the start of the sustained run at every sample, into
#                        runs/load/nmt.txt: which part of a growth is whose (default: off, as the
#                        figures in docs/reliability.md were measured)
#   LOAD_ROOT            the platform's folder (default runs/load)
#   DAFLOW_DATASETS      dataset mirror (default ../shared/datasets)
# Short check that it works: LOAD_STEP_SECONDS=5 LOAD_CONNECTIONS="1 4" LOAD_MINUTES=1 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
STEP=${LOAD_STEP_SECONDS:-30}
CONNECTIONS=${LOAD_CONNECTIONS-"1 2 4 8 16"}
MINUTES=${LOAD_MINUTES:-10}
SAMPLE=${LOAD_SAMPLE_SECONDS:-60}
ROOT=${LOAD_ROOT:-runs/load}
DATASETS=${DAFLOW_DATASETS:-../shared/datasets}
P99_LIMIT_MS=50
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[[ -f "$DATASETS/mnist/t10k-images-idx3-ubyte.gz" ]] || {
  echo "no MNIST test pictures under $DATASETS/mnist (set DAFLOW_DATASETS)" >&2; exit 1; }
# shellcheck source=stack-lib.sh
. bench/stack-lib.sh

NMT=${LOAD_NMT:-0}
if [[ "$NMT" == 1 ]]; then
  export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-XX:NativeMemoryTracking=summary"
fi
start_stack "$ROOT"
echo "load: platform up; ingesting MNIST and USPS, training the model 'load'" >&2
ingest mnist usps
job="load-$(date +%s)"
train_job "$job" load 1 3000 1
await_jobs 900 "$job"
limit=$((SECONDS + 600))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $DAFLOW_TOKEN" \
    "$DAFLOW_INFERENCE_URL/v2/models/load/ready")" == 200 ]]; do
  (( SECONDS < limit )) || { echo "the model was not served in 10 minutes" >&2; exit 1; }
  sleep 2
done

# The request bodies: MNIST test pictures as UINT8 tensors [n, 28, 28, 1].
python3 - "$DATASETS/mnist/t10k-images-idx3-ubyte.gz" "$ROOT" <<'PY'
import gzip, json, sys
raw = gzip.open(sys.argv[1]).read()[16:]
for name, n in (("single", 1), ("batch64", 64)):
    data = list(raw[:n * 784])
    body = {"inputs": [{"name": "input", "datatype": "UINT8", "shape": [n, 28, 28, 1],
                        "data": data}]}
    with open(f"{sys.argv[2]}/{name}.json", "w") as f:
        json.dump(body, f)
PY
cat > "$ROOT/post.lua" <<'LUA'
local f = assert(io.open(os.getenv("WRK_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("DAFLOW_TOKEN")
LUA
URL="$DAFLOW_INFERENCE_URL/v2/models/load/infer"

# run_wrk BODY CONNECTIONS DURATION: "requests req_per_s p99_ms errors" of one wrk run.
run_wrk() {
  WRK_BODY="$ROOT/$1.json" wrk -t1 -c"$2" -d"$3" --latency -s "$ROOT/post.lua" "$URL" \
    > "$ROOT/wrk-$1-c$2.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
                     if (v ~ /s$/) return v * 1000; return v }
    $2 == "requests" && $3 == "in" { requests = $1 }
    /Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { errors += $NF }
    /Socket errors:/ { gsub(/,/, ""); errors += $4 + $6 + $8 + $10 }
    END { printf "%d %.1f %.2f %d\n", requests, rps, p99, errors }' "$ROOT/wrk-$1-c$2.txt"
}

out="$ROOT/results.md"
pid=$(service_pid "$DAFLOW_INFERENCE_URL")
{
  echo "# Inference load, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), 1 thread; ${STEP} s per step"
  echo
  echo "| request | connections | requests | req/s | p99 ms | errors |"
  echo "|---|---|---|---|---|---|"
} > "$out"
declare -A best_rps best_c
for body in single batch64; do
  best_rps[$body]=0; best_c[$body]=0
  run_wrk "$body" 1 "${STEP}s" > /dev/null # warm-up (JIT, the model's first batches): not counted
  for c in $CONNECTIONS; do
    read -r n rps p99 errors < <(run_wrk "$body" "$c" "${STEP}s")
    echo "| $body | $c | $n | $rps | $p99 | $errors |" | tee -a "$out" >&2
    if awk -v p="$p99" -v r="$rps" -v b="${best_rps[$body]}" -v l="$P99_LIMIT_MS" \
        'BEGIN { exit !(p < l && r > b) }'; then
      best_rps[$body]=$rps; best_c[$body]=$c
    fi
  done
done
{
  echo
  for body in single batch64; do
    if (( best_c[$body] > 0 )); then
      echo "Sustained with p99 < ${P99_LIMIT_MS} ms, $body: ${best_rps[$body]} req/s at ${best_c[$body]} connections"
    else
      echo "Sustained with p99 < ${P99_LIMIT_MS} ms, $body: none (p99 above ${P99_LIMIT_MS} ms at every step)"
    fi
  done
} | tee -a "$out" >&2

# The sustained run: memory, threads and open files of inference-service sampled every SAMPLE s
# (growth would be a leak; the JVM's heap and ND4J's array cache fill up first, then stay), and
# once more after a full garbage collection at the end.
c=${LOAD_SUSTAINED_CONNECTIONS:-${best_c[single]}}
(( c > 0 )) || c=1
command -v jcmd > /dev/null || { echo "jcmd (the JDK's) is missing" >&2; exit 1; }
# heap_resident PID: MiB of the process's Java heap that are resident: the heap's address range
# from `jcmd GC.heap_info`, the resident pages of the mappings inside it from /proc/PID/smaps.
# Resident memory less this is what the process holds outside its heap (ND4J's arrays, threads,
# code, the JVM's own): a leak shows there, while the heap only grows up to -Xmx.
heap_resident() {
  jcmd "$1" GC.heap_info 2> /dev/null | python3 -c '
import re, sys
m = re.search(r"\[(0x[0-9a-f]+), (0x[0-9a-f]+)\)", sys.stdin.read())
lo, hi = int(m.group(1), 16), int(m.group(2), 16)
kib, inside = 0, False
for line in open(f"/proc/{sys.argv[1]}/smaps"):
    f = line.split()
    if re.match(r"[0-9a-f]+-[0-9a-f]+ ", line):
        a, b = (int(x, 16) for x in f[0].split("-"))
        inside = lo <= a and b <= hi
    elif inside and f[0] == "Rss:":
        kib += int(f[1])
print(kib // 1024)' "$1"
}
read -r rss0 threads0 files0 < <(proc_stats "$pid")
heap0=$(heap_resident "$pid")
printf 'seconds\tresident_mib\theap_resident_mib\tthreads\topen_files\n0\t%s\t%s\t%s\t%s\n' \
  "$rss0" "$heap0" "$threads0" "$files0" > "$ROOT/memory.tsv"
# nmt_diff LABEL: inference's native memory by category against the baseline, into nmt.txt.
nmt_diff() {
  [[ "$NMT" == 1 ]] || return 0
  { echo "=== $1"; jcmd "$pid" VM.native_memory summary.diff scale=MB 2> /dev/null | grep -E '^(Total|-)'; } \
    >> "$ROOT/nmt.txt" 2>&1 || true
}
if [[ "$NMT" == 1 ]]; then
  jcmd "$pid" VM.native_memory baseline > /dev/null
  : > "$ROOT/nmt.txt"
fi
( start=$SECONDS
  while sleep "$SAMPLE"; do
    read -r r t f < <(proc_stats "$pid") || exit 0
    printf '%s\t%s\t%s\t%s\t%s\n' "$((SECONDS - start))" "$r" "$(heap_resident "$pid")" "$t" "$f" \
      >> "$ROOT/memory.tsv"
    nmt_diff "$((SECONDS - start)) s"
  done ) &
sampler=$!
read -r n rps p99 errors < <(run_wrk single "$c" "${MINUTES}m")
kill "$sampler" 2> /dev/null || true
read -r rss1 threads1 files1 < <(proc_stats "$pid")
half=$(awk -F'\t' -v h=$((MINUTES * 30)) 'NR > 1 && $1 >= h { print $2; exit }' "$ROOT/memory.tsv")
jcmd "$pid" GC.run > /dev/null
sleep 2 # the deallocator thread frees the off-heap buffers the collection found unreachable
read -r rss2 _ _ < <(proc_stats "$pid")
heap2=$(heap_resident "$pid")
nmt_diff "after a full GC"
{
  echo
  echo "Sustained ${MINUTES} min, single pictures, $c connections: $n requests, $rps req/s," \
    "p99 $p99 ms, $errors errors ($(awk -v e="$errors" -v n="$n" 'BEGIN { printf "%.4f%%", n ? 100 * e / n : 0 }'))"
  echo "inference-service resident memory: ${rss0} MiB at the start, ${half:-?} MiB after" \
    "$((MINUTES / 2)) min, ${rss1} MiB at the end, ${rss2} MiB after a full GC; threads" \
    "${threads0} -> ${threads1}, open files ${files0} -> ${files1}"
  echo
  echo "of which the Java heap (resident; bounded by -Xmx): ${heap0} MiB at the start, ${heap2} MiB" \
    "after a full GC; outside the heap: $((rss0 - heap0)) MiB at the start, $((rss2 - heap2)) MiB" \
    "after a full GC"
  echo
  echo "Resident memory every ${SAMPLE} s (MiB): $(awk -F'\t' 'NR > 1 { printf "%s%s", sep, $2; sep = ", " }' "$ROOT/memory.tsv")"
  echo "outside the Java heap (MiB): $(awk -F'\t' 'NR > 1 { printf "%s%s", sep, $2 - $3; sep = ", " }' "$ROOT/memory.tsv")"
} | tee -a "$out" >&2
if [[ "$NMT" == 1 ]]; then
  echo "native memory by category, against the start of the sustained run: $ROOT/nmt.txt" >&2
fi
echo "load: results in $out" >&2
