# Shared settings and helpers for up.sh, down.sh and status.sh (sourced, not run).
# shellcheck shell=bash
LITE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DL_HOME=${DL_HOME:-/var/lib/devstack-lite}
DL_HOST=${DL_HOST:-devstack-lite}
RUN=$DL_HOME/run
LOG=$DL_HOME/log
BIN=$DL_HOME/bin
DB_SOCKET=$RUN/mysqld.sock
# Debian's packages live for /usr/bin/python3; an interpreter earlier on PATH
# (pyenv and the like) would not see them.
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin
unset PYTHONPATH PYTHONHOME PYENV_VERSION VIRTUAL_ENV

# DL_COMPUTE: fake (nova's fake driver, no data plane; the default) or qemu (libvirt with software
# emulation, the linuxbridge, DHCP and L3 agents, floating IPs reachable from this machine).
# A running cloud remembers its mode in $RUN/compute, so down.sh and status.sh need no setting;
# up.sh takes the mode from the environment only (default fake).
DL_COMPUTE_ASKED=${DL_COMPUTE:-}
DL_COMPUTE=${DL_COMPUTE:-$(cat "$RUN/compute" 2>/dev/null || echo fake)}
case $DL_COMPUTE in fake | qemu) ;; *) echo "[devstack-lite] ERROR: DL_COMPUTE must be fake or qemu, not '$DL_COMPUTE'" >&2; exit 2 ;; esac
# qemu mode: the external network's bridge on this machine, its address, and the VXLAN endpoint.
DL_EXT_BRIDGE=${DL_EXT_BRIDGE:-br-dlex}
DL_EXT_CIDR=${DL_EXT_CIDR:-172.24.4.1/24}
DL_VTEP=${DL_VTEP:-dl-vtep}
DL_VTEP_IP=${DL_VTEP_IP:-10.255.255.1}

# Start order; down.sh stops in reverse.
set_services() {
if [[ $DL_COMPUTE == qemu ]]; then
  SERVICES=(mariadb epmd rabbitmq keystone placement glance-api neutron-server
            neutron-linuxbridge-agent neutron-dhcp-agent neutron-l3-agent virtlogd libvirtd
            nova-api nova-conductor nova-scheduler nova-compute)
else
  SERVICES=(mariadb epmd rabbitmq keystone placement glance-api neutron-server
            fake-ovs-agent nova-api nova-conductor nova-scheduler nova-compute)
fi
}
set_services
# name port path: the HTTP APIs that must answer.
APIS=("keystone 5000 /v3" "placement 8778 /" "glance-api 9292 /versions"
      "neutron-server 9696 /" "nova-api 8774 /")

say() { printf '[devstack-lite %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[devstack-lite] ERROR: %s\n' "$*" >&2; exit 1; }

pid_of() { cat "$RUN/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid=$(pid_of "$1"); [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; }

api_answers() { # port path -> 0 when any HTTP status comes back
  local code
  code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$1$2" || true)
  [[ $code != 000 && -n $code ]]
}
