#!/usr/bin/env bash
# Boots a server with a floating IP on devstack-lite and cleans up; exit code = failed steps.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export OS_CLIENT_CONFIG_FILE=${OS_CLIENT_CONFIG_FILE:-$LITE_DIR/clouds.yaml} OS_CLOUD=${OS_CLOUD:-devstack-lite}
[[ -r $OS_CLIENT_CONFIG_FILE ]] || die "$OS_CLIENT_CONFIG_FILE not found; run up.sh first"
exec /usr/bin/python3 "$LITE_DIR/smoke.py"
