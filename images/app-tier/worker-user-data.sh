#!/bin/bash
# User-data of an app-tier instance: where the queues and buckets are. No credentials: the
# instance profile grants exactly what the worker needs.
set -euo pipefail
umask 077
cat > /etc/hybrid/worker.env <<'ENV'
HYBRID_REQUEST_QUEUE_URL=@REQUEST_QUEUE_URL@
HYBRID_RESPONSE_QUEUE_URL=@RESPONSE_QUEUE_URL@
HYBRID_INPUT_BUCKET=@INPUT_BUCKET@
HYBRID_OUTPUT_BUCKET=@OUTPUT_BUCKET@
AWS_REGION=@REGION@
HYBRID_MODEL_URL=file:/opt/hybrid/model/model.pt
HYBRID_MODEL_PROFILE=@PROFILE@
HYBRID_IDLE_EXIT_SECONDS=@IDLE_EXIT_SECONDS@
ENV
chown hybrid:hybrid /etc/hybrid/worker.env
