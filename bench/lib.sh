# Shared helpers of the benchmarks: a local registry and a test image, medians and ratios.
# Sourced by bench/*.sh; needs docker-registry, skopeo and umoci (Debian packages).

bench_dir=${BENCH_DIR:-${TMPDIR:-/tmp}/nsroot-bench}
mkdir -p "$bench_dir"

need() {
  for c in "$@"; do
    command -v "$c" >/dev/null || { echo "bench: needs $c (apt-get install ${c/docker-registry/docker-registry})" >&2; exit 1; }
  done
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo 5123
import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])
PY
}

# start_registry: starts docker-registry on a free loopback port; sets $registry (host:port).
start_registry() {
  local port; port=$(free_port)
  cat >"$bench_dir/registry.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage: {filesystem: {rootdirectory: $bench_dir/registry-data}}
http: {addr: 127.0.0.1:$port}
YML
  docker-registry serve "$bench_dir/registry.yml" >"$bench_dir/registry.log" 2>&1 &
  registry_pid=$!
  trap 'kill $registry_pid 2>/dev/null' EXIT
  registry=127.0.0.1:$port
  for _ in $(seq 100); do (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null && return; sleep 0.1; done
  echo "bench: the registry did not start" >&2; exit 1
}

# make_image NAME LAYERS MB_PER_LAYER: an OCI layout image, built once and cached in $bench_dir.
# Each layer is a GNU tar (umoci insert writes truncated tars) of one part random data (does not
# compress) and many small text files (compress well), as real tool images are.
make_image() {
  local name=$1 layers=$2 mb=$3 layout="$bench_dir/layout-$1"
  [ -f "$layout/.complete" ] && return
  rm -rf "$layout"
  umoci init --layout "$layout" >/dev/null
  umoci new --image "$layout:$name" >/dev/null
  local i f d
  for i in $(seq "$layers"); do
    d="$bench_dir/layer-$i"
    rm -rf "$d"; mkdir -p "$d/opt/data$i/text"
    head -c $((mb * 512 * 1024)) /dev/urandom > "$d/opt/data$i/blob.bin"
    for f in $(seq 2000); do
      { yes "line $f of layer $i: text that compresses like program code and data" || :; } \
        | head -c $((mb * 512 * 1024 / 2000)) > "$d/opt/data$i/text/file-$f.txt"
    done
    tar -C "$d" -cf "$d.tar" .
    umoci raw add-layer --image "$layout:$name" "$d.tar" >/dev/null
    rm -rf "$d" "$d.tar"
  done
  umoci config --image "$layout:$name" --config.cmd /bin/sh >/dev/null
  touch "$layout/.complete"
}

push_image() {
  skopeo copy -q --dest-tls-verify=false "oci:$bench_dir/layout-$1:$1" "docker://$registry/bench/$1:1" >/dev/null
}

# timed VAR CMD...: runs CMD, appends its wall time in ms to the array VAR.
timed() {
  local var=$1; shift
  local t0 t1; t0=$(now_ms); "$@" >/dev/null; t1=$(now_ms)
  eval "$var+=($((t1 - t0)))"
}

# now_ms: wall clock in milliseconds.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median N...: the median of its arguments.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
