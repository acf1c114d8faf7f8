# Functions shared by bench/load.sh and bench/soak.sh (sourced, not run): a local platform of
# their own (bin/daflow stack under ROOT, loopback only), its token, the datasets, a small model,
# and a process's resident memory, threads and open files.
# shellcheck shell=bash

STACK_PID=""

# start_stack ROOT: `bin/daflow stack --root ROOT` in the background, until stack.env names all
# four services (they start in parallel and are added as each answers); then its variables are
# exported here.
start_stack() {
  local root="$1" deadline
  rm -f "$root/stack.env"
  mkdir -p "$root"
  bin/daflow stack --root "$root" > "$root/stack.out" 2>&1 &
  STACK_PID=$!
  trap stop_stack EXIT
  deadline=$((SECONDS + 600))
  until [[ -f "$root/stack.env" ]] \
      && (( $(grep -cE '^DAFLOW_(DATA|TRAINER|EVALUATOR|INFERENCE)_URL=' "$root/stack.env") == 4 )); do
    if ! kill -0 "$STACK_PID" 2>/dev/null; then
      echo "the stack stopped: see $root/stack.out and $root/logs/" >&2; tail -20 "$root/stack.out" >&2
      exit 1
    fi
    if (( SECONDS > deadline )); then echo "the stack did not start in 10 minutes" >&2; exit 1; fi
    sleep 2
  done
  set -a
  # shellcheck disable=SC1091
  . "$root/stack.env"
  set +a
  case "$DAFLOW_INFERENCE_URL" in
    http://127.0.0.1:*) ;;
    *) echo "not a loopback address: $DAFLOW_INFERENCE_URL" >&2; exit 1 ;;
  esac
}

# stop_stack: SIGTERM to the launcher, which stops its children (services first).
stop_stack() {
  if [[ -n "$STACK_PID" ]] && kill -0 "$STACK_PID" 2>/dev/null; then
    kill -TERM "$STACK_PID" 2>/dev/null || true
    wait "$STACK_PID" 2>/dev/null || true
  fi
  STACK_PID=""
}

# api METHOD URL [JSON]: curl with the local user's token; prints the body, fails on >= 400.
api() {
  local method="$1" url="$2" body="${3:-}"
  if [[ -n "$body" ]]; then
    curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $DAFLOW_TOKEN" \
      -H 'Content-Type: application/json' --data "$body" "$url"
  else
    curl -sS --fail-with-body -X "$method" -H "Authorization: Bearer $DAFLOW_TOKEN" "$url"
  fi
}

# ingest NAME...: data-service's catalog ingestion (201 new, 200 already there).
ingest() {
  local name
  for name in "$@"; do
    api POST "$DAFLOW_DATA_URL/datasets/catalog/$name" > /dev/null
  done
}

# train_job ID MODEL EPOCHS PICTURES SEED: a source-only lenet job MNIST->USPS through
# trainer-service's REST API (it publishes training.requested).
train_job() {
  api POST "$DAFLOW_TRAINER_URL/jobs" "{\"jobId\":\"$1\",\"modelName\":\"$2\",\"method\":\"source-only\",\"source\":\"mnist\",\"target\":\"usps\",\"network\":\"lenet\",\"epochs\":$3,\"batchSize\":64,\"seed\":$5,\"trainLimit\":$4}" > /dev/null
}

# job_state ID: the job's state (RUNNING, COMPLETED, FAILED...), or NONE before its record.
job_state() {
  curl -sS -H "Authorization: Bearer $DAFLOW_TOKEN" "$DAFLOW_TRAINER_URL/jobs/$1" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin).get("state","NONE"))' 2>/dev/null \
    || echo NONE
}

# await_jobs SECONDS ID...: waits until every job is COMPLETED; fails on FAILED/CANCELLED or late.
await_jobs() {
  local limit=$(( SECONDS + $1 )) id state pending
  shift
  while :; do
    pending=0
    for id in "$@"; do
      state=$(job_state "$id")
      case "$state" in
        COMPLETED) ;;
        FAILED|CANCELLED) echo "job $id ended $state" >&2; return 1 ;;
        *) pending=$((pending + 1)) ;;
      esac
    done
    (( pending == 0 )) && return 0
    (( SECONDS > limit )) && { echo "$pending jobs not completed in time" >&2; return 1; }
    sleep 2
  done
}

# service_pid URL: the pid of the process listening on URL's port (ours: ss shows its pid).
service_pid() {
  local port="${1##*:}"
  port="${port%%/*}"
  ss -Hltnp "sport = :$port" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1
}

# proc_stats PID: "rss_mib threads open_files" of a process.
proc_stats() {
  local pid="$1"
  echo "$(( $(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") / 1024 )) \
$(awk '/^Threads:/ {print $2}' "/proc/$pid/status") $(ls "/proc/$pid/fd" | wc -l)"
}

# metric URL NAME: the sum of a Prometheus metric's series at URL/q/metrics.
metric() {
  curl -sS "$1/q/metrics" | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $2 } END { printf "%.0f\n", s }'
}
