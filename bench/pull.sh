#!/usr/bin/env bash
# Pull benchmarks against the peers Debian packages, from a local registry, a cold store each time,
# alternating in one run; prints medians, ratios and nsroot's peak memory.
#   pull:              nsroot pull --no-rootfs   vs  skopeo copy docker://… oci:…
#   pull and flatten:  nsroot pull               vs  skopeo copy … && umoci unpack --rootless
# Usage: bench/pull.sh [RUNS] (default 5). The image (5 layers of 80 MiB, 10,000 files) is built
# once into $BENCH_DIR (default /tmp/nsroot-bench).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need docker-registry skopeo umoci
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
runs=${1:-5}
nsroot="$here/../nsroot"

"$nsroot" --version >/dev/null   # builds nsroot if needed, outside the timings
export NSROOT_NO_BUILD=1         # and no look for changed sources inside them (a developer checkout's cost)
start_registry
make_image big 5 80
push_image big
ref=$registry/bench/big:1
work="$bench_dir/work"

cold() { rm -rf "$work"; mkdir -p "$work"; sync; }
compressed=$(du -sm "$bench_dir/layout-big/blobs" | cut -f1)   # the pushed image's own layout
nsroot_pull() { NSROOT_HOME="$work/store" "$nsroot" pull -q --no-rootfs "$ref"; }
skopeo_pull() { skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$work/layout:big"; }
nsroot_flat() { NSROOT_HOME="$work/store" /usr/bin/time -f %M -o "$work/.rss" "$nsroot" pull -q "$ref"; cat "$work/.rss" >> "$bench_dir/rss"; }
peers_flat() { skopeo_pull && umoci unpack --rootless --image "$work/layout:big" "$work/bundle"; }

np=(); sp=(); nf=(); pf=(); : > "$bench_dir/rss"
for i in $(seq "$runs"); do
  # Alternate which tool goes first, so neither always meets a warm page cache.
  if [ $((i % 2)) = 1 ]; then
    cold; timed np nsroot_pull; cold; timed sp skopeo_pull
    cold; timed nf nsroot_flat; cold; timed pf peers_flat
  else
    cold; timed sp skopeo_pull; cold; timed np nsroot_pull
    cold; timed pf peers_flat; cold; timed nf nsroot_flat
  fi
  echo "run $i: pull nsroot ${np[-1]} ms, skopeo ${sp[-1]} ms; pull+flatten nsroot ${nf[-1]} ms, skopeo+umoci ${pf[-1]} ms" >&2
done
cold
a=$(median "${np[@]}"); b=$(median "${sp[@]}"); c=$(median "${nf[@]}"); d=$(median "${pf[@]}")
rss=$(median $(cat "$bench_dir/rss"))
echo "image: 5 layers, ${compressed} MiB compressed; $runs runs each, cold store, alternating"
echo "pull:            nsroot $a ms, skopeo copy $b ms, ratio $(ratio "$a" "$b")"
echo "pull + flatten:  nsroot $c ms, skopeo copy + umoci unpack $d ms, ratio $(ratio "$c" "$d")"
echo "nsroot peak memory (pull + flatten): $((rss / 1024)) MiB"
