#!/usr/bin/env bash
# Fresh-clone start: `git clone` of a repository into a temporary folder, then `make run` until
# the first page answers. Prints the seconds of each step and one line for bench/run.py's table.
#
#   bench/fresh_start.sh [REPOSITORY] [PORT]          # default: this repository, port 8399
#   UV_CACHE_DIR=$(mktemp -d) bench/fresh_start.sh    # with a cold uv cache
#
# The clone, its virtual environment and its SQLite database are removed at the end; the log of
# make run is kept (and named) only when no page answered.
set -euo pipefail

repo=${1:-$(cd "$(dirname "$0")/.." && pwd)}
port=${2:-8399}
folder=$(mktemp -d /tmp/fresh-start.XXXXXX)
log="$folder.log"
server=""

cleanup() {
  if [ -n "$server" ]; then
    # make run's process group: make, manage.py runserver and its autoreloader child.
    kill -- -"$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$folder"
  [ "${status:-1}" = 0 ] && rm -f "$log"
}
trap cleanup EXIT

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is taken" >&2
  exit 1
fi

started=$(date +%s.%N)
git clone --quiet "$repo" "$folder/repo"
cloned=$(date +%s.%N)

cd "$folder/repo"
set -m  # make run in its own process group, so that cleanup ends all of it
make run PORT="$port" >"$log" 2>&1 &
server=$!
set +m

for _ in $(seq 3600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/konto/login/" 2>/dev/null; then
    answered=$(date +%s.%N)
    installed=$(stat -c %Y .venv/.installed 2>/dev/null || echo "$answered")
    printf 'clone %.1f s, install %.1f s, first page %.1f s after the clone started\n' \
      "$(echo "$cloned - $started" | bc)" "$(echo "$installed - $cloned" | bc)" "$(echo "$answered - $started" | bc)"
    printf 'fresh clone → first page: %.1f s\n' "$(echo "$answered - $started" | bc)"
    status=0
    exit 0
  fi
  if ! kill -0 "$server" 2>/dev/null; then
    echo "make run stopped before answering; its log:" >&2
    tail -30 "$log" >&2
    exit 1
  fi
  sleep 0.25
done
echo "no page within 900 s; make run's log: $log" >&2
exit 1
