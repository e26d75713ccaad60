#!/usr/bin/env bash
# Load figures of the HTTP service (dev.f2p.examples.service.GuardService), not a test: run by hand, on a
# machine as quiet as you can get, from the repository root:
#   f2p-benchmarks/load/refusals.sh [seconds per run, default 10] [flood seconds, default 60] [warm-up seconds, default 10]
# PARTS=refusals or PARTS=flood runs one part only (default: both); F2P_CP_FILE=FILE skips the build and uses
# FILE's class path (mvn dependency:build-classpath of f2p-examples, test scope) with f2p-examples/target. Needs Debian's `hey` (apt-get install hey)
# and curl; nginx and python3-fastapi/-uvicorn/-multipart for the same-run baselines. Prints requests/s, p50 and
# p99 per run, then a summary with each refusal path's ratios to the Python recipe and to nginx of this run.
#
# 1. Refusals with `hey -c 10 -z 10s`, each server started once, verified ready (it answers with the status
#    the run expects three times in a row), then warmed up on each path (JIT) before that path is measured:
#    - nginx-401:     scale: Debian's nginx answering a static 401 (when nginx is installed)
#    - recipe:        the Python recipe (recipe.py: FastAPI, one uvicorn worker, slowapi's 10/minute emulated):
#                     its bad-key (401) and rate-limited (429) paths (when installed)
#    - bare-mvc:      a bare Spring MVC endpoint on the same Boot and Tomcat answering a fixed 401
#                     (Boot's defaults: the multipart body is parsed before the controller runs)
#    - bad-key:       an unknown key, refused by the guard on the headers (401)
#    - rate-limited:  a valid key over its 10/minute, refused by the guard on the headers (429)
#    each without a body, and with a 1 KiB multipart body (which the guard never reads: it closes the connection).
#    Lockout and the credential-stuffing rule are off for these runs, so every bad key is hashed and looked up
#    (the path a first-time attacker takes; a locked-out address is refused even earlier).
#    A run is marked "not valid" when any request failed on the client's side or got a status the path does
#    not answer with; its figures are then not used in the summary.
# 2. A flood: -Xmx256m, 100 connections for 60 s (two halves) of valid edits with a real face (600/minute for
#    the key, so 200, 429 and 503 all occur); the status counts, and the used heap after a full GC: idle, then
#    after each half. PASS when the service stays up and healthy, answers only 200/429/503, and the heap after
#    each half is within HEAP_TOLERANCE_MIB (default 8) of its idle size; FAIL otherwise (exit status 1).
set -euo pipefail
cd "$(dirname "$0")/../.."
export OPT_OUT_TRACKING=true DJL_OFFLINE=true
seconds=${1:-10}
flood_seconds=${2:-60}
warm_seconds=${3:-10}
parts=${PARTS:-refusals,flood}
tolerance_mib=${HEAP_TOLERANCE_MIB:-8}
command -v hey >/dev/null || { echo "hey is not installed (apt-get install hey)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

if [[ -n ${F2P_CP_FILE:-} ]]; then  # the class path of an f2p-examples already built (test scope), to run again
  cp -- "$F2P_CP_FILE" "$work/cp.txt"
else
  echo "building f2p-examples and its class path ..." >&2
  ./mvnw -B -q -o -pl f2p-examples -am package dependency:build-classpath -DskipTests -Djacoco.skip=true \
    -Df2p.api.skip=true -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test >/dev/null
fi
cp="f2p-examples/target/classes:f2p-examples/target/test-classes:$(cat "$work/cp.txt")"

java -cp "$cp" dev.f2p.examples.keys.KeysCommand issue --file "$work/keys.properties" --principal load \
  --roles USER 2>/dev/null >"$work/user.key"
user_key=$(cat "$work/user.key")
bad_key="f2p_live_AAAAAAAAAAAA_$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 43)"
recipe_key=f2p_live_recipe_only_key  # recipe.py's only valid key

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

# start NAME JAVA_OPTS MAIN ARGS...: starts a service on a free port; sets $port and $pid (not yet ready).
start() {
  local name=$1 opts=$2 main=$3; shift 3
  port=$(free_port)
  # shellcheck disable=SC2086
  F2P_WATERMARK_KEY=load-test-watermark-key-32-bytes java $opts -cp "$cp" "$main" --server.port="$port" \
    --logging.level.root=WARN --logging.level.f2p.security=OFF "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
# ready KEY STATUS: waits until the server on $port answers a POST /generate with KEY by STATUS three times in a
# row (a run against a server still starting counts refused connections, or a framework's first slow answers).
ready() {
  local key=$1 want=$2 got in_row=0
  for _ in $(seq 1 480); do
    got=$(curl -s -o /dev/null -m 5 -w '%{http_code}' -X POST -H "X-API-Key: $key" "http://127.0.0.1:$port/generate" || true)
    if [[ $got == "$want" ]]; then
      in_row=$((in_row + 1)); ((in_row < 3)) || return 0
      continue
    fi
    in_row=0
    kill -0 "$pid" 2>/dev/null || { echo "the server on $port exited" >&2; return 1; }
    sleep 0.25
  done
  echo "the server on $port never answered $want (last: $got)" >&2; return 1
}

# statuses OUT: "status count" lines of hey's status code distribution (not its error distribution).
statuses() { awk '/Status code distribution/ {on=1; next} /^$|distribution/ {on=0} on && /\[[0-9]+\]/ {gsub(/[\[\]]/,"",$1); print $1, $2}' "$1"; }

declare -A rps p50 p99
# report NAME OUT EXPECTED: one line from hey's output; records the figures of a valid run under NAME.
report() {
  local name=$1 out=$2 expected=$3 r a b codes errors unexpected
  r=$(awk '/Requests\/sec/ {print $2}' "$out")
  a=$(awk '/ 50% in/ {print $3*1000}' "$out")
  b=$(awk '/ 99% in/ {print $3*1000}' "$out")
  codes=$(statuses "$out" | awk '{printf "%s:%s ", $1, $2}')
  errors=$(awk '/Error distribution/ {on=1; next} on && /\[[0-9]+\]/ {gsub(/[\[\]]/,"",$1); n+=$1} END {print n+0}' "$out")
  unexpected=$(statuses "$out" | awk -v ok="$expected" 'BEGIN {split(ok, s, ","); for (i in s) want[s[i]]=1} !($1 in want) {print $1}')
  if ((errors > 0)) || [[ -n $unexpected ]]; then
    codes+="NOT VALID (client errors: $errors; unexpected statuses: ${unexpected:-none})"
  else
    rps[$name]=$r; p50[$name]=$a; p99[$name]=$b
  fi
  printf '%-30s %10.0f req/s   p50 %6.2f ms   p99 %6.2f ms   %s\n' "$name" "$r" "$a" "$b" "$codes"
}

# run NAME KEY EXPECTED [BODY]: warms up on exactly this path for $warm_seconds, then hey -c 10 for $seconds.
run() {
  local name=$1 key=$2 expected=$3 body=${4:-}
  local args=(-c 10 -m POST -H "X-API-Key: $key")
  [[ -n $body ]] && args+=(-D "$body" -T "multipart/form-data; boundary=$boundary")
  hey "${args[@]}" -z "${warm_seconds}s" "http://127.0.0.1:$port/generate" >/dev/null
  hey "${args[@]}" -z "${seconds}s" "http://127.0.0.1:$port/generate" >"$work/run.out"
  report "$name" "$work/run.out" "$expected"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs"
if [[ $parts == *refusals* ]]; then
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
    pid=$!; pids+=("$pid"); ready "$bad_key" 401
    run "nginx-401, no body" "$bad_key" 401
    stop
  fi
  py=/usr/bin/python3  # Debian's, where python3-fastapi, -uvicorn and -multipart install
  if "$py" -c 'import fastapi, uvicorn, multipart' 2>/dev/null; then
    port=$(free_port)
    "$py" -m uvicorn --app-dir f2p-benchmarks/load recipe:app --port "$port" --workers 1 --log-level warning \
      >"$work/recipe.log" 2>&1 &
    pid=$!; pids+=("$pid"); ready "$bad_key" 401
    run "recipe bad-key, no body" "$bad_key" 401
    run "recipe bad-key, 1 KiB body" "$bad_key" 401 "$work/small.form"
    # Its first ten requests in the window pass the limit (422 without a body: the image is missing).
    run "recipe rate-limited, no body" "$recipe_key" 429,422
    run "recipe rate-limited, 1 KiB body" "$recipe_key" 429,422 "$work/small.form"
    stop
  fi
  start bare-mvc "" dev.f2p.examples.baseline.BareMvcBaseline --spring.servlet.multipart.resolve-lazily=false \
    --management.endpoint.health.group.readiness.include=readinessState
  ready "$bad_key" 401
  run "bare-mvc, no body" "$bad_key" 401
  run "bare-mvc, 1 KiB body" "$bad_key" 401 "$work/small.form"
  stop
  guard_args=(--f2p.authenticator.file="$work/keys.properties" --f2p-service.incident-journal="$work/incidents.journal"
    --f2p.authenticator.lockout.threshold=1000000 --f2p-service.default-rules=false --f2p-service.containment-rules=
    --f2p.rate-limiter.address=none)
  start guard "" dev.f2p.examples.service.GuardService "${guard_args[@]}"
  ready "$bad_key" 401
  # Its first ten requests pass the limit (400 without a body: not a form).
  run "bad-key, no body" "$bad_key" 401
  run "bad-key, 1 KiB body" "$bad_key" 401 "$work/small.form"
  run "rate-limited, no body" "$user_key" 429,415,400
  run "rate-limited, 1 KiB body" "$user_key" 429,400 "$work/small.form"
  stop
  echo "load average after refusals: $(cut -d' ' -f1-3 /proc/loadavg)"

  ratio() { [[ -n ${1:-} && -n ${2:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1fx", a / b}' || printf 'n/a'; }
  echo
  echo "summary (same run; ratios: requests/s against the recipe's same path and nginx's static 401; p99 in ms)"
  printf '%-30s %10s %8s %8s %14s %10s\n' path req/s p50 p99 "x recipe" "x nginx"
  for path in "bad-key, no body" "bad-key, 1 KiB body" "rate-limited, no body" "rate-limited, 1 KiB body"; do
    base="recipe ${path}"
    printf '%-30s %10.0f %8.2f %8.2f %14s %10s\n' "$path" "${rps[$path]:-0}" "${p50[$path]:-0}" "${p99[$path]:-0}" \
      "$(ratio "${rps[$path]:-}" "${rps[$base]:-}")" "$(ratio "${rps[$path]:-}" "${rps["nginx-401, no body"]:-}")"
  done
  printf 'p99 against nginx p99 (%s ms): bad-key %s, rate-limited %s\n' "${p99["nginx-401, no body"]:-n/a}" \
    "$(ratio "${p99["bad-key, no body"]:-}" "${p99["nginx-401, no body"]:-}")" \
    "$(ratio "${p99["rate-limited, no body"]:-}" "${p99["nginx-401, no body"]:-}")"
fi

if [[ $parts == *flood* ]]; then
  heap_used() {  # used heap in KiB after a full GC
    jcmd "$1" GC.run >/dev/null
    sleep 1
    jcmd "$1" GC.heap_info | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {sub(/K$/,"",$(i+1)); print $(i+1); exit}}'
  }
  start flood "-Xmx256m" dev.f2p.examples.service.GuardService --f2p.authenticator.file="$work/keys.properties" \
    --f2p-service.incident-journal="$work/incidents.journal" --f2p.authenticator.lockout.threshold=1000000 \
    --f2p-service.default-rules=false --f2p-service.containment-rules= --f2p.rate-limiter.address=none \
    --f2p.rate-limiter.limits.default=600/minute
  ready "$bad_key" 401
  # One edit first, so the model, the face check and the label renderer are loaded before "idle" is taken.
  curl -s -o /dev/null -m 120 -H "X-API-Key: $user_key" -H "Content-Type: multipart/form-data; boundary=$boundary" \
    --data-binary "@$work/face.form" "http://127.0.0.1:$port/generate" || true
  heap[0]=$(heap_used "$pid")
  # Two halves, the heap after a full GC after each: back within the tolerance of idle after both means
  # nothing accumulates. -t 60: an admitted edit may queue 10 s and run 30 s under the guard.
  half=$((flood_seconds / 2))
  verdict=PASS
  for i in 1 2; do
    hey -c 100 -z "${half}s" -t 60 -m POST -H "X-API-Key: $user_key" -D "$work/face.form" \
      -T "multipart/form-data; boundary=$boundary" "http://127.0.0.1:$port/generate" >"$work/flood$i.out"
    report "flood $i/2, 100 connections" "$work/flood$i.out" 200,429,503 || true
    [[ -n ${rps["flood $i/2, 100 connections"]:-} ]] || verdict=FAIL
    kill -0 "$pid" || { echo "FAIL: the service died during the flood" >&2; exit 1; }
    heap[$i]=$(heap_used "$pid")
    awk '/Error distribution/,0' "$work/flood$i.out"
  done
  health=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")
  [[ $health == 200 ]] || verdict=FAIL
  mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
  for i in 1 2; do
    awk -v a="${heap[$i]}" -v b="${heap[0]}" -v t="$tolerance_mib" 'BEGIN {exit !((a - b) / 1024 <= t)}' || verdict=FAIL
  done
  echo "after the flood: /health $health; heap used after a full GC: idle $(mib "${heap[0]}") MiB," \
    "after half 1 $(mib "${heap[1]}") MiB, after half 2 $(mib "${heap[2]}") MiB (tolerance: idle + $tolerance_mib MiB)"
  stop
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "flood: $verdict"
  [[ $verdict == PASS ]] || exit 1
fi
