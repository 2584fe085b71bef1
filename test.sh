#!/usr/bin/env bash
# Runs every test of nsroot: unit tests and integration tests against a real registry and real
# namespaces. Installs what the tests need where it can; otherwise says exactly what to run.
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: a real registry, the peer tools that judge our output, a static
# busybox for test rootfs, a C compiler and static libc for the helper.
packages=(maven openjdk-17-jdk-headless gcc libc6-dev docker-registry skopeo umoci busybox-static
          bubblewrap uidmap util-linux iproute2 procps apache2-utils openssl)
test_user=nsroot-test

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "$(id -u)" = 0 ]; then
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The integration tests also run nsroot as an ordinary user; create one without a usable home
  # so that nothing can depend on root's home, caches or privileges.
  if ! id "$test_user" >/dev/null 2>&1; then
    useradd --system --create-home --home-dir "/var/lib/$test_user" --shell /usr/sbin/nologin "$test_user"
  fi
  # The Debian package starts a registry on :5000 that the tests do not need.
  if command -v systemctl >/dev/null && systemctl is-active --quiet docker-registry 2>/dev/null; then
    systemctl stop docker-registry || true
  fi
else
  if [ ${#missing[@]} -gt 0 ]; then
    echo "test.sh: missing packages; as root run:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

exec mvn -B verify "$@"
