#!/usr/bin/env bash
# Stops what up.sh started, by saved pid only: TERM to each process group,
# a grace period (15 s, 30 s for rabbitmq and mariadb), then KILL of that group.
# With DL_COMPUTE=qemu also: nova's libvirt domains, the dnsmasq processes of the DHCP agent (by
# their pid files), the agents' namespaces, bridges and iptables chains, and the links up.sh made.
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

if [[ $DL_COMPUTE == qemu ]] && alive libvirtd; then
  # Nova names its domains instance-XXXXXXXX; this libvirtd was started by up.sh.
  for dom in $(virsh -c qemu:///system list --all --name 2>/dev/null | grep '^instance-' || true); do
    virsh -c qemu:///system destroy "$dom" >/dev/null 2>&1 || true
    virsh -c qemu:///system undefine --nvram "$dom" >/dev/null 2>&1 ||
      virsh -c qemu:///system undefine "$dom" >/dev/null 2>&1 || true
    say "removed libvirt domain $dom"
  done
fi

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
if [[ $DL_COMPUTE == qemu ]]; then
  # dnsmasq detaches from the DHCP agent's process group; neutron keeps its pid per network.
  for pidfile in "$DL_HOME"/neutron/dhcp/*/pid "$DL_HOME"/neutron/external/pids/*.pid; do
    [[ -f $pidfile ]] || continue
    pid=$(cat "$pidfile"); [[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null || true
  done
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^(qrouter|qdhcp)-/ {print $1}'); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    ip netns delete "$ns" 2>/dev/null || true
  done
  # The linuxbridge agent's bridges (brq<network>) and VXLAN devices (vxlan-<vni>).
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | grep -E '^(brq[0-9a-f-]{11}|vxlan-[0-9]+|tap[0-9a-f-]{11})$' || true); do
    ip link delete "$link" 2>/dev/null || true
  done
  # The agent's iptables chains: the jumps into them, then the chains themselves.
  for cmd in iptables ip6tables; do
    command -v "$cmd" >/dev/null || continue
    for table in filter raw nat mangle; do
      jumps=$("$cmd" -t "$table" -S 2>/dev/null | grep -E '^-A [^ ]+ .*-j neutron-' | grep -vE '^-A neutron-' || true)
      while read -r rule; do
        [[ -n $rule ]] && { eval "$cmd -t $table -D ${rule#-A }" 2>/dev/null || true; }
      done <<<"$jumps"
      chains=$("$cmd" -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^neutron-/ {print $2}')
      for chain in $chains; do "$cmd" -t "$table" -F "$chain" 2>/dev/null || true; done
      for chain in $chains; do "$cmd" -t "$table" -X "$chain" 2>/dev/null || true; done
    done
  done
  if [[ -f $RUN/links ]]; then
    while read -r link; do ip link delete "$link" 2>/dev/null && say "deleted $link"; done <"$RUN/links"
    rm -f "$RUN/links"
  fi
fi
rm -f "$RUN/compute"
say "down in $((SECONDS - STARTED)) s"
