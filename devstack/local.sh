#!/usr/bin/env bash
# Run by stack.sh after everything is up (devstack runs $TOP_DIR/local.sh when
# it exists; copy this file next to stack.sh). Opens what the web tier needs in
# the default security group of the demo and admin projects: ssh, the web
# tier's HTTP port and ping.
set -euo pipefail
TOP_DIR=$(cd "$(dirname "$0")" && pwd)
for project in demo admin; do
  # shellcheck disable=SC1091
  source "$TOP_DIR/openrc" admin "$project" >/dev/null
  group=$(openstack security group list --project "$project" -f value -c ID -c Name | awk '$2 == "default" {print $1}')
  for rule in "--protocol tcp --dst-port 22" "--protocol tcp --dst-port 8080" "--protocol icmp"; do
    # shellcheck disable=SC2086
    openstack security group rule create --ingress --ethertype IPv4 --remote-ip 0.0.0.0/0 $rule "$group" \
      >/dev/null 2>&1 || echo "rule '$rule' already present in $project/default"
  done
done
