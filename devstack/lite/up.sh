#!/usr/bin/env bash
# devstack-lite: keystone, glance, placement, neutron and nova from Debian bookworm's packages,
# every API on 127.0.0.1.
#   DL_COMPUTE=fake (default): nova's fake driver and a heartbeat-only OVS agent; no data plane.
#   DL_COMPUTE=qemu: nova-compute with libvirt (virt_type=qemu, software emulation), the linuxbridge,
#     DHCP and L3 agents, config drives; the external network is a bridge on this machine
#     ($DL_EXT_BRIDGE, $DL_EXT_CIDR) without a gateway, so floating IPs answer here and nothing leaves.
# Idempotent: when every saved pid is alive it only re-checks the APIs.
# Env: DL_COMPUTE DL_HOME DL_HOST DL_ADMIN_PASS DL_SERVICE_PASS DL_DB_PASS DL_SKIP_INSTALL=1 DL_DEBUG=1
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $(id -u) == 0 ]] || die "run as root: it installs packages and writes /etc/{keystone,glance,placement,neutron,nova}"
STARTED=$SECONDS

RUNNING_MODE=$(cat "$RUN/compute" 2>/dev/null || true)
DL_COMPUTE=${DL_COMPUTE_ASKED:-fake}
# Measured in a Debian 13 system: the fake mode runs on trixie's OpenStack 2025.1 as it is; real compute does not.
if [[ $DL_COMPUTE == qemu ]] && (( $(cut -d. -f1 /etc/debian_version 2>/dev/null || echo 12) >= 13 )); then
  die "DL_COMPUTE=qemu needs Debian 12: Debian $(cut -d. -f1 /etc/debian_version)'s Neutron (2025.1) has no linuxbridge driver any more (its neutron-linuxbridge-agent package holds no agent code), and this mode's data plane is linuxbridge"
fi
set_services
all_alive() { local s; for s in "${SERVICES[@]}"; do alive "$s" || return 1; done; }
if [[ -n $RUNNING_MODE && $RUNNING_MODE != "$DL_COMPUTE" ]]; then
  say "running with DL_COMPUTE=$RUNNING_MODE; stopping it to start with DL_COMPUTE=$DL_COMPUTE"
  DL_COMPUTE=$RUNNING_MODE bash "$LITE_DIR/down.sh"
fi
if all_alive; then
  for api in "${APIS[@]}"; do
    read -r name port path <<<"$api"
    api_answers "$port" "$path" || die "$name is running (pid $(pid_of "$name")) but port $port does not answer; see $LOG/$name.log or run down.sh then up.sh"
  done
  # Another checkout may have started it: its clouds.yaml (same cloud, same password) is in /etc/openstack.
  [[ -f $LITE_DIR/clouds.yaml ]] || (umask 077 && cp /etc/openstack/clouds.yaml "$LITE_DIR/clouds.yaml")
  say "already up, all ${#SERVICES[@]} services alive and APIs answering ($((SECONDS - STARTED)) s)"
  exit 0
fi
if compgen -G "$RUN/*.pid" >/dev/null; then
  say "some services are down; stopping the rest before a fresh start"
  bash "$LITE_DIR/down.sh"
fi

# ---------------------------------------------------------------- packages
PACKAGES=(python3-keystone python3-glance python3-placement python3-neutron python3-nova
  python3-openstackclient python3-osc-placement python3-pymysql mariadb-server rabbitmq-server
  uwsgi-core uwsgi-plugin-python3 qemu-utils curl openssh-client bc)
# Real compute: libvirt and QEMU, config drives (genisoimage), and what the agents run as root
# through sudo: ip, iptables (filter and nat), ebtables, conntrack, dnsmasq.
[[ $DL_COMPUTE == qemu ]] && PACKAGES+=(libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
  qemu-system-x86 python3-libvirt genisoimage iptables ebtables conntrack dnsmasq-base iproute2 sudo)
if [[ ${DL_SKIP_INSTALL:-0} != 1 ]]; then
  missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
  done
  if ((${#missing[@]})); then
    say "installing ${#missing[@]} missing packages: ${missing[*]}"
    made_policy=0
    # Keeps postinst scripts from starting mariadb and rabbit as system services.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
      printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
    fi
    apt_started=$SECONDS
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
      { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; }; } \
      >"/tmp/devstack-lite-apt.log" 2>&1 || { ((made_policy)) && rm -f /usr/sbin/policy-rc.d
        tail -20 /tmp/devstack-lite-apt.log >&2; die "apt-get install failed; full log in /tmp/devstack-lite-apt.log"; }
    ((made_policy)) && rm -f /usr/sbin/policy-rc.d
    say "packages installed in $((SECONDS - apt_started)) s"
  fi
fi

# ---------------------------------------------------------------- fresh state
rm -rf "$DL_HOME"
mkdir -p "$RUN" "$LOG" "$BIN" "$DL_HOME"/{mysql,rabbitmq,keystone,glance/{images,staging,tasks},neutron,nova/instances,locks}
chmod 700 "$DL_HOME"
echo "$DL_COMPUTE" >"$RUN/compute"
if [[ $DL_COMPUTE == qemu ]]; then
  # QEMU runs as libvirt-qemu and must reach the instance disks: traverse only, nothing listable.
  chmod 711 "$DL_HOME" "$DL_HOME/nova"
  say "creating $DL_EXT_BRIDGE ($DL_EXT_CIDR) for the external network and $DL_VTEP ($DL_VTEP_IP) for VXLAN"
  made_link() { echo "$1" >>"$RUN/links"; }
  # The VXLAN endpoint sits on an empty bridge: the kernel has no dummy links.
  for link in "$DL_EXT_BRIDGE:$DL_EXT_CIDR" "$DL_VTEP:$DL_VTEP_IP/32"; do
    if ! ip link show "${link%%:*}" >/dev/null 2>&1; then
      ip link add "${link%%:*}" type bridge || die "cannot create bridge ${link%%:*}"
      made_link "${link%%:*}"
    fi
    ip addr replace "${link#*:}" dev "${link%%:*}" && ip link set "${link%%:*}" up ||
      die "cannot give ${link%%:*} the address ${link#*:}"
  done
  # Security groups filter bridged traffic with iptables.
  sysctl -q -w net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1 ||
    die "the kernel has no br_netfilter: security groups cannot filter bridged traffic"
fi
rand() { head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }
DL_ADMIN_PASS=${DL_ADMIN_PASS:-admin}
DL_SERVICE_PASS=${DL_SERVICE_PASS:-$(rand)}
DL_DB_PASS=${DL_DB_PASS:-$(rand)}
export DL_ADMIN_PASS DL_SERVICE_PASS
DEBUG=$([[ ${DL_DEBUG:-0} == 1 ]] && echo true || echo false)
TRANSPORT=rabbit://guest:guest@127.0.0.1:5672/
db_url() { echo "mysql+pymysql://openstack:$DL_DB_PASS@localhost/$1?unix_socket=$DB_SOCKET&charset=utf8"; }

start() { # name command...: setsid makes the saved pid the process-group id
  local name=$1; shift
  setsid "$@" >>"$LOG/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}
fail() { # name message
  printf '[devstack-lite] ERROR: %s\n--- last lines of %s ---\n' "$2" "$LOG/$1.log" >&2
  tail -25 "$LOG/$1.log" >&2 2>/dev/null || true
  exit 1
}
wait_until() { # name timeout-seconds description command...
  local name=$1 timeout=$2 what=$3 deadline=$((SECONDS + $2)); shift 3
  until "$@"; do
    [[ $name == - ]] || alive "$name" || fail "$name" "$name exited while waiting for $what"
    ((SECONDS < deadline)) || fail "$name" "$what did not happen within $timeout s"
    sleep 0.3
  done
}
sql() { mariadb --no-defaults -S "$DB_SOCKET" -uroot -N -B "$@"; }
wrapper() { # name module: console script bound to Debian's interpreter
  printf '#!/usr/bin/python3\nimport sys\nfrom %s import main\nsys.exit(main())\n' "$2" >"$BIN/$1"
  chmod 755 "$BIN/$1"
}

# ---------------------------------------------------------------- mariadb, rabbit
say "starting mariadb and rabbitmq"
mariadb-install-db --no-defaults --user=root --datadir="$DL_HOME/mysql" \
  --auth-root-authentication-method=socket --skip-test-db >"$LOG/mariadb-install.log" 2>&1 ||
  fail mariadb-install "mariadb-install-db failed"
start mariadb /usr/sbin/mariadbd --no-defaults --user=root --datadir="$DL_HOME/mysql" \
  --socket="$DB_SOCKET" --pid-file="$RUN/mariadbd.pidfile" --skip-networking --skip-log-bin \
  --max-connections=1000 --innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=0 \
  --innodb-doublewrite=0 --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci

export ERL_EPMD_ADDRESS=127.0.0.1 HOME=$DL_HOME/rabbitmq
export RABBITMQ_NODENAME=rabbit@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=5672 \
  RABBITMQ_DIST_PORT=25672 RABBITMQ_MNESIA_BASE=$DL_HOME/rabbitmq/mnesia RABBITMQ_LOG_BASE=$LOG \
  RABBITMQ_LOGS=$LOG/rabbitmq-node.log RABBITMQ_PID_FILE=$RUN/rabbitmq.erlpid \
  RABBITMQ_CONFIG_FILE=$DL_HOME/rabbitmq/rabbitmq RABBITMQ_ENABLED_PLUGINS_FILE=$DL_HOME/rabbitmq/enabled_plugins \
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
echo '[].' >"$DL_HOME/rabbitmq/enabled_plugins"
printf 'listeners.tcp.default = 127.0.0.1:5672\nloopback_users.guest = true\n' >"$DL_HOME/rabbitmq/rabbitmq.conf"
start epmd epmd -address 127.0.0.1
start rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
export HOME=$DL_HOME

wait_until mariadb 60 "mariadb socket" test -S "$DB_SOCKET"
wait_until mariadb 30 "mariadb to accept queries" sql -e 'SELECT 1' >/dev/null
sql <<SQL
CREATE USER 'openstack'@'localhost' IDENTIFIED BY '$DL_DB_PASS';
$(for db in keystone glance placement neutron nova_api nova nova_cell0; do
    echo "CREATE DATABASE $db CHARACTER SET utf8; GRANT ALL ON $db.* TO 'openstack'@'localhost';"
  done)
SQL

# ---------------------------------------------------------------- configs
say "writing configs"
auth_section() { # user
  cat <<EOF2
auth_url = http://127.0.0.1:5000
auth_type = password
project_domain_name = Default
user_domain_name = Default
project_name = service
username = $1
password = $DL_SERVICE_PASS
region_name = RegionOne
EOF2
}
authtoken() { printf '[keystone_authtoken]\nwww_authenticate_uri = http://127.0.0.1:5000\n'; auth_section "$1"; }
mkdir -p /etc/keystone /etc/glance /etc/placement /etc/neutron/plugins/ml2 /etc/nova /etc/openstack
umask 027

cat >/etc/keystone/keystone.conf <<EOF2
[DEFAULT]
debug = $DEBUG
[database]
connection = $(db_url keystone)
[token]
provider = fernet
[fernet_tokens]
key_repository = $DL_HOME/keystone/fernet-keys
[fernet_receipts]
key_repository = $DL_HOME/keystone/fernet-keys
[credential]
key_repository = $DL_HOME/keystone/credential-keys
[cache]
# Token validation costs 0.5-1.2 s without it; in-process is coherent with one worker only.
enabled = true
backend = dogpile.cache.memory
[identity]
# Cheap bcrypt for a throwaway CI cloud.
password_hash_rounds = 4
EOF2
printf 'from keystone.server.wsgi import initialize_public_application\napplication = initialize_public_application()\n' >"$BIN/keystone-wsgi.py"

cat >/etc/placement/placement.conf <<EOF2
[DEFAULT]
debug = $DEBUG
[placement_database]
connection = $(db_url placement)
[api]
auth_strategy = keystone
$(authtoken placement)
EOF2
printf 'from placement.wsgi import init_application\napplication = init_application()\n' >"$BIN/placement-wsgi.py"

cat >/etc/glance/glance-api.conf <<EOF2
[DEFAULT]
debug = $DEBUG
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
enabled_backends = fs:file
[database]
connection = $(db_url glance)
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DL_HOME/glance/images
[os_glance_staging_store]
filesystem_store_datadir = $DL_HOME/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = $DL_HOME/glance/tasks
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $DL_HOME/locks
$(authtoken glance)
EOF2
cp "$LITE_DIR/paste/glance-api-paste.ini" /etc/glance/glance-api-paste.ini

cat >/etc/neutron/neutron.conf <<EOF2
[DEFAULT]
debug = $DEBUG
host = $DL_HOST
bind_host = 127.0.0.1
bind_port = 9696
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = $TRANSPORT
api_workers = 1
rpc_workers = 1
rpc_state_report_workers = 1
graceful_shutdown_timeout = 5
state_path = $DL_HOME/neutron
api_paste_config = /etc/neutron/api-paste.ini
notify_nova_on_port_status_changes = true
notify_nova_on_port_data_changes = true
[AGENT]
report_interval = 30
$([[ $DL_COMPUTE == qemu ]] && printf '[experimental]\n# Zed calls the linuxbridge mechanism driver and agent experimental.\nlinuxbridge = true\n')
[database]
connection = $(db_url neutron)
[oslo_concurrency]
lock_path = $DL_HOME/locks
$(authtoken neutron)
[nova]
$(auth_section nova)
[placement]
$(auth_section placement)
EOF2
if [[ $DL_COMPUTE == qemu ]]; then
  MECHANISMS=linuxbridge,l2population FIREWALL=iptables
else
  MECHANISMS=openvswitch FIREWALL=openvswitch
fi
cat >/etc/neutron/plugins/ml2/ml2_conf.ini <<EOF2
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = $MECHANISMS
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
firewall_driver = $FIREWALL
EOF2
if [[ $DL_COMPUTE == qemu ]]; then
  # One host: VXLAN devices are made on a dummy endpoint, l2population avoids multicast.
  cat >/etc/neutron/plugins/ml2/linuxbridge_agent.ini <<EOF2
[linux_bridge]
bridge_mappings = public:$DL_EXT_BRIDGE
[vxlan]
enable_vxlan = true
local_ip = $DL_VTEP_IP
l2_population = true
[securitygroup]
enable_security_group = true
firewall_driver = iptables
# The kernel cannot load ip_set; plain iptables rules do the same for a handful of ports.
enable_ipset = false
[agent]
report_interval = 10
EOF2
  cat >/etc/neutron/dhcp_agent.ini <<EOF2
[DEFAULT]
interface_driver = linuxbridge
dhcp_driver = neutron.agent.linux.dhcp.Dnsmasq
# Servers get their metadata from a config drive (nova force_config_drive).
enable_isolated_metadata = false
force_metadata = false
EOF2
  cat >/etc/neutron/l3_agent.ini <<EOF2
[DEFAULT]
interface_driver = linuxbridge
agent_mode = legacy
enable_metadata_proxy = false
EOF2
fi
cp "$LITE_DIR/paste/neutron-api-paste.ini" /etc/neutron/api-paste.ini

cat >/etc/nova/nova.conf <<EOF2
[DEFAULT]
debug = $DEBUG
host = $DL_HOST
my_ip = 127.0.0.1
$(if [[ $DL_COMPUTE == qemu ]]; then cat <<EOF3
compute_driver = libvirt.LibvirtDriver
# No metadata service: every server gets its user-data from a config drive.
force_config_drive = true
mkisofs_cmd = genisoimage
EOF3
else echo "compute_driver = fake.FakeDriver"; fi)
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
osapi_compute_listen_port = 8774
osapi_compute_workers = 1
transport_url = $TRANSPORT
state_path = $DL_HOME/nova
instances_path = $DL_HOME/nova/instances
# FakeDriver never plugs a VIF, so nothing would ever report it plugged; with libvirt the
# linuxbridge agent reports it, and a late report costs at most 60 s, never the server.
vif_plugging_is_fatal = false
vif_plugging_timeout = $([[ $DL_COMPUTE == qemu ]] && echo 60 || echo 0)
graceful_shutdown_timeout = 5
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = /etc/nova/api-paste.ini
[api_database]
connection = $(db_url nova_api)
[database]
connection = $(db_url nova)
[conductor]
workers = 1
[scheduler]
workers = 1
[vnc]
enabled = false
[libvirt]
virt_type = qemu
cpu_mode = none
# Nova's privileged helpers start through 'sudo nova-rootwrap', which the library packages do not
# ship: start privsep-helper through sudo directly (up.sh runs as root).
[nova_sys_admin]
helper_command = sudo privsep-helper --config-file /etc/nova/nova.conf
[vif_plug_linux_bridge_privileged]
helper_command = sudo privsep-helper --config-file /etc/nova/nova.conf
[privsep_osbrick]
helper_command = sudo privsep-helper --config-file /etc/nova/nova.conf
# The serial console goes to a file that os-getConsoleOutput reads.
[serial_console]
enabled = false
[glance]
valid_interfaces = public
[oslo_concurrency]
lock_path = $DL_HOME/locks
$(authtoken nova)
[placement]
$(auth_section placement)
[neutron]
$(auth_section neutron)
EOF2
cp "$LITE_DIR/paste/nova-api-paste.ini" /etc/nova/api-paste.ini
umask 022

wrapper keystone-manage keystone.cmd.manage
wrapper glance-manage glance.cmd.manage
wrapper glance-api glance.cmd.api
wrapper placement-manage placement.cmd.manage
wrapper neutron-db-manage neutron.db.migration.cli
wrapper neutron-server neutron.cmd.eventlet.server
for n in api conductor scheduler compute manage; do wrapper "nova-$n" "nova.cmd.$n"; done
wrapper neutron-linuxbridge-agent neutron.cmd.eventlet.plugins.linuxbridge_neutron_agent
wrapper neutron-dhcp-agent neutron.cmd.eventlet.agents.dhcp
wrapper neutron-l3-agent neutron.cmd.eventlet.agents.l3

# ---------------------------------------------------------------- schemas, in parallel
say "syncing databases"
NEUTRON_CONF=(--config-file /etc/neutron/neutron.conf --config-file /etc/neutron/plugins/ml2/ml2_conf.ini)
sync_keystone() {
  "$BIN/keystone-manage" db_sync &&
  "$BIN/keystone-manage" fernet_setup --keystone-user root --keystone-group root &&
  "$BIN/keystone-manage" credential_setup --keystone-user root --keystone-group root &&
  OS_BOOTSTRAP_PASSWORD=$DL_ADMIN_PASS "$BIN/keystone-manage" bootstrap \
    --bootstrap-admin-url http://127.0.0.1:5000/v3 --bootstrap-internal-url http://127.0.0.1:5000/v3 \
    --bootstrap-public-url http://127.0.0.1:5000/v3 --bootstrap-region-id RegionOne
}
sync_nova() {
  "$BIN/nova-manage" api_db sync && "$BIN/nova-manage" cell_v2 map_cell0 &&
  "$BIN/nova-manage" cell_v2 create_cell --name cell1 && "$BIN/nova-manage" db sync
}
declare -A SYNC_PIDS=()
sync_keystone >"$LOG/sync-keystone.log" 2>&1 & SYNC_PIDS[sync-keystone]=$!
"$BIN/glance-manage" --config-file /etc/glance/glance-api.conf db_sync >"$LOG/sync-glance.log" 2>&1 & SYNC_PIDS[sync-glance]=$!
"$BIN/placement-manage" db sync >"$LOG/sync-placement.log" 2>&1 & SYNC_PIDS[sync-placement]=$!
"$BIN/neutron-db-manage" "${NEUTRON_CONF[@]}" upgrade heads >"$LOG/sync-neutron.log" 2>&1 & SYNC_PIDS[sync-neutron]=$!
sync_nova >"$LOG/sync-nova.log" 2>&1 & SYNC_PIDS[sync-nova]=$!
# Keystone's schema is the shortest; start it as soon as its sync is done.
wait "${SYNC_PIDS[sync-keystone]}" || fail sync-keystone "keystone db_sync/bootstrap failed"
unset 'SYNC_PIDS[sync-keystone]'

UWSGI=(uwsgi --plugin python3 --master --die-on-term --lazy-apps --need-app --buffer-size 65535
       --add-header "Connection: close" --processes 1 --threads 4)
start keystone "${UWSGI[@]}" --http-socket 127.0.0.1:5000 --wsgi-file "$BIN/keystone-wsgi.py"
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_until rabbitmq 120 "rabbitmq on 127.0.0.1:5672" port_open 5672
wait_until keystone 60 "keystone on port 5000" api_answers 5000 /v3
say "keystone up; creating service users and catalog"
/usr/bin/python3 "$LITE_DIR/bootstrap.py" identity >"$LOG/bootstrap-identity.log" 2>&1 &
BOOTSTRAP_IDENTITY=$!

for name in "${!SYNC_PIDS[@]}"; do
  wait "${SYNC_PIDS[$name]}" || fail "$name" "$name failed"
done
start placement "${UWSGI[@]}" --http-socket 127.0.0.1:8778 --wsgi-file "$BIN/placement-wsgi.py"
start glance-api "$BIN/glance-api" --config-file /etc/glance/glance-api.conf
start neutron-server "$BIN/neutron-server" "${NEUTRON_CONF[@]}"
if [[ $DL_COMPUTE == qemu ]]; then
  start neutron-linuxbridge-agent "$BIN/neutron-linuxbridge-agent" --config-file /etc/neutron/neutron.conf \
    --config-file /etc/neutron/plugins/ml2/linuxbridge_agent.ini
  start neutron-dhcp-agent "$BIN/neutron-dhcp-agent" --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/dhcp_agent.ini
  start neutron-l3-agent "$BIN/neutron-l3-agent" --config-file /etc/neutron/neutron.conf --config-file /etc/neutron/l3_agent.ini
  # libvirt in the foreground under setsid like every other service, so its pid is its group.
  mkdir -p "$DL_HOME/libvirt"
  start virtlogd /usr/sbin/virtlogd
  start libvirtd /usr/sbin/libvirtd --pid-file "$RUN/libvirtd.pidfile"
  wait_until libvirtd 60 "libvirtd's socket" test -S /run/libvirt/libvirt-sock
else
  start fake-ovs-agent /usr/bin/python3 "$LITE_DIR/fake-ovs-agent.py" "${NEUTRON_CONF[@]}"
fi
wait "$BOOTSTRAP_IDENTITY" || fail bootstrap-identity "creating users and catalog failed"

# conductor and scheduler exit on a 401 from placement unless the nova user exists.
start nova-api "$BIN/nova-api" --config-file /etc/nova/nova.conf
start nova-conductor "$BIN/nova-conductor" --config-file /etc/nova/nova.conf
start nova-scheduler "$BIN/nova-scheduler" --config-file /etc/nova/nova.conf
start nova-compute "$BIN/nova-compute" --config-file /etc/nova/nova.conf

for api in "${APIS[@]}"; do
  read -r name port path <<<"$api"
  wait_until "$name" 180 "$name on port $port" api_answers "$port" "$path"
done
agent_alive() { [[ $(sql -e "SELECT COUNT(*) FROM neutron.agents WHERE host='$DL_HOST' AND agent_type='$1'") -gt 0 ]]; }
if [[ $DL_COMPUTE == qemu ]]; then
  wait_until neutron-linuxbridge-agent 120 "the linuxbridge agent to report" agent_alive "Linux bridge agent"
  wait_until neutron-dhcp-agent 120 "the DHCP agent to report" agent_alive "DHCP agent"
  wait_until neutron-l3-agent 120 "the L3 agent to report" agent_alive "L3 agent"
else
  wait_until fake-ovs-agent 90 "the fake Open vSwitch agent to report" agent_alive "Open vSwitch agent"
fi
say "all APIs answer; creating networks and flavors"
DL_COMPUTE=$DL_COMPUTE /usr/bin/python3 "$LITE_DIR/bootstrap.py" resources >"$LOG/bootstrap-resources.log" 2>&1 ||
  fail bootstrap-resources "creating networks, router or flavors failed"

compute_registered() { [[ $(sql -e "SELECT COUNT(*) FROM nova.compute_nodes WHERE deleted=0 AND host='$DL_HOST'") -gt 0 ]]; }
wait_until nova-compute 180 "nova-compute to register $DL_HOST" compute_registered
"$BIN/nova-manage" cell_v2 discover_hosts >"$LOG/discover-hosts.log" 2>&1 || fail discover-hosts "nova-manage cell_v2 discover_hosts failed"

umask 077
cat >"$LITE_DIR/clouds.yaml" <<EOF2
clouds:
  devstack-lite:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: admin
      password: "$DL_ADMIN_PASS"
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    identity_api_version: 3
EOF2
cp "$LITE_DIR/clouds.yaml" /etc/openstack/clouds.yaml
say "up in $((SECONDS - STARTED)) s. export OS_CLIENT_CONFIG_FILE=$LITE_DIR/clouds.yaml OS_CLOUD=devstack-lite"
