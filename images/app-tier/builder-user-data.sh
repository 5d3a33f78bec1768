#!/bin/bash
# User-data of the app-tier AMI builder (Amazon Linux 2023). Installs the runtime, the worker jar
# and the model, installs the unit, then powers off so that the orchestrator can image the volume.
# The orchestrator fills in the @…@ values; the jar is fetched with the builder's instance profile.
set -euo pipefail
exec > /var/log/hybrid-builder.log 2>&1
# The orchestrator reads the console once the builder is off: a failed recipe must never become an image.
trap 'echo "hybrid-bake: FAILED at line $LINENO: $(tail -n 3 /var/log/hybrid-builder.log | tr "\n" " ")" > /dev/console; systemctl poweroff' ERR

dnf install -y java-17-amazon-corretto-headless awscli
useradd --system --home /opt/hybrid --shell /sbin/nologin hybrid || true
install -d -o hybrid -g hybrid /opt/hybrid /opt/hybrid/djl-cache
install -d -m 0755 /etc/hybrid
aws s3 cp '@JAR_S3_URI@' /opt/hybrid/hybrid-app-tier.jar

# What the image was baked with; the per-instance settings come from user-data at boot.
cat > /etc/hybrid/image.env <<'IMAGE_ENV'
HYBRID_MODEL_URL=@MODEL_URL@
HYBRID_MODEL_PROFILE=@MODEL_PROFILE@
IMAGE_ENV

# Pre-fetch the model (and unpack the native library) so that workers never download at boot.
sudo -u hybrid env DJL_CACHE_DIR=/opt/hybrid/djl-cache OPT_OUT_TRACKING=true \
  java -jar /opt/hybrid/hybrid-app-tier.jar --prefetch-model --model '@MODEL_URL@'
# A class-data archive of what a worker loads in its first seconds: the model, one classification and a
# batch's SQS and S3 calls (made against a loopback port that refuses them). Local workers start with the
# same kind of archive, which takes about 1 s off each start on 2 cores (docs/benchmarks.md).
sudo -u hybrid env DJL_CACHE_DIR=/opt/hybrid/djl-cache OPT_OUT_TRACKING=true \
  java -XX:ArchiveClassesAtExit=/opt/hybrid/hybrid-app-tier.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
  -jar /opt/hybrid/hybrid-app-tier.jar --class-archive-workload \
  --model '@MODEL_URL@' --profile '@MODEL_PROFILE@'
# A damaged archive would crash every worker that maps it: -Xshare:on refuses to start unless it maps.
java -Xshare:on -XX:SharedArchiveFile=/opt/hybrid/hybrid-app-tier.jsa -cp /opt/hybrid/hybrid-app-tier.jar -version

cat > /etc/systemd/system/hybrid-worker.service <<'UNIT'
@UNIT@
UNIT
systemctl enable hybrid-worker.service
# The unit starts on instances launched from the image, not on the builder: it needs worker.env.
echo "hybrid-bake: OK" > /dev/console
systemctl poweroff
