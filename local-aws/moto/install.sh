#!/usr/bin/env bash
# Installs moto (the AWS API emulator the orchestrator's Moto* tests run against) and Debian's aws
# CLI (their independent checker). Run as root on Debian 12 or 13; safe to run again (a few
# hundred milliseconds when everything is there).
#
#  * Debian 13 and later: python3-moto from the release itself.
#  * Debian 12: python3-moto exists only from trixie on. The script adds the trixie suite of the
#    mirror apt already uses, pinned at 50 so that nothing else is ever taken from it, fetches
#    that one package with `apt-get download` and unpacks it into local-aws/moto/dist/ (ignored
#    by git); bookworm's own packages provide everything it imports.
#
# Tests find moto through local-aws/moto/dist/pythonpath: the PYTHONPATH to use, relative to that
# folder (empty on 13+, where moto is in the system's path).
# One line on stderr and exit 1 on failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dist=$here/dist
python=/usr/bin/python3
export DEBIAN_FRONTEND=noninteractive

fail() { echo "moto install: $*" >&2; exit 1; }

# What moto's server imports (flask-cors is imported but not declared by the package) and the CLI.
deps=(python3-boto3 python3-botocore python3-flask python3-werkzeug python3-responses
      python3-xmltodict python3-jinja2 python3-cryptography python3-dateutil python3-yaml
      python3-flask-cors python3-requests awscli)

# The PYTHONPATH that makes moto importable.
pythonpath() {
  local relative
  relative=$(cat "$dist/pythonpath" 2>/dev/null || true)
  [[ -z $relative ]] || echo "$dist/$relative"
}

# Quick: the recorded PYTHONPATH, moto's files and every package in place (importing moto takes seconds).
installed() {
  [[ -f $dist/pythonpath && -x /usr/bin/aws ]] || return 1
  [[ -d $(pythonpath)/moto || -d /usr/lib/python3/dist-packages/moto ]] || return 1
  dpkg-query -W -f='${db:Status-Abbrev}\n' "${deps[@]}" 2>/dev/null | grep -qv '^ii' && return 1
  [[ $(dpkg-query -W -f='${db:Status-Abbrev}\n' "${deps[@]}" 2>/dev/null | wc -l) -eq ${#deps[@]} ]]
}

works() {
  PYTHONPATH=$(pythonpath) "$python" -c 'import moto.server, flask_cors' 2>/dev/null && /usr/bin/aws --version >/dev/null 2>&1
}

if installed; then
  echo "moto install: already installed"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || fail "run as root (it installs Debian packages)"
[[ -r /etc/debian_version ]] || fail "not a Debian system: /etc/debian_version is missing"
release=$(cut -d. -f1 /etc/debian_version)
[[ $release =~ ^[0-9]+$ ]] || fail "/etc/debian_version says '$(cat /etc/debian_version)'; need Debian 12 or later"
((release >= 12)) || fail "Debian $release is too old; need Debian 12 (bookworm) or later"

apt_install() {
  local log
  log=$(mktemp)
  apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "$@" >"$log" 2>&1 \
    || fail "apt-get install $* failed: $(grep -E '^E:' "$log" | tail -1)"
  rm -f "$log"
}

# The deb.debian.org-style mirror apt already uses for the main archive (not -security).
mirror() {
  local uri
  uri=$(grep -hsE '^[[:space:]]*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null \
          | awk '{print $2}' | grep -v -- '-security' | grep -E '/debian/?$' | head -1 || true)
  if [[ -z $uri ]]; then
    uri=$(grep -hsE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
            | sed -E 's/\[[^]]*\]//' | awk '{print $2}' | grep -v -- '-security' | grep -E '/debian/?$' | head -1 || true)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

mkdir -p "$dist"
if ((release >= 13)); then
  apt-get -o DPkg::Lock::Timeout=900 update -qq >/dev/null || fail "apt-get update failed"
  apt_install python3-moto "${deps[@]}"
  : >"$dist/pythonpath"
else
  # Nothing but python3-moto comes from trixie: priority 50 is below the 100 of installed
  # packages and the 500 of bookworm, so apt never upgrades or installs from it by itself.
  src=/etc/apt/sources.list.d/hybrid-moto-trixie.sources
  cat >"$src" <<EOF
Types: deb
URIs: $(mirror)
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat >/etc/apt/preferences.d/hybrid-moto-trixie <<'EOF'
Package: *
Pin: release n=trixie
Pin-Priority: 50
EOF
  apt-get -o DPkg::Lock::Timeout=900 update -qq >/dev/null || fail "apt-get update failed (with the trixie entry $src)"
  apt_install "${deps[@]}"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download -qq python3-moto/trixie >/dev/null 2>&1) \
    || fail "apt-get download python3-moto/trixie failed (is trixie reachable on $(mirror)?)"
  rm -rf "$dist/usr"
  dpkg-deb -x "$work"/python3-moto_*.deb "$dist" || fail "dpkg-deb -x of $(ls "$work") failed"
  echo "usr/lib/python3/dist-packages" >"$dist/pythonpath"
fi

works || fail "moto does not import with $python (PYTHONPATH=$(pythonpath)): $(PYTHONPATH=$(pythonpath) "$python" -c 'import moto.server, flask_cors' 2>&1 | tail -1)"
echo "moto install: moto $(PYTHONPATH=$(pythonpath) "$python" -c 'import moto; print(moto.__version__)') and $(/usr/bin/aws --version 2>&1 | cut -d' ' -f1) ready (Debian $release)"
