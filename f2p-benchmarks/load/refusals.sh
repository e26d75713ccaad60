#!/usr/bin/env bash
# Load figures of the HTTP service (dev.f2p.examples.service.GuardService), not a test: run by hand, on a
# machine as quiet as you can get, from the repository root:
#   f2p-benchmarks/load/refusals.sh [seconds per run, default 10] [flood seconds, default 60]
# Needs Debian's `hey` (apt-get install hey) and curl. Prints requests/s, p50 and p99 per run.
#
# 1. Refusals with `hey -c 10 -z 10s`, each against a fresh server:
#    - nginx-401:     scale: Debian's nginx answering a static 401 (when nginx is installed)
#    - recipe:        the Python recipe's bad-key path (recipe.py: FastAPI, one uvicorn worker; when installed)
#    - bare-mvc:      the baseline, a bare Spring MVC endpoint on the same Boot and Tomcat answering a fixed 401
#                     (Boot's defaults: the multipart body is parsed before the controller runs)
#    - bad-key:       an unknown key, refused by the guard on the headers (401)
#    - rate-limited:  a valid key over its 10/minute, refused by the guard on the headers (429)
#    each without a body, and with a 1 KiB multipart body (which the guard never reads: it closes the connection).
#    Lockout and the credential-stuffing rule are off for these runs, so every bad key is hashed and looked up
#    (the path a first-time attacker takes; a locked-out address is refused even earlier).
# 2. A flood: -Xmx256m, 100 connections for 60 s (two halves) of valid edits with a real face (600/minute for
#    the key, so 200, 429 and 503 all occur); the status counts, and the heap after a full GC: idle, after each half.
set -euo pipefail
cd "$(dirname "$0")/../.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
seconds=${1:-10}
flood_seconds=${2:-60}
command -v hey >/dev/null || { echo "hey is not installed (apt-get install hey)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

echo "building f2p-examples and its class path ..." >&2
./mvnw -B -q -o -pl f2p-examples -am package dependency:build-classpath -DskipTests -Djacoco.skip=true \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
cp="f2p-examples/target/classes:f2p-examples/target/test-classes:$(cat "$work/cp.txt")"

java -cp "$cp" dev.f2p.examples.keys.KeysCommand issue --file "$work/keys.properties" --principal load \
  --roles USER 2>/dev/null >"$work/user.key"
user_key=$(cat "$work/user.key")
bad_key="f2p_live_AAAAAAAAAAAA_$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)"

# A 1 KiB multipart body, and the real edit the flood sends.
boundary=f2p-load-boundary
{ printf -- '--%s\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n' "$boundary"
  head -c 1024 /dev/zero | tr '\0' 'a'
  printf -- '\r\n--%s--\r\n' "$boundary"; } >"$work/small.form"
{ printf -- '--%s\r\nContent-Disposition: form-data; name="image"; filename="f.png"\r\nContent-Type: image/png\r\n\r\n' "$boundary"
  cat ../shared/images/faces/astronaut-face.png
  for f in prompt:"a portrait in warm light" width:256 height:256 steps:4; do
    printf -- '\r\n--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s' "$boundary" "${f%%:*}" "${f#*:}"
  done
  printf -- '\r\n--%s--\r\n' "$boundary"; } >"$work/face.form"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME JAVA_OPTS MAIN ARGS...: starts a service on a free port and waits for it; sets $port and $pid.
start() {
  local name=$1 opts=$2 main=$3; shift 3
  port=$(free_port)
  # shellcheck disable=SC2086
  F2P_WATERMARK_KEY=load-test-watermark-key-32-bytes java $opts -cp "$cp" "$main" --server.port="$port" \
    --logging.level.root=WARN --logging.level.f2p.security=OFF "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  ready || { cat "$work/$name.log" >&2; exit 1; }
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
# ready: waits until the server on $port answers (a run against a server still starting counts refused connections).
ready() {
  for _ in $(seq 1 240); do
    curl -s -o /dev/null -X POST "http://127.0.0.1:$port/generate" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "the server on $port exited" >&2; return 1; }
    sleep 0.5
  done
  echo "nothing answers on $port" >&2; return 1
}

guard_args=(--f2p.authenticator.file="$work/keys.properties" --f2p-service.incident-journal="$work/incidents.journal"
  --f2p.authenticator.lockout.threshold=1000000 --f2p-service.default-rules=false --f2p-service.containment-rules=
  --f2p.rate-limiter.address=none)

# statuses OUT: "status count" lines of hey's status code distribution (not its error distribution).
statuses() { awk '/Status code distribution/ {on=1; next} /^$|distribution/ {on=0} on && /\[[0-9]+\]/ {gsub(/[\[\]]/,"",$1); print $1, $2}' "$1"; }

# report NAME OUT: one line from hey's output.
report() {
  local rps p50 p99 codes
  rps=$(awk '/Requests\/sec/ {print $2}' "$2")
  p50=$(awk '/ 50% in/ {print $3*1000}' "$2")
  p99=$(awk '/ 99% in/ {print $3*1000}' "$2")
  codes=$(statuses "$2" | awk '{printf "%s:%s ", $1, $2}')
  errors=$(awk '/Error distribution/ {on=1; next} on && /\[[0-9]+\]/ {gsub(/[\[\]]/,"",$1); n+=$1} END {print n+0}' "$2")
  ((errors == 0)) || codes+="client errors:$errors (counted in req/s by hey)"
  printf '%-28s %10.0f req/s   p50 %6.2f ms   p99 %6.2f ms   %s\n' "$1" "$rps" "$p50" "$p99" "$codes"
}

# run NAME KEY [BODY]: hey -c 10 for $seconds against /generate.
run() {
  local name=$1 key=$2 body=${3:-}
  local args=(-c 10 -z "${seconds}s" -m POST -H "X-API-Key: $key")
  [[ -n $body ]] && args+=(-D "$body" -T "multipart/form-data; boundary=$boundary")
  hey "${args[@]}" -z 2s "http://127.0.0.1:$port/generate" >/dev/null  # warm-up
  hey "${args[@]}" "http://127.0.0.1:$port/generate" >"$work/$name.out"
  report "$name" "$work/$name.out"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
nginx_bin=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [[ -n $nginx_bin ]]; then
  port=$(free_port)
  mkdir -p "$work/nginx" && chmod 755 "$work" "$work/nginx"
  [[ $(id -u) -eq 0 ]] && user_line="user nobody nogroup;" || user_line=""
  cat >"$work/nginx/nginx.conf" <<CONF
$user_line
daemon off; worker_processes 1; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:$port; location / { default_type application/problem+json;
    return 401 '{"status":401,"code":"UNAUTHENTICATED"}'; } } }
CONF
  "$nginx_bin" -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
  pid=$!; pids+=("$pid"); ready || exit 1
  run "nginx-401, no body" "$bad_key"
  stop
fi
py=/usr/bin/python3  # Debian's, where python3-fastapi, -uvicorn and -multipart install
if "$py" -c 'import fastapi, uvicorn, multipart' 2>/dev/null; then
  port=$(free_port)
  "$py" -m uvicorn --app-dir f2p-benchmarks/load recipe:app --port "$port" --workers 1 --log-level warning \
    >"$work/recipe.log" 2>&1 &
  pid=$!; pids+=("$pid"); ready || exit 1
  run "recipe bad-key, no body" "$bad_key"
  run "recipe bad-key, 1 KiB body" "$bad_key" "$work/small.form"
  stop
fi
start bare-mvc "" dev.f2p.examples.baseline.BareMvcBaseline --spring.servlet.multipart.resolve-lazily=false \
  --management.endpoint.health.group.readiness.include=readinessState
hey -c 10 -z "${seconds}s" -m POST "http://127.0.0.1:$port/generate" >/dev/null  # the same warm-up
run "bare-mvc, no body" "$bad_key"
run "bare-mvc, 1 KiB body" "$bad_key" "$work/small.form"
stop
start guard "" dev.f2p.examples.service.GuardService "${guard_args[@]}"
# Both paths warmed up together first, so neither is measured while the JIT is still compiling the other.
hey -c 10 -z "${seconds}s" -m POST -H "X-API-Key: $bad_key" "http://127.0.0.1:$port/generate" >/dev/null &
warm=$!
hey -c 10 -z "${seconds}s" -m POST -H "X-API-Key: $user_key" "http://127.0.0.1:$port/generate" >/dev/null
wait "$warm"
run "bad-key, no body" "$bad_key"
run "bad-key, 1 KiB body" "$bad_key" "$work/small.form"
run "rate-limited, no body" "$user_key"
run "rate-limited, 1 KiB body" "$user_key" "$work/small.form"
stop
echo "load average after refusals: $(cut -d' ' -f1-3 /proc/loadavg)"

heap_used() {  # used heap in KiB after a full GC
  jcmd "$1" GC.run >/dev/null
  sleep 1
  jcmd "$1" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {print $(i+1); exit}}'
}
start flood "-Xmx256m" dev.f2p.examples.service.GuardService "${guard_args[@]}" --f2p.rate-limiter.limits.default=600/minute
idle=$(heap_used "$pid")
# Two halves, the heap after a full GC after each: back near idle and no higher after the second than after
# the first means nothing accumulates. -t 60: an admitted edit may queue 10 s and run 30 s under the guard.
half=$((flood_seconds / 2))
for i in 1 2; do
  hey -c 100 -z "${half}s" -t 60 -m POST -H "X-API-Key: $user_key" -D "$work/face.form" \
    -T "multipart/form-data; boundary=$boundary" "http://127.0.0.1:$port/generate" >"$work/flood$i.out"
  report "flood $i/2, 100 connections" "$work/flood$i.out"
  kill -0 "$pid" || { echo "the service died during the flood" >&2; exit 1; }
  heap[$i]=$(heap_used "$pid")
  awk '/Error distribution/,0' "$work/flood$i.out"
done
health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")
echo "after the flood: /health $health; heap used after a full GC: idle $idle, after half 1 ${heap[1]}, after half 2 ${heap[2]}"
bad=$(cat "$work/flood1.out" "$work/flood2.out" | statuses /dev/stdin | awk '$1!=200 && $1!=429 && $1!=503 {print $1}')
[[ -z $bad ]] || { echo "statuses other than 200/429/503: $bad" >&2; exit 1; }
stop
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
