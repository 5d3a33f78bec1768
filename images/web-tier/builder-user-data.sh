#!/bin/bash
# User-data of the web-tier image builder (Amazon Linux 2023): runtime, jar and unit; the unit is
# enabled but only starts once cloud-init of a real server has written /etc/hybrid/web.env.
# The image is exported as VMDK and booted on OpenStack, so cloud-init must look there too.
# The orchestrator fills in the @…@ values; the jar is fetched with the builder's instance profile.
set -euo pipefail
exec > /var/log/hybrid-builder.log 2>&1
# The orchestrator reads the console once the builder is off: a failed recipe must never become an image.
trap 'echo "hybrid-bake: FAILED at line $LINENO: $(tail -n 3 /var/log/hybrid-builder.log | tr "\n" " ")" > /dev/console; systemctl poweroff' ERR

dnf install -y java-17-amazon-corretto-headless awscli
useradd --system --home /opt/hybrid --shell /sbin/nologin hybrid || true
install -d -o hybrid -g hybrid /opt/hybrid
install -d -m 0755 /etc/hybrid
aws s3 cp '@JAR_S3_URI@' /opt/hybrid/hybrid-web-tier.jar

cat > /etc/systemd/system/hybrid-web.service <<'UNIT'
@UNIT@
UNIT
mkdir -p /etc/systemd/system/hybrid-web.service.d
printf '[Unit]\nConditionPathExists=/etc/hybrid/web.env\n' > /etc/systemd/system/hybrid-web.service.d/configured.conf
systemctl enable hybrid-web.service

cat > /etc/cloud/cloud.cfg.d/90-hybrid-datasources.cfg <<'CFG'
datasource_list: [ ConfigDrive, OpenStack, Ec2, None ]
CFG
# The exported disk boots elsewhere as a new machine: forget this one.
cloud-init clean --logs
echo "hybrid-bake: OK" > /dev/console
systemctl poweroff
