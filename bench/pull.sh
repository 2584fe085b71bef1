#!/usr/bin/env bash
# Pull benchmark: nsroot pull against skopeo copy (Debian's skopeo), the same multi-layer image from
# a local registry, a cold store each time, alternating in one run. Prints both medians and the ratio.
#   bench/pull.sh [RUNS]    (default 5; image: 5 layers of 60 MiB, built once into $BENCH_DIR)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"
need docker-registry skopeo umoci
runs=${1:-5}

"$here/../nsroot" --version >/dev/null   # builds nsroot if needed, outside the timings
start_registry
make_image big 5 60
push_image big
ref=$registry/bench/big:1

nsroot_ms=(); skopeo_ms=()
for i in $(seq "$runs"); do
  rm -rf "$bench_dir/store" "$bench_dir/skopeo-out"
  t0=$(now_ms); NSROOT_HOME="$bench_dir/store" "$here/../nsroot" pull -q "$ref" >/dev/null; t1=$(now_ms)
  nsroot_ms+=($((t1 - t0)))
  t0=$(now_ms); skopeo copy -q --src-tls-verify=false "docker://$ref" "oci:$bench_dir/skopeo-out:big" >/dev/null; t1=$(now_ms)
  skopeo_ms+=($((t1 - t0)))
  echo "run $i: nsroot ${nsroot_ms[-1]} ms, skopeo ${skopeo_ms[-1]} ms" >&2
done
size=$(du -sm "$bench_dir/skopeo-out" | cut -f1)
n=$(median "${nsroot_ms[@]}"); s=$(median "${skopeo_ms[@]}")
echo "pull of $size MiB in 5 layers, $runs runs, cold store each"
echo "nsroot pull:  median $n ms"
echo "skopeo copy:  median $s ms"
echo "ratio nsroot/skopeo: $(ratio "$n" "$s")  (below 1.00: nsroot is faster)"
