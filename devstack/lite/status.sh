#!/usr/bin/env bash
# Which devstack-lite process groups are alive and which APIs answer; exit 1 if anything is down.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
down=0
for s in "${SERVICES[@]}"; do
  if alive "$s"; then
    rss=$(ps -o rss= -g "$(pid_of "$s")" | awk '{t += $1} END {printf "%d", t / 1024}')
    printf '%-16s alive  pid %-7s %5s MiB\n' "$s" "$(pid_of "$s")" "$rss"
  else
    printf '%-16s DOWN   %s\n' "$s" "${LOG}/$s.log"; down=1
  fi
done
for api in "${APIS[@]}"; do
  read -r name port path <<<"$api"
  if api_answers "$port" "$path"; then printf 'api %-12s 127.0.0.1:%s answers\n' "$name" "$port"
  else printf 'api %-12s 127.0.0.1:%s NO ANSWER\n' "$name" "$port"; down=1; fi
done
exit $down
