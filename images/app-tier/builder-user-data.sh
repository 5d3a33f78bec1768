#!/bin/bash
# User-data of the app-tier AMI builder (Amazon Linux 2023). Installs the runtime, the worker jar
# and the model, installs the unit, then powers off so the orchestrator can image the volume.
# The orchestrator fills in the two @…@ values; the jar is fetched with the builder's instance profile.
set -euo pipefail
exec > /var/log/hybrid-builder.log 2>&1

JAR_S3_URI='@JAR_S3_URI@'
MODEL_URL='@MODEL_URL@'

dnf install -y java-17-amazon-corretto-headless awscli
useradd --system --home /opt/hybrid --shell /sbin/nologin hybrid || true
install -d -o hybrid -g hybrid /opt/hybrid /opt/hybrid/djl-cache /etc/hybrid
aws s3 cp "$JAR_S3_URI" /opt/hybrid/hybrid-app-tier.jar

# Pre-fetch the model (and unpack the native library) so workers never download at boot.
sudo -u hybrid env DJL_CACHE_DIR=/opt/hybrid/djl-cache OPT_OUT_TRACKING=true \
  java -jar /opt/hybrid/hybrid-app-tier.jar --prefetch-model --model "$MODEL_URL"

cat > /etc/systemd/system/hybrid-worker.service <<'UNIT'
@UNIT@
UNIT
systemctl enable hybrid-worker.service
# The unit starts on instances launched from the image, not on the builder.
systemctl poweroff
