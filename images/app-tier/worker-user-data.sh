#!/bin/bash
# User-data of an app-tier instance: where its queues and buckets are. No credentials: the
# instance profile grants exactly what the worker needs. The orchestrator fills in the @…@ values.
set -euo pipefail
umask 077
install -d -m 0755 /etc/hybrid
cat > /etc/hybrid/worker.env <<'ENV'
HYBRID_REQUEST_QUEUE_URL=@REQUEST_QUEUE_URL@
HYBRID_RESPONSE_QUEUE_URL=@RESPONSE_QUEUE_URL@
HYBRID_INPUT_BUCKET=@INPUT_BUCKET@
HYBRID_OUTPUT_BUCKET=@OUTPUT_BUCKET@
HYBRID_VISIBILITY_TIMEOUT_SECONDS=@VISIBILITY_TIMEOUT_SECONDS@
HYBRID_IDLE_EXIT_SECONDS=@IDLE_EXIT_SECONDS@
ENV
chown hybrid:hybrid /etc/hybrid/worker.env
systemctl restart hybrid-worker.service
