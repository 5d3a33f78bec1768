#!/usr/bin/env bash
# Builds the web-tier VM image on this machine, without AWS and without mounting anything:
# debootstrap (Debian 12) from this machine's apt mirror into a directory, the packages installed in
# a chroot with no recommends, the jar and unit added, then
#   mkfs.ext4 -d ROOT -E offset=1MiB   the root filesystem written straight into the disk file,
#   sfdisk                             an MBR partition table written into the same file,
#   grub-mkimage + dd conv=notrunc     GRUB's boot.img in the MBR and core.img behind it (BIOS boot),
#   qemu-img convert                   a streamOptimized VMDK (Glance, VMware and AWS import take it).
# No loop device, nbd or device-mapper is needed. Needs root (chroot, file ownership).
#
# The VMDK is named by a content hash of its inputs (this script, rootfs/, the unit, the jar, the
# Debian suite and mirror) and reused from the cache directory when nothing changed. The installed
# system without the jar is cached too (rootfs-<hash>.tar), so a new jar costs a minute, not a
# debootstrap.
#
# usage: build-local.sh [--jar FILE] [--cache-dir DIR] [--qcow2] [--keep-work] [--base-only]
#   --base-only  build (or find) the cached installed system only, no jar needed: CI starts it early,
#                in the background. Two builds of the same installed system take turns (flock).
# stdout: the VMDK's path (and the qcow2's with --qcow2), nothing else. stderr: progress lines
# "[image N/7] what" and, with a failure, one line "build-local: ERROR: ..." and the log's tail.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
export PATH=/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8
unset PYTHONPATH PYTHONHOME

JAR=$REPO/web-tier/target/hybrid-web-tier.jar
CACHE=${HYBRID_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hybrid/images}
QCOW2=0 KEEP=0 BASE_ONLY=0
while (($#)); do
  case $1 in
    --jar) JAR=$2; shift 2 ;;
    --cache-dir) CACHE=$2; shift 2 ;;
    --qcow2) QCOW2=1; shift ;;
    --keep-work) KEEP=1; shift ;;
    --base-only) BASE_ONLY=1; shift ;;
    -h | --help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-local: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

SUITE=bookworm   # the image is Debian 12 whatever this machine runs
PACKAGES=(linux-image-cloud-amd64 initramfs-tools systemd-sysv udev dbus systemd-timesyncd
  systemd-resolved cloud-init cloud-guest-utils e2fsprogs iproute2 netbase ca-certificates
  openssh-server openjdk-17-jre-headless)
HOST_TOOLS=(debootstrap:debootstrap mkfs.ext4:e2fsprogs sfdisk:fdisk grub-mkimage:grub-common
  /usr/lib/grub/i386-pc/boot.img:grub-pc-bin qemu-img:qemu-utils)

STEP=0 STEPS=7
step() { STEP=$((STEP + 1)); printf '[image %d/%d] %s\n' "$STEP" "$STEPS" "$*" >&2; }
die() { printf 'build-local: ERROR: %s\n' "$*" >&2; exit 1; }
[[ $(id -u) == 0 ]] || die "run as root: debootstrap and chroot need it (the disk itself is built without mounting)"
((BASE_ONLY)) || [[ -f $JAR ]] || die "no web-tier jar at $JAR: build it first (mvn -B -pl web-tier -am -DskipTests package) or pass --jar FILE"

# The Debian mirror this machine's apt uses (one-line or deb822 sources), else Debian's own.
mirror() {
  local m
  m=$(grep -hs -E '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | grep -v security |
    grep -oE 'https?://[^ ]*debian[^ ]*' | head -1)
  [[ -n $m ]] || m=$(grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources |
    awk '$2 ~ /debian/ && $2 !~ /security/ {print $2; exit}')
  echo "${m:-http://deb.debian.org/debian}"
}
security_mirror() {
  local m
  m=$(grep -hs -E '^URIs:.*security|^deb[[:space:]].*security' /etc/apt/sources.list /etc/apt/sources.list.d/* |
    grep -oE 'https?://[^ ]+' | head -1)
  echo "${m:-http://deb.debian.org/debian-security}"
}
MIRROR=$(mirror)
SECURITY=$(security_mirror)

# ------------------------------------------------------------------ 1. inputs and cache
step "hashing inputs"
sha() { sha256sum | cut -c1-16; }
# The installed system depends on the lines between the base markers only, not on the rest of this script.
BASE_KEY=$( { sed -n '/^# >>> base/,/^# <<< base/p' "$0"; echo "$SUITE $MIRROR $SECURITY ${PACKAGES[*]}"
  cat "$HERE"/rootfs/etc/dpkg/dpkg.cfg.d/*; } | sha)
((BASE_ONLY)) && KEY=base-only || KEY=$( { echo "$BASE_KEY"; cat "$0"; sha256sum <"$JAR"; cat "$HERE/hybrid-web.service"
  (cd "$HERE/rootfs" && find . -type f -print0 | sort -z | xargs -0 sha256sum); } | sha)
mkdir -p "$CACHE"
VMDK=$CACHE/hybrid-web-$KEY.vmdk
QCOW=$CACHE/hybrid-web-$KEY.qcow2
if ((!BASE_ONLY)) && [[ -s $VMDK && ($QCOW2 == 0 || -s $QCOW) ]]; then
  printf '[image] cached: nothing changed since %s was built\n' "$(basename "$VMDK")" >&2
  echo "$VMDK"; ((QCOW2)) && echo "$QCOW"; exit 0
fi

missing=()
for t in "${HOST_TOOLS[@]}"; do
  [[ -e ${t%%:*} ]] || command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}")
done
if ((${#missing[@]})); then
  printf '[image] installing %s\n' "${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends "${missing[@]}" >&2 ||
    die "apt-get install ${missing[*]} failed"
fi

WORK=$(mktemp -d "$CACHE/.work-XXXXXX")
ROOT=$WORK/root
LOGF=$WORK/build.log
cleanup() {
  local rc=$?
  mountpoint -q "$ROOT/proc" 2>/dev/null && umount -l "$ROOT/proc"
  mountpoint -q "$ROOT/sys" 2>/dev/null && umount -l "$ROOT/sys"
  if ((rc)); then
    printf -- '--- last lines of the build log ---\n' >&2; tail -20 "$LOGF" >&2 2>/dev/null || true
  fi
  if ((KEEP)); then printf '[image] work directory kept: %s\n' "$WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
run() { "$@" >>"$LOGF" 2>&1; }
in_root() { run chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }

# >>> base: the installed system, cached as rootfs-<hash>.tar
BASE_TAR=$CACHE/rootfs-$BASE_KEY.tar
# One builder of an installed system at a time: a second waits, then finds the first one's tar.
exec 9>"$CACHE/.rootfs-$BASE_KEY.lock"
flock 9
if ((BASE_ONLY)) && [[ -s $BASE_TAR ]]; then
  printf '[image] installed system cached: %s\n' "$(basename "$BASE_TAR")" >&2; exit 0
elif [[ -s $BASE_TAR ]]; then
  step "installed system cached: unpacking $(basename "$BASE_TAR")"
  mkdir -p "$ROOT" && tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -xpf "$BASE_TAR"
  step "(packages already installed)"
else
  # ---------------------------------------------------------------- 2. debootstrap
  step "debootstrap $SUITE (minbase) from $MIRROR"
  mkdir -p "$CACHE/debs"
  run debootstrap --variant=minbase --cache-dir="$CACHE/debs" "$SUITE" "$ROOT" "$MIRROR" ||
    die "debootstrap $SUITE from $MIRROR failed"

  # ---------------------------------------------------------------- 3. packages
  step "installing ${#PACKAGES[@]} packages without recommends (kernel, cloud-init, Java 17)"
  cp -a "$HERE/rootfs/etc/dpkg/dpkg.cfg.d/." "$ROOT/etc/dpkg/dpkg.cfg.d/"
  cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main
EOF
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$ROOT/etc/apt/apt.conf.d/10-hybrid-no-recommends"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs sysfs "$ROOT/sys"
  in_root apt-get update -q || die "apt-get update in the new system failed"
  in_root apt-get install -y -q -o Dpkg::Options::=--force-confdef "${PACKAGES[@]}" ||
    die "apt-get install in the new system failed"
  in_root apt-get clean
  umount "$ROOT/sys" "$ROOT/proc"
  rm -f "$ROOT/usr/sbin/policy-rc.d"
  rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/log/*.log "$ROOT"/var/log/apt/*
  tar -C "$ROOT" --numeric-owner --xattrs --xattrs-include='*' -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
fi
# <<< base
flock -u 9
if ((BASE_ONLY)); then
  printf '[image] installed system built: %s (%s MiB)\n' "$(basename "$BASE_TAR")" "$(( $(stat -c %s "$BASE_TAR") / 1048576 ))" >&2
  exit 0
fi

# ------------------------------------------------------------------ 4. configure
step "adding the web tier, its unit and the first-boot settings"
cp -a "$HERE/rootfs/." "$ROOT/"
in_root useradd --system --home-dir /opt/hybrid --shell /usr/sbin/nologin hybrid || die "useradd hybrid failed"
install -d -m 0755 "$ROOT/opt/hybrid" "$ROOT/etc/hybrid"
install -m 0644 "$JAR" "$ROOT/opt/hybrid/hybrid-web-tier.jar"
install -m 0644 "$HERE/hybrid-web.service" "$ROOT/etc/systemd/system/hybrid-web.service"
in_root systemctl enable hybrid-web.service systemd-networkd.service systemd-resolved.service \
  systemd-timesyncd.service systemd-time-wait-sync.service || die "systemctl enable failed"
# Timers that would compete for the single emulated CPU during boot.
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer || true
ROOT_UUID=$(cat /proc/sys/kernel/random/uuid)
printf 'UUID=%s / ext4 defaults,errors=remount-ro 0 1\n' "$ROOT_UUID" >"$ROOT/etc/fstab"
echo hybrid-web >"$ROOT/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 hybrid-web\n::1 localhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
ln -sf ../run/systemd/resolve/stub-resolv.conf "$ROOT/etc/resolv.conf"
: >"$ROOT/etc/machine-id"          # a new id at first boot
rm -f "$ROOT"/etc/ssh/ssh_host_*    # cloud-init makes new host keys
rm -rf "$ROOT"/var/lib/cloud/*
KERNEL=$(cd "$ROOT/boot" && ls vmlinuz-* | sort -V | tail -1)
INITRD=initrd.img-${KERNEL#vmlinuz-}
[[ -f $ROOT/boot/$INITRD ]] || die "the kernel package left no $INITRD in /boot"
mkdir -p "$ROOT/boot/grub"
cat >"$ROOT/boot/grub/grub.cfg" <<EOF
set timeout=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry 'Debian 12 (hybrid web tier)' {
  linux /boot/$KERNEL root=UUID=$ROOT_UUID ro console=tty0 console=ttyS0,115200n8 net.ifnames=0
  initrd /boot/$INITRD
}
EOF
INSTALLED_KIB=$(du -sxk "$ROOT" | cut -f1)

# ------------------------------------------------------------------ 5. disk
step "writing the disk: ext4 from the directory, MBR, GRUB (no mount)"
MIB=1048576
FS_MIB=$(( (INSTALLED_KIB * 13 / 10) / 1024 + 256 ))   # 30 % + 256 MiB free; cloud-init grows it to the flavor's disk
DISK=$WORK/disk.raw
truncate -s $(( (FS_MIB + 1) * MIB )) "$DISK"
printf 'label: dos\nstart=2048, type=83, bootable\n' | run sfdisk --no-reread --no-tell-kernel "$DISK" || die "sfdisk failed"
# orphan_file and metadata_csum_seed are left out so that GRUB 2.06 can read the filesystem.
run mkfs.ext4 -q -F -L root -U "$ROOT_UUID" -O '^orphan_file,^metadata_csum_seed' -E offset=$MIB \
  -d "$ROOT" "$DISK" "${FS_MIB}M" || die "mkfs.ext4 -d failed"
GRUB_DIR=/usr/lib/grub/i386-pc
printf 'search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)/boot/grub\n' "$ROOT_UUID" >"$WORK/early.cfg"
run grub-mkimage -O i386-pc -d "$GRUB_DIR" -o "$WORK/core.img" -c "$WORK/early.cfg" -p /boot/grub \
  biosdisk part_msdos ext2 search search_fs_uuid normal linux configfile echo serial terminal test gzio ||
  die "grub-mkimage failed"
(( $(stat -c %s "$WORK/core.img") < 2047 * 512 )) || die "core.img does not fit before the first partition"
# boot.img's code goes in front of the partition table; it loads core.img from sector 1, where it goes.
run dd if="$GRUB_DIR/boot.img" of="$DISK" bs=440 count=1 conv=notrunc
run dd if="$WORK/core.img" of="$DISK" bs=512 seek=1 conv=notrunc

# ------------------------------------------------------------------ 6. VMDK
step "converting to a streamOptimized VMDK"
run qemu-img convert -O vmdk -o subformat=streamOptimized "$DISK" "$WORK/out.vmdk" || die "qemu-img convert failed"
mv "$WORK/out.vmdk" "$VMDK"
if ((QCOW2)); then
  run qemu-img convert -c -O qcow2 "$DISK" "$WORK/out.qcow2" || die "qemu-img convert to qcow2 failed"
  mv "$WORK/out.qcow2" "$QCOW"
fi

# ------------------------------------------------------------------ 7. done
step "done"
printf '[image] %s: %s MiB VMDK, disk %s MiB, installed %s MiB, kernel %s\n' "$(basename "$VMDK")" \
  "$(( $(stat -c %s "$VMDK") / MIB ))" "$((FS_MIB + 1))" "$((INSTALLED_KIB / 1024))" "${KERNEL#vmlinuz-}" >&2
echo "$VMDK"
((QCOW2)) && echo "$QCOW"
exit 0
