#!/usr/bin/env bash
# Scale-out, end to end on one machine, the way it runs across several:
#
#   PostgreSQL (throwaway)  ← the policyflow store and the Prefect server's database
#   Prefect server          ← UI and API, http://127.0.0.1:<port>
#   process work pool + a Prefect worker  ← picks up runs of the deployment
#   Dask scheduler + 2 Dask workers       ← read the documents, one task each
#
# It deploys flows.scale_out.batch_flow_dask by module path, runs it over INBOX with the store
# on PostgreSQL, runs the embedded default (`policyflow batch`, SQLite store) over the same
# INBOX, and checks that both give byte-identical documents.jsonl and obligations.jsonl.
# Everything it starts is stopped, and its temporary folder removed, however it ends.
#
# usage: scripts/scale-out.sh [INBOX]     (default: a copy of corpus/sample-*)
# env:   VENV (default .venv of the repository), as root or as a normal user.
# On several machines: run the server, the worker and the Dask workers each where they belong
# with the same PREFECT_API_URL, DASK_SCHEDULER_ADDRESS and store URL; the steps are the same.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
PY=$VENV/bin/python
export PATH="$VENV/bin:$PATH"
cd "$ROOT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/policyflow-scale-out.XXXXXX")
chmod 755 "$WORK"                              # the postgres user must traverse it when we are root
LOGS=$WORK/logs; mkdir -p "$LOGS"
PIDS=()                                        # background jobs; each leads its own process group (set -m)
PGBIN=""; PGDATA=$WORK/pg/data
STARTED=$(date +%s.%N); LAST=$STARTED; TIMINGS=()

phase() {  # phase NAME: note how long the step that just ended took
  local now; now=$(date +%s.%N)
  TIMINGS+=("$(awk -v n="$1" -v a="$LAST" -v b="$now" -v s="$STARTED" 'BEGIN { printf "%-34s %6.1f s  (at %6.1f s)", n, b - a, b - s }')")
  LAST=$now
}
say() { printf '[scale-out] %s\n' "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }

as_postgres() {  # initdb refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

group_alive() {  # any process of group $1 that is not a zombie
  ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

signal_groups() {  # signal_groups SIG SECONDS: signal the groups still alive, then wait for them to end
  local sig=$1 deadline=$(( SECONDS + $2 )) pid any
  for pid in "${PIDS[@]}"; do group_alive "$pid" && kill -s "$sig" -- "-$pid" 2>/dev/null || true; done
  while [ $SECONDS -lt $deadline ]; do
    any=0
    for pid in "${PIDS[@]}"; do group_alive "$pid" && any=1; done
    [ $any = 0 ] && return 0
    sleep 0.2
  done
  return 1
}

stop_services() {  # idempotent: the Prefect worker ignores one TERM, so TERM, then INT, then KILL
  if [ ${#PIDS[@]} -gt 0 ]; then
    signal_groups TERM 10 || signal_groups INT 10 || signal_groups KILL 5 || true
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    PIDS=()
  fi
  if [ -n "$PGBIN" ] && [ -f "$PGDATA/postmaster.pid" ]; then
    as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" stop -m fast >/dev/null 2>&1 || true
  fi
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_services
  if [ $rc != 0 ]; then
    for log in "$LOGS"/*.log; do
      [ -s "$log" ] || continue
      echo "---- last lines of $(basename "$log") ----" >&2
      tail -n 25 "$log" >&2
    done
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_ports() {  # N free TCP ports on 127.0.0.1, all different
  "$PY" - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
for s in socks:
    s.close()
PY
}

wait_until() {  # wait_until SECONDS WHAT COMMAND...: poll COMMAND until it succeeds
  local deadline=$(( SECONDS + $1 )) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "$what did not come up within the time allowed"
    sleep 0.2
  done
}

# ---- the inbox -------------------------------------------------------------------------------
if [ $# -ge 1 ]; then
  INBOX=$(cd "$1" && pwd) || die "the inbox $1 is not a folder"
else
  INBOX=$WORK/inbox; mkdir -p "$INBOX"
  cp corpus/sample-* "$INBOX"/
fi
chmod -R a+rX "$WORK"
say "inbox: $INBOX ($(find "$INBOX" -type f | wc -l) files)"

PORTS=$(free_ports 3)                          # apart from read: a failure here must stop the script
read -r PG_PORT API_PORT DASK_PORT <<<"$PORTS"

# ---- PostgreSQL ------------------------------------------------------------------------------
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PGBIN" ] || die "PostgreSQL is not installed (apt-get install postgresql)"
if [ "$(id -u)" = 0 ]; then
  install -d -o postgres -g postgres -m 700 "$WORK/pg"
else
  install -d -m 700 "$WORK/pg"
fi
as_postgres "$PGBIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOGS/initdb.log" 2>&1 \
  || die "initdb (see above)"
as_postgres "$PGBIN/pg_ctl" -D "$PGDATA" -l "$WORK/pg/postgres.log" -w -t 60 \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null || { cp "$WORK/pg/postgres.log" "$LOGS/postgres.log" 2>/dev/null; die "PostgreSQL did not start"; }
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE policyflow" -c "CREATE DATABASE prefect"
STORE_URL=postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/policyflow
phase "PostgreSQL up"

# ---- Prefect server on PostgreSQL ------------------------------------------------------------
export PREFECT_HOME=$WORK/prefect-home PREFECT_SERVER_ANALYTICS_ENABLED=false
export PREFECT_SERVER_API_HOST=127.0.0.1 PREFECT_SERVER_API_PORT=$API_PORT   # not --port: the UI reads these
export PREFECT_API_URL=http://127.0.0.1:$API_PORT/api                       # before the Dask workers start
export PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://postgres@127.0.0.1:$PG_PORT/prefect
export PREFECT_WORKER_QUERY_SECONDS=2                                       # default 10: a run would wait for the poll
export DASK_SCHEDULER_ADDRESS=tcp://127.0.0.1:$DASK_PORT
export DASK_TEMPORARY_DIRECTORY=$WORK/dask                                  # not /tmp/dask-scratch-space
POOL=policyflow-scale-out

set -m                                         # background jobs get their own process group and keep SIGINT
prefect server start >"$LOGS/prefect-server.log" 2>&1 & PIDS+=($!)
set +m
wait_until 180 "the Prefect server" curl -sf "$PREFECT_API_URL/health"
phase "Prefect server healthy"

prefect work-pool create "$POOL" --type process --overwrite >"$LOGS/work-pool.log" 2>&1 || die "work-pool create"
phase "process work pool created"

# ---- Dask scheduler + 2 workers, then the Prefect worker ---------------------------------------
set -m
dask scheduler --host 127.0.0.1 --port "$DASK_PORT" --no-dashboard >"$LOGS/dask-scheduler.log" 2>&1 & PIDS+=($!)
for i in 1 2; do
  dask worker "$DASK_SCHEDULER_ADDRESS" --nworkers 1 --nthreads 1 --name "w$i" --no-dashboard \
    --local-directory "$WORK/dask-w$i" >"$LOGS/dask-worker-$i.log" 2>&1 & PIDS+=($!)
done
prefect worker start --pool "$POOL" --type process --name scale-out-worker >"$LOGS/prefect-worker.log" 2>&1 & PIDS+=($!)
set +m
"$PY" -c "
from distributed import Client
with Client('$DASK_SCHEDULER_ADDRESS', timeout=120) as c:
    c.wait_for_workers(2, timeout=120)
" >"$LOGS/dask-wait.log" 2>&1 || die "the Dask workers did not join the scheduler"
phase "Dask scheduler + 2 workers up"

# ---- deploy by module path, run, wait for Completed ---------------------------------------------
OUT_DASK=$WORK/out-dask; OUT_EMBEDDED=$WORK/out-embedded
INBOX="$INBOX" OUTPUT="$OUT_DASK" STORE_URL="$STORE_URL" POOL="$POOL" "$PY" - >"$LOGS/deploy.log" 2>&1 <<'PY' || die "deploy"
import os

from prefect.deployments.runner import EntrypointType

from flows.scale_out import batch_flow_dask

batch_flow_dask.deploy(
    name="scale-out", work_pool_name=os.environ["POOL"], entrypoint_type=EntrypointType.MODULE_PATH,
    parameters={"inbox": os.environ["INBOX"], "output": os.environ["OUTPUT"], "store": os.environ["STORE_URL"],
                "settle_seconds": 0},
    print_next_steps=False, ignore_warnings=True)
PY
phase "deployed (module path)"

prefect deployment run policyflow-batch-dask/scale-out --watch --watch-timeout 600 >"$LOGS/deployment-run.log" 2>&1 \
  || die "the deployment's run did not complete"
grep -q "Completed" "$LOGS/deployment-run.log" || die "the deployment's run did not end Completed"
phase "deployment run Completed"

stop_services
phase "cluster and PostgreSQL stopped"

# ---- the embedded default over the same inbox ------------------------------------------------
env -u PREFECT_API_URL -u PREFECT_API_DATABASE_CONNECTION_URL -u PREFECT_SERVER_API_HOST -u PREFECT_SERVER_API_PORT \
    -u DASK_SCHEDULER_ADDRESS -u POLICYFLOW_STORE PREFECT_HOME="$WORK/prefect-embedded" \
  policyflow batch "$INBOX" --output "$OUT_EMBEDDED" --settle 0 --quiet >"$LOGS/embedded.log" 2>&1 \
  || die "policyflow batch (embedded default)"
phase "embedded default batch"

# ---- the same records ------------------------------------------------------------------------
for f in documents.jsonl obligations.jsonl; do
  [ -s "$OUT_DASK/$f" ] || die "the Dask run wrote no $f"
  cmp -s "$OUT_DASK/$f" "$OUT_EMBEDDED/$f" || { diff <(head -c 4000 "$OUT_DASK/$f") <(head -c 4000 "$OUT_EMBEDDED/$f") >&2 || true
                                               die "$f differs between the Dask run and the embedded default"; }
done

echo "scale-out: $(wc -l <"$OUT_DASK/documents.jsonl") documents, $(wc -l <"$OUT_DASK/obligations.jsonl") obligations;" \
     "documents.jsonl and obligations.jsonl byte-identical (Dask + PostgreSQL vs embedded + SQLite)"
printf '  %s\n' "${TIMINGS[@]}"
