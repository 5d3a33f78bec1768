#!/usr/bin/env bash
# Stops what up.sh started, by saved pid only: TERM to each process group,
# a grace period (15 s, 30 s for rabbitmq and mariadb), then KILL of that group.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STARTED=$SECONDS

group_alive() { kill -0 -- "-$1" 2>/dev/null; }
stop() { # name grace-seconds
  local name=$1 grace=$2 pid deadline
  pid=$(pid_of "$name")
  [[ -n $pid ]] || return 0
  if group_alive "$pid"; then
    kill -TERM -- "-$pid" 2>/dev/null || true
    deadline=$((SECONDS + grace))
    while group_alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if group_alive "$pid"; then
      say "$name (group $pid) still running after ${grace} s; sending KILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/$name.pid"
}

# Services in reverse start order, in parallel; the brokers and the database last.
pids=()
for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
  case ${SERVICES[i]} in mariadb | epmd | rabbitmq) ;; *) stop "${SERVICES[i]}" 15 & pids+=($!) ;; esac
done
((${#pids[@]})) && wait "${pids[@]}"
stop rabbitmq 30 & stop mariadb 30 & wait
stop epmd 15
for leftover in "$RUN"/*.pid; do # anything recorded under another name
  [[ -e $leftover ]] && stop "$(basename "$leftover" .pid)" 15
done
say "down in $((SECONDS - STARTED)) s"
