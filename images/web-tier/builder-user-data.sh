#!/bin/bash
# User-data of the web-tier image builder: runtime, jar and unit; the unit is enabled but only
# starts once cloud-init of a real server has written /etc/hybrid/web.env.
set -euo pipefail
exec > /var/log/hybrid-builder.log 2>&1
JAR_S3_URI='@JAR_S3_URI@'
dnf install -y java-17-amazon-corretto-headless awscli
useradd --system --home /opt/hybrid --shell /sbin/nologin hybrid || true
install -d -o hybrid -g hybrid /opt/hybrid /etc/hybrid
aws s3 cp "$JAR_S3_URI" /opt/hybrid/hybrid-web-tier.jar
cat > /etc/systemd/system/hybrid-web.service <<'UNIT'
@UNIT@
UNIT
mkdir -p /etc/systemd/system/hybrid-web.service.d
printf '[Unit]\nConditionPathExists=/etc/hybrid/web.env\n' > /etc/systemd/system/hybrid-web.service.d/configured.conf
systemctl enable hybrid-web.service
systemctl poweroff
