#!/bin/sh
# Builds the nsroot-exec helper into OUTDIR (the Maven build calls this in generate-resources, so
# the binary lands in target/classes and ships inside the jar). Given JAVADIR, it also writes the
# binary's sha256 there as a Java constant: reading it as a resource instead would open the jar, 8
# ms of every `nsroot run`.
# Static, so the jar's helper also runs on machines with another libc; static-pie where the
# toolchain has it, for address-space randomisation.
set -eu
out=${1:?usage: build.sh OUTDIR [VERSION [JAVADIR]]}
version=${2:-dev}
java_dir=${3:-}
src=$(dirname "$0")/nsroot-exec.c
cc=${CC:-cc}
mkdir -p "$out"
flags="-std=c11 -O2 -Wall -Wextra -Werror -fstack-protector-strong -D_FORTIFY_SOURCE=2 -DNSROOT_VERSION=\"$version\""
tmp="$out/.nsroot-exec.$$"
trap 'rm -f "$tmp"' EXIT
# shellcheck disable=SC2086
if ! $cc $flags -static-pie -o "$tmp" "$src" 2>/dev/null; then
  # shellcheck disable=SC2086
  $cc $flags -static -o "$tmp" "$src"
fi
strip "$tmp" 2>/dev/null || true
chmod 0555 "$tmp"
mv -f "$tmp" "$out/nsroot-exec"
if [ -n "$java_dir" ]; then
  sha=$(sha256sum "$out/nsroot-exec" | cut -d' ' -f1)
  mkdir -p "$java_dir/org/nsroot/runtime/helper"
  cat > "$java_dir/org/nsroot/runtime/helper/HelperDigest.java" <<EOF
package org.nsroot.runtime.helper;

/** Written by runtime/src/main/c/build.sh: the sha256 of the nsroot-exec that ships in this jar. */
final class HelperDigest {
  static final String SHA256 = "$sha";

  private HelperDigest() {}
}
EOF
fi
