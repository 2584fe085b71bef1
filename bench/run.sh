#!/usr/bin/env bash
# Start-up benchmark of a run: nsroot-exec against bwrap (Debian's bubblewrap), both starting
# /bin/true in the same busybox rootfs with the same namespaces (user, mount, pid, ipc, uts, net),
# a fresh /proc, a minimal /dev, a read-only /sys, a new session, nested user namespaces denied.
# Rounds alternate the order of the two; each round is one hyperfine run of both; the result is the
# median of the rounds' medians, and the ratio.
#   bench/run.sh [ROUNDS] [RUNS_PER_ROUND]     (default 10 rounds of 100 runs)
# Targets: nsroot-exec within 1.5x of bwrap; `nsroot run` under half of `podman run --rootfs`.
# Run it as an ordinary user (the main case) or as root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need hyperfine bwrap busybox cc
rounds=${1:-10}
runs=${2:-100}
work="$bench_dir/run"
rm -rf "$work"
mkdir -p "$work"

# The helper as Maven builds it, else built here from the source (no Maven needed).
helper="$here/../runtime/target/classes/org/nsroot/runtime/nsroot-exec"
if [ ! -x "$helper" ]; then
  sh "$here/../runtime/src/main/c/build.sh" "$work/bin" bench >/dev/null
  helper="$work/bin/nsroot-exec"
fi

# A busybox rootfs with the directories a run mounts on, as the rootfs-builder leaves them.
rootfs="$work/rootfs"
mkdir -p "$rootfs"/{bin,proc,dev,sys,tmp,etc}
cp "$(command -v busybox)" "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/true"
ln -s busybox "$rootfs/bin/sh"

nsroot_cmd="$helper -r -n -i $rootfs /bin/true"
bwrap_cmd="bwrap --unshare-user --unshare-pid --unshare-ipc --unshare-uts --unshare-net --disable-userns \
--new-session --die-with-parent --ro-bind $rootfs / --proc /proc --dev /dev --ro-bind /sys /sys /bin/true"
# Both must work before they are timed.
$nsroot_cmd
$bwrap_cmd

# compare LABEL NAME_A CMD_A NAME_B CMD_B [TARGET]: alternating rounds, medians in ms, ratio A/B.
compare() {
  local label=$1 name_a=$2 cmd_a=$3 name_b=$4 cmd_b=$5 target=${6:-}
  local a=() b=() csv="$work/round.csv"
  for r in $(seq "$rounds"); do
    if [ $((r % 2)) = 1 ]; then
      hyperfine -N --style none --warmup 5 --runs "$runs" --export-csv "$csv" \
        -n "$name_a" "$cmd_a" -n "$name_b" "$cmd_b" >/dev/null 2>>"$work/hyperfine.log"
    else
      hyperfine -N --style none --warmup 5 --runs "$runs" --export-csv "$csv" \
        -n "$name_b" "$cmd_b" -n "$name_a" "$cmd_a" >/dev/null 2>>"$work/hyperfine.log"
    fi
    # CSV: command,mean,stddev,median,user,system,min,max (seconds)
    a+=("$(awk -F, -v n="$name_a" '$1 == n {printf "%.3f", $4 * 1000}' "$csv")")
    b+=("$(awk -F, -v n="$name_b" '$1 == n {printf "%.3f", $4 * 1000}' "$csv")")
    echo "round $r: $name_a ${a[-1]} ms, $name_b ${b[-1]} ms" >&2
  done
  local ma mb
  ma=$(median "${a[@]}"); mb=$(median "${b[@]}")
  echo "$label, $rounds rounds of $runs runs, as uid $(id -u)"
  printf '%-14s median %s ms\n' "$name_a:" "$ma" "$name_b:" "$mb"
  echo "ratio $name_a/$name_b: $(ratio "$ma" "$mb")${target:+  (target: $target)}"
}

compare "helper start-up: /bin/true in a busybox rootfs" nsroot-exec "$nsroot_cmd" bwrap "$bwrap_cmd" "at most 1.50"

# The CLI: `nsroot run` of the same rootfs, imported as an image, against podman with the same
# rootfs (Debian's podman; the issue's yardstick) and bwrap. Fewer runs: each takes a JVM.
compare_cli() {
  command -v podman >/dev/null || { echo "bench: podman missing (apt-get install podman); CLI comparison skipped" >&2; return; }
  local store="$work/store" cli_runs=$(( runs / 5 > 10 ? runs / 5 : 10 ))
  NSROOT_HOME="$store" "$here/../nsroot" --version >/dev/null   # builds nsroot if needed
  tar -C "$rootfs" -cf - . | NSROOT_HOME="$store" "$here/../nsroot" import - --name localhost/bench/busybox:1 >/dev/null
  # Exported rather than set with env(1), which would add a process to nsroot's side only.
  export NSROOT_HOME=$store NSROOT_NO_BUILD=1
  local nsroot_run="$here/../nsroot run --pull=never -q localhost/bench/busybox:1 /bin/true"
  # crun refuses hybrid cgroup hierarchies, and as root without CAP_SYS_RESOURCE both runtimes
  # fail on rlimits: take the first podman that works here (apt-get install runc for the second).
  local podman_run="" p
  for p in "podman run" "podman --runtime runc run" "podman run --ulimit host" "podman --runtime runc run --ulimit host"; do
    if $p --rm --network=none --rootfs "$rootfs" /bin/true >/dev/null 2>&1; then
      podman_run="$p --rm --network=none --rootfs $rootfs /bin/true"; break
    fi
  done
  [ -n "$podman_run" ] || { echo "bench: podman cannot run containers here; CLI comparison with podman skipped" >&2; }
  $nsroot_run
  [ -z "$podman_run" ] || runs=$cli_runs compare "CLI start-up: nsroot run against $podman_run" "nsroot run" "$nsroot_run" podman "$podman_run" "under 0.50"
  runs=$cli_runs compare "CLI start-up: nsroot run against bwrap" "nsroot run" "$nsroot_run" bwrap "$bwrap_cmd"
}
compare_cli
