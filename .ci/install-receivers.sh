#!/usr/bin/env bash
# Installs the real receivers the interop tests start on loopback (Debian 12):
#   rsyslog (imtcp, mmnormalize) + rsyslog-gnutls, liblognorm-utils (lognormalizer) through apt;
#   syslog-ng-core unpacked into $SIEMKIT_RECEIVERS/syslog-ng, because it conflicts with rsyslog in apt
#   (both provide system-log-daemon). Its shared-library deps do not conflict and come from apt.
# Idempotent and quiet; no system daemon is left running (the tests start their own instances).
set -euo pipefail

ROOT="${SIEMKIT_RECEIVERS:-/opt/siemkit-receivers}"
SNG_DIR="$ROOT/syslog-ng"
APT_PACKAGES=(rsyslog rsyslog-gnutls liblognorm-utils
  libivykis0 libnet1 libwrap0 libpcre3 libglib2.0-0 libjson-c5 libcap2 libssl3 libsystemd0)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  # policy-rc.d exit 101 keeps apt from starting rsyslog; put back whatever was there before.
  policy=/usr/sbin/policy-rc.d
  backup=''
  if [ -e "$policy" ]; then backup="$(mktemp)"; "${SUDO[@]}" cp -p "$policy" "$backup"; fi
  restore_policy() {
    if [ -n "$backup" ]; then "${SUDO[@]}" mv "$backup" "$policy"; else "${SUDO[@]}" rm -f "$policy"; fi
  }
  trap restore_policy EXIT
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$policy" >/dev/null
  "${SUDO[@]}" chmod 755 "$policy"

  export DEBIAN_FRONTEND=noninteractive
  # Refresh the lists only when needed: a fresh CI machine may have none.
  if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq >/dev/null
    "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  restore_policy
  trap - EXIT
fi

# In containers without systemd the unit may still have been started by a postinst script.
if command -v systemctl >/dev/null && systemctl is-active --quiet rsyslog 2>/dev/null; then
  "${SUDO[@]}" systemctl stop rsyslog syslog.socket >/dev/null 2>&1 || true
  "${SUDO[@]}" systemctl disable rsyslog >/dev/null 2>&1 || true
fi

if [ ! -x "$SNG_DIR/usr/sbin/syslog-ng" ]; then
  work="$(mktemp -d)"
  chmod 755 "$work" # apt's _apt user downloads into it
  (cd "$work" && "${SUDO[@]}" apt-get download -qq syslog-ng-core >/dev/null 2>&1) || {
    "${SUDO[@]}" apt-get update -qq >/dev/null
    (cd "$work" && "${SUDO[@]}" apt-get download -qq syslog-ng-core >/dev/null 2>&1)
  }
  "${SUDO[@]}" mkdir -p "$SNG_DIR"
  "${SUDO[@]}" dpkg -x "$work"/syslog-ng-core_*.deb "$SNG_DIR"
  "${SUDO[@]}" rm -rf "$work"
fi

# Smoke check: each binary runs (syslog-ng with its own libraries and modules).
rsyslogd -v >/dev/null
lognormalizer -V >/dev/null 2>&1 || command -v lognormalizer >/dev/null
LD_LIBRARY_PATH="$SNG_DIR/usr/lib/syslog-ng" "$SNG_DIR/usr/sbin/syslog-ng" --version >/dev/null
