#!/usr/bin/env bash
# Re-runs every JMH benchmark and load harness of aigw-bench in one run on this machine, and
# writes the figures, each as a ratio against its baseline measured in the same run, into
# docs/benchmarks.md (between its <!-- report:NAME:begin/end --> markers).
#
#   bash aigw-bench/report.sh            # the full report: planned 33 minutes, 28 measured on 2 cores
#   bash aigw-bench/report.sh --quick    # a smoke run of every step, about 5 minutes
#
# Options:
#   --quick          fewer parameters, very short iterations: checks that everything runs
#   --steps A,B,...  run only these steps (see --list); the report then has only their tables
#   --list           print the steps with their planned durations and exit
#   --note TEXT      a note printed at the top of the report (for example what else was running)
#   --offline        build with Maven's -o (every dependency already in ~/.m2)
#   --no-doc         write aigw-bench/target/report/report.md only, leave docs/benchmarks.md alone
#   --no-portkey     skip the Portkey side-by-side even when npm is present
#   -h, --help       this text
#
# Needs: a JDK 17+, the Maven wrapper's download (or ~/.m2), and for two steps optional tools:
# redis-server on the PATH (RedisHarness; skipped without it) and node + npm (the Portkey side of
# the proxy comparison; skipped without them). Raw results and logs go to aigw-bench/target/report/.
# A step that fails does not stop the others; the script exits 1 at the end if any step failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
OUT=aigw-bench/target/report
JAR=aigw-bench/target/benchmarks.jar
DOC=docs/benchmarks.md
PORTKEY_VERSION=1.15.2
# @hono/node-server 1.14 and later hand Portkey 1.15.2 the upstream's immutable headers for event
# streams, and every streamed call fails with "TypeError: immutable" (Portkey-AI/gateway issues
# 1389 and 1550). Portkey declares ^1.3.3, so npm would install the newest 1.x: pin one that works.
HONO_NODE_SERVER_VERSION=1.13.8
PORTKEY_DIR=aigw-bench/target/portkey

MODE=full
NOTE=""
STEPS_WANTED=""
LIST_ONLY=false
OFFLINE=false
WRITE_DOC=true
PORTKEY=true

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) MODE=quick ;;
    --steps) STEPS_WANTED=${2:?--steps needs a list}; shift ;;
    --list) LIST_ONLY=true ;;
    --note) NOTE=${2:?--note needs a text}; shift ;;
    --offline) OFFLINE=true ;;
    --no-doc) WRITE_DOC=false ;;
    --no-portkey) PORTKEY=false ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "report.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# ------------------------------------------------------------------------------------------------
# JMH settings. Every JMH step adds: -prof gc (B/op), -foe true (a benchmark that throws fails the
# step), -rf json. Per-combination overhead (a forked JVM, setup, teardown) is estimated at
# JMH_OVERHEAD seconds: 0.7-1.9 s were measured on a shared 2-core VM.

JMH_OVERHEAD=1.5
if [[ $MODE == full ]]; then
  J_STD="-f 1 -wi 3 -w 1s -i 5 -r 1s"     # the classes' own defaults, stated
  J_LONG="-f 1 -wi 5 -w 1s -i 5 -r 1s"    # where the README asks for more warm-up (streams, connections)
  J_SHORT="-f 1 -wi 2 -w 1s -i 3 -r 1s"   # steady, cheap-to-warm benchmarks with many parameters
  J_PROV="-f 2 -wi 5 -w 1s -i 5 -r 1s"    # the headline comparison with the SDKs: two forks, as the README runs it
else
  J_STD="-f 1 -wi 1 -w 500ms -i 2 -r 500ms"
  J_LONG=$J_STD
  J_SHORT=$J_STD
  J_PROV=$J_STD
fi

# seconds of one JMH combination with these settings
jmh_secs() {
  awk -v s="$1" -v o="$JMH_OVERHEAD" 'BEGIN {
    n = split(s, a, " "); f = 1; t = 0;
    for (i = 1; i <= n; i++) {
      if (a[i] == "-f") f = a[i+1];
      if (a[i] == "-wi") wi = a[i+1]; if (a[i] == "-i") it = a[i+1];
      if (a[i] == "-w") w = a[i+1]; if (a[i] == "-r") r = a[i+1];
    }
    sub(/ms$/, "", w) ? w /= 1000 : sub(/s$/, "", w);
    sub(/ms$/, "", r) ? r /= 1000 : sub(/s$/, "", r);
    printf "%d", f * (wi * w + it * r + o) + 0.5 }'
}

# ------------------------------------------------------------------------------------------------
# Steps: name, what, planned seconds. Parameters for each mode are chosen so that the full run
# stays near 30 minutes on 2 cores.

if [[ $MODE == full ]]; then
  CHAIN_N=0,10
  PROVIDER_RE='dev.aigw.bench.ProviderOverheadBenchmark'; PROVIDER_N=16
  CHECK_CALLS=200
  CPU_CLIENTS="floor aigwProvider aigwGateway"; CPU_ROUNDS=2; CPU_WARM=10000; CPU_N=10000
  ROUTING_P=direct,fallback3,weighted,leastBusy,lowestLatency,cheapestCapable,conditional; ROUTING_N=7
  TOKENS_RE='dev.aigw.bench.TokenCounterBenchmark'; TOKENS_P=o200k_base,cl100k_base; TOKENS_N=6
  CACHEHIT_P=200,2000; CACHEHIT_N=8
  CACHEKEY_P=200,2000,20000,200000; CACHEKEY_N=8
  VECTOR_P=10000,100000; VECTOR_N=2
  STORE_T="1 4 16 64"; STORE_P=1,1000; STORE_N=8
  BGW_METHODS='(chat|chatLongPrompt)'; BGW_KEYS=hot,spread; BGW_N=12; BGW_T="4 16"
  GUARD_SCAN_G=pii,injection,denyList,defaultSet; GUARD_SCAN_T=prose,pii; GUARD_N=11
  TELE_P=none,empty,noop,sdk,sdk-content; TELE_N=10
  POOL_PROPS="-Dtenants=96 -Drate.shared=60 -Drate.unique=24"; POOL_PICKERS=round-robin,least-request,metrics-aware,prefix+load
  POOL_PLAN=240
  REDIS_PROPS="-Dseconds=6 -Dwarmup=2 -Dthreads=1,16,64 -Dredis.timeoutMs=1000"; REDIS_PLAN=80
  SOAK_PROPS=""; SOAK_PLAN=50
  PROXY_PROPS="-Dwarmup=5 -Dseconds=10"; PROXY_PLAN=200
  BUILD_PLAN=90
else
  CHAIN_N=0,10
  PROVIDER_RE='dev.aigw.bench.ProviderOverheadBenchmark.(floor|aigwProvider|aigwGateway|openaiSdk|langchain4j)(Blocking|StreamFull)$'; PROVIDER_N=10
  CHECK_CALLS=50
  CPU_CLIENTS="floor aigwGateway"; CPU_ROUNDS=1; CPU_WARM=2000; CPU_N=2000
  ROUTING_P=direct,fallback3,cheapestCapable; ROUTING_N=3
  TOKENS_RE='dev.aigw.bench.TokenCounterBenchmark.(countRequest|upperBoundRequest)$'; TOKENS_P=o200k_base,cl100k_base; TOKENS_N=4
  CACHEHIT_P=2000; CACHEHIT_N=4
  CACHEKEY_P=2000; CACHEKEY_N=2
  VECTOR_P=10000; VECTOR_N=1
  STORE_T="1 16"; STORE_P=1; STORE_N=2
  BGW_METHODS='chat'; BGW_KEYS=hot; BGW_N=3; BGW_T="16"
  GUARD_SCAN_G=pii,defaultSet; GUARD_SCAN_T=prose; GUARD_N=5
  TELE_P=none,noop,sdk; TELE_N=6
  POOL_PROPS="-Dtenants=96 -Drate.shared=60 -Drate.unique=24 -Dseconds=15 -Dwarmup=5"; POOL_PICKERS=round-robin,prefix+load
  POOL_PLAN=45
  REDIS_PROPS="-Dseconds=1 -Dwarmup=1 -Dthreads=1,16 -Dredis.timeoutMs=1000"; REDIS_PLAN=15
  SOAK_PROPS="-Dsoak.calls=40000 -Dsoak.checkpoint=10000"; SOAK_PLAN=20
  PROXY_PROPS="-Dwarmup=1 -Dseconds=2"; PROXY_PLAN=50
  BUILD_PLAN=90
fi

S_STD=$(jmh_secs "$J_STD"); S_LONG=$(jmh_secs "$J_LONG"); S_SHORT=$(jmh_secs "$J_SHORT"); S_PROV=$(jmh_secs "$J_PROV")
n_words() { wc -w <<<"$1" | tr -d ' '; }
n_items() { awk -F, '{print NF}' <<<"$1"; }

STEP_NAMES=(); declare -A STEP_WHAT STEP_PLAN
add_step() { STEP_NAMES+=("$1"); STEP_WHAT[$1]=$2; STEP_PLAN[$1]=$3; }

add_step build "Build benchmarks.jar (Maven, -am, no install)" "$BUILD_PLAN"
add_step chain "ChainBenchmark: gateway overhead and no-op interceptors" $(( (2 * $(n_items $CHAIN_N) + 2) * S_LONG ))
add_step provider "ProviderOverheadBenchmark: aigw vs the OkHttp floor and the two SDKs" $(( PROVIDER_N * S_PROV ))
add_step provider-check "ProviderOverheadCheck: connection reuse per client" $(( 6 + CHECK_CALLS / 25 ))
add_step provider-cpu "ProviderOverheadCpu: CPU per call, one client per JVM" \
  $(( $(n_words "$CPU_CLIENTS") * CPU_ROUNDS * (3 + (CPU_WARM + 3 * CPU_N) * 12 / 100000) ))
add_step routing "RoutingBenchmark: route policies vs a direct call" $(( ROUTING_N * S_STD ))
add_step tokens "TokenCounterBenchmark: counting vs the cheap upper bound" $(( TOKENS_N * S_SHORT ))
add_step cache-hit "CacheHitBenchmark: exact hits vs bypassing the cache" $(( CACHEHIT_N * S_STD ))
add_step cache-key "CacheKeyBenchmark: the cache key vs SHA-256 alone" $(( CACHEKEY_N * S_SHORT ))
add_step vector "VectorIndexBenchmark: semantic lookup by index size" $(( VECTOR_N * (S_SHORT + 6) ))
add_step budget-store "BudgetStoreBenchmark: the ledger by thread count" $(( STORE_N * S_SHORT ))
add_step budget-gateway "BudgetGatewayBenchmark: budgets vs none, by thread count" \
  $(( BGW_N * S_STD + 3 * $(n_words "$BGW_T") * S_SHORT ))
add_step guardrail "GuardrailBenchmark: scan rate and streamed-output cost" $(( GUARD_N * S_STD ))
add_step telemetry "TelemetryBenchmark: OpenTelemetry vs none" $(( TELE_N * S_LONG ))
add_step pool "PoolHarness: replica pickers vs round-robin" "$POOL_PLAN"
add_step redis "RedisHarness: budgets in Redis vs in memory" "$REDIS_PLAN"
add_step redis-cache "RedisHarness -Dcache=true: budgets and cache in Redis vs in memory" "$REDIS_PLAN"
add_step soak "SoakHarness: heap and threads over many calls" "$SOAK_PLAN"
add_step proxy "ProxyOverheadHarness: Portkey on loopback vs aigw in-process vs the floor" "$PROXY_PLAN"

SELECTED=("${STEP_NAMES[@]}")
if [[ -n $STEPS_WANTED ]]; then
  SELECTED=()
  IFS=, read -r -a wanted <<<"$STEPS_WANTED"
  for w in "${wanted[@]}"; do
    [[ -n ${STEP_PLAN[$w]+x} ]] || { echo "report.sh: no step '$w' (see --list)" >&2; exit 2; }
  done
  for s in "${STEP_NAMES[@]}"; do
    for w in "${wanted[@]}"; do [[ $s == "$w" ]] && SELECTED+=("$s"); done
  done
  # the jar is needed by every step
  [[ " ${SELECTED[*]} " == *" build "* ]] || SELECTED=(build "${SELECTED[@]}")
fi

fmt_secs() { local s=$1; if (( s >= 60 )); then printf '%d min %02d s' $((s / 60)) $((s % 60)); else printf '%d s' "$s"; fi; }

TOTAL_PLAN=0
for s in "${SELECTED[@]}"; do TOTAL_PLAN=$(( TOTAL_PLAN + STEP_PLAN[$s] )); done

echo "aigw-bench report: $MODE run of ${#SELECTED[@]} steps, planned $(fmt_secs $TOTAL_PLAN) in all"
for s in "${SELECTED[@]}"; do
  printf '  %-15s %9s  %s\n' "$s" "$(fmt_secs "${STEP_PLAN[$s]}")" "${STEP_WHAT[$s]}"
done
echo "  (JMH: $J_STD / $J_LONG / $J_SHORT / provider $J_PROV; about ${JMH_OVERHEAD} s per forked combination on top)"
$LIST_ONLY && exit 0

# ------------------------------------------------------------------------------------------------
# Output, cleanup

rm -rf "$OUT"
mkdir -p "$OUT/jmh" "$OUT/logs" "$OUT/proxy" "$OUT/provider-cpu"
: >"$OUT/steps.tsv"; : >"$OUT/commands.tsv"; : >"$OUT/jmh-settings.tsv"

cleanup() {
  if [[ -f $OUT/portkey.pid ]]; then
    local pid
    pid=$(cat "$OUT/portkey.pid")
    if kill -0 "$pid" 2>/dev/null; then
      echo "stopping the Portkey gateway (pid $pid)"
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
    rm -f "$OUT/portkey.pid"
  fi
}
STEP_PID=""
# Interrupted (Ctrl-C, kill): end the running step's processes (its direct children: a JVM, the
# gateway), then the step itself, by their process ids, and stop the gateway.
on_signal() {
  echo "report.sh: interrupted" >&2
  if [[ -n $STEP_PID ]] && kill -0 "$STEP_PID" 2>/dev/null; then
    pkill -TERM -P "$STEP_PID" 2>/dev/null || true
    kill -TERM "$STEP_PID" 2>/dev/null || true
    wait "$STEP_PID" 2>/dev/null || true
  fi
  cleanup
  exit 130
}
trap cleanup EXIT
trap on_signal INT TERM

# Shows a command the way one would type it, for the logs and the report.
quote() {
  local out="" a safe='^[A-Za-z0-9_./=:,+@%-]+$' q="'" qq="'\\''"
  for a in "$@"; do
    if [[ $a =~ $safe ]]; then out+="$a "; else out+="'${a//$q/$qq}' "; fi
  done
  printf '%s' "${out% }"
}

CURRENT_STEP=""
# Runs a command of the current step, recording it for the report.
run() {
  printf '%s\t%s\n' "$CURRENT_STEP" "$(quote "$@")" >>"$OUT/commands.tsv"
  echo "\$ $(quote "$@")"
  "$@"
}

# Runs JMH with the given settings (a string) and arguments; results to jmh/NAME.json.
jmh() {
  local name=$1 settings=$2; shift 2
  printf '%s\t%s\n' "$name" "$settings" >>"$OUT/jmh-settings.tsv"
  # shellcheck disable=SC2086
  run java -jar "$JAR" "$@" $settings -prof gc -foe true -rf json -rff "$OUT/jmh/$name.json"
}

# ------------------------------------------------------------------------------------------------
# The machine

mem_total() { awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo "?"; }
{
  echo "mode=$MODE"
  echo "note=$NOTE"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1 || true)"
  echo "cores=$(nproc 2>/dev/null || echo '?') ($(lscpu 2>/dev/null | sed -n 's/^Thread(s) per core: *//p' | head -1 || echo '?') thread(s) per core)"
  echo "hypervisor=$(lscpu 2>/dev/null | sed -n 's/^Hypervisor vendor: *//p' | head -1 || true)"
  echo "memory=$(mem_total)"
  echo "os=$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s)"
  echo "kernel=$(uname -r)"
  echo "jdk=$(java -version 2>&1 | head -1)"
  echo "jvm=$(java -version 2>&1 | sed -n 3p)"
  echo "maven=$(sed -n 's/^distributionUrl=.*apache-maven-\([0-9.]*\)-bin.*/\1 (wrapper)/p' .mvn/wrapper/maven-wrapper.properties 2>/dev/null || true)"
  echo "node=$(node --version 2>/dev/null || echo 'not found')"
  echo "npm=$(npm --version 2>/dev/null || echo 'not found')"
  echo "redis=$(redis-server --version 2>/dev/null | sed 's/ sha=.*//' || echo 'not found')"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
  echo "branch=$(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?')"
  echo "loadStart=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)"
} >"$OUT/machine.properties"
sed 's/^/  /' "$OUT/machine.properties"

# ------------------------------------------------------------------------------------------------
# The steps

step_build() {
  local flags=(-q -pl aigw-bench -am package -DskipTests)
  $OFFLINE && flags=(-o "${flags[@]}")
  run ./mvnw "${flags[@]}"
  test -f "$JAR"
}

step_chain() {
  jmh chain "$J_LONG" 'dev.aigw.bench.ChainBenchmark.(chat|stream)$' -p interceptors=$CHAIN_N
  jmh chain-direct "$J_LONG" 'dev.aigw.bench.ChainBenchmark.providerDirect' -p interceptors=0
}

step_provider() {
  jmh provider "$J_PROV" "$PROVIDER_RE"
}

step_provider_check() {
  run java -Dout="$OUT/provider-check.json" -cp "$JAR" dev.aigw.bench.ProviderOverheadCheck "$CHECK_CALLS"
}

step_provider_cpu() {
  local round client
  for round in $(seq 1 "$CPU_ROUNDS"); do
    for client in $CPU_CLIENTS; do
      run java -Dwarm="$CPU_WARM" -Dn="$CPU_N" -Dout="$OUT/provider-cpu/$client-blocking-$round.json" \
        -cp "$JAR" dev.aigw.bench.ProviderOverheadCpu "$client" blocking
    done
  done
}

step_routing() {
  jmh routing "$J_STD" 'dev.aigw.bench.RoutingBenchmark' -p policy=$ROUTING_P
}

step_tokens() {
  jmh tokens "$J_SHORT" "$TOKENS_RE" -p encoding=$TOKENS_P
}

step_cache_hit() {
  jmh cache-hit "$J_STD" 'dev.aigw.bench.CacheHitBenchmark' -p size=$CACHEHIT_P
}

step_cache_key() {
  jmh cache-key "$J_SHORT" 'dev.aigw.bench.CacheKeyBenchmark.(key|sha256OfText)$' -p textBytes=$CACHEKEY_P
}

step_vector() {
  jmh vector "$J_SHORT" 'dev.aigw.bench.VectorIndexBenchmark' -p entries=$VECTOR_P
}

step_budget_store() {
  local t
  for t in $STORE_T; do
    jmh "budget-store-t$t" "$J_SHORT" 'dev.aigw.bench.BudgetStoreBenchmark' -t "$t" -p tenants=$STORE_P
  done
}

step_budget_gateway() {
  jmh budget-gateway-t1 "$J_STD" "dev.aigw.bench.BudgetGatewayBenchmark.$BGW_METHODS\$" -t 1 -p keys=$BGW_KEYS
  local t
  for t in $BGW_T; do
    jmh "budget-gateway-t$t" "$J_SHORT" 'dev.aigw.bench.BudgetGatewayBenchmark.chat$' -t "$t" -p keys=hot
  done
}

step_guardrail() {
  jmh guardrail-scan "$J_STD" 'dev.aigw.bench.GuardrailBenchmark.scanInput' -p guardrails=$GUARD_SCAN_G -p text=$GUARD_SCAN_T
  jmh guardrail-stream "$J_STD" 'dev.aigw.bench.GuardrailBenchmark.stream'
}

step_telemetry() {
  jmh telemetry "$J_LONG" 'dev.aigw.bench.TelemetryBenchmark' -p telemetry=$TELE_P
}

step_pool() {
  # shellcheck disable=SC2086
  run java $POOL_PROPS -Dpickers=$POOL_PICKERS -Dout="$OUT/pool.json" -cp "$JAR" dev.aigw.bench.PoolHarness
}

redis_step() {
  local name=$1; shift
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "RedisHarness skipped: redis-server is not on the PATH (apt-get install redis-server)"
    echo "redis-server not on the PATH (apt-get install redis-server)" >"$OUT/$name.skipped"
    return 0
  fi
  # shellcheck disable=SC2086
  run java $REDIS_PROPS "$@" -Dout="$OUT/$name.json" -cp "$JAR" dev.aigw.bench.RedisHarness
}
step_redis() { redis_step redis; }
step_redis_cache() { redis_step redis-cache -Dcache=true; }

step_soak() {
  # shellcheck disable=SC2086
  run java -Xmx512m $SOAK_PROPS -Dout="$OUT/soak.json" -cp "$JAR" dev.aigw.bench.SoakHarness
}

# Installs the pinned Portkey gateway under target/ (once), starts it on a free loopback port with
# the loopback-only guard, and prints its URL. Returns nonzero with a reason when it cannot.
portkey_start() {
  local pkg=$PORTKEY_DIR/node_modules/@portkey-ai/gateway/package.json
  local hns=$PORTKEY_DIR/node_modules/@hono/node-server/package.json
  local have_pk="" have_hns=""
  [[ -f $pkg ]] && have_pk=$(node -p "require('./$pkg').version")
  [[ -f $hns ]] && have_hns=$(node -p "require('./$hns').version")
  if [[ $have_pk != "$PORTKEY_VERSION" || $have_hns != "$HONO_NODE_SERVER_VERSION" ]]; then
    rm -rf "$PORTKEY_DIR"
    mkdir -p "$PORTKEY_DIR"
    printf '{\n  "name": "aigw-bench-portkey",\n  "private": true,\n  "overrides": { "@hono/node-server": "%s" }\n}\n' \
      "$HONO_NODE_SERVER_VERSION" >"$PORTKEY_DIR/package.json"
    echo "installing @portkey-ai/gateway@$PORTKEY_VERSION into $PORTKEY_DIR (install scripts off)"
    run npm install --prefix "$PORTKEY_DIR" --ignore-scripts --no-audit --no-fund --save-exact \
      "@portkey-ai/gateway@$PORTKEY_VERSION" || return 1
  else
    echo "@portkey-ai/gateway@$PORTKEY_VERSION already installed in $PORTKEY_DIR"
  fi
  local port
  port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  # No proxy variables, no Redis of its own, production mode (no UI routes), headless, and the
  # loopback-only guard: it listens on 127.0.0.1 and refuses any connection or DNS lookup beyond loopback.
  printf '%s\t%s\n' proxy "$(quote env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY -u all_proxy \
    -u NODE_OPTIONS -u REDIS_CONNECTION_STRING NODE_ENV=production node --require aigw-bench/portkey-loopback.cjs \
    "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$port" --headless) &" >>"$OUT/commands.tsv"
  env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY -u all_proxy -u NODE_OPTIONS \
    -u REDIS_CONNECTION_STRING NODE_ENV=production \
    node --require "$ROOT/aigw-bench/portkey-loopback.cjs" "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" \
    --port="$port" --headless >"$OUT/logs/portkey.log" 2>&1 &
  echo $! >"$OUT/portkey.pid"
  local i
  for i in $(seq 1 60); do
    if node -e "fetch('http://127.0.0.1:$port/').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" 2>/dev/null; then
      echo "Portkey gateway ready on http://127.0.0.1:$port (pid $(cat "$OUT/portkey.pid"))"
      PORTKEY_URL="http://127.0.0.1:$port"
      local listen="127.0.0.1:$port"
      if command -v ss >/dev/null 2>&1; then
        listen=$(ss -ltnH "( sport = :$port )" 2>/dev/null | awk '{print $4}' | paste -sd' ' -)
        echo "listening sockets of port $port: $listen"
      fi
      {
        echo "version=$PORTKEY_VERSION"
        echo "honoNodeServer=$(node -p "require('./$hns').version")"
        echo "hono=$(node -p "require('./$PORTKEY_DIR/node_modules/hono/package.json').version")"
        echo "node=$(node --version)"
        echo "listen=$listen"
      } >"$OUT/portkey.properties"
      return 0
    fi
    kill -0 "$(cat "$OUT/portkey.pid")" 2>/dev/null || { echo "the Portkey gateway exited:"; tail -20 "$OUT/logs/portkey.log"; return 1; }
    sleep 0.5
  done
  echo "the Portkey gateway did not answer on port $port within 30 s"
  return 1
}

step_proxy() {
  trap cleanup EXIT # this step runs in a subshell: stop the gateway however it ends
  PORTKEY_URL=""
  local modes="floor aigw" reason=""
  if ! $PORTKEY; then
    reason="--no-portkey was given"
  elif ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    reason="npm/node not found on the PATH (install Node.js 18+ with npm to include the proxy gateway)"
  elif ! portkey_start; then
    reason="the Portkey gateway could not be installed or started (see logs/proxy.log)"
  else
    modes="floor portkey aigw"
  fi
  if [[ -n $reason ]]; then
    echo "Portkey comparison skipped: $reason"
    echo "skipped=$reason" >"$OUT/portkey.properties"
  fi
  local mode
  for mode in $modes; do
    # one JVM per mode, so that no mode's classes or JIT profiles touch another's
    # shellcheck disable=SC2086
    run java $PROXY_PROPS -Dmodes=$mode -Dportkey.url="$PORTKEY_URL" -Dportkey.version=$PORTKEY_VERSION \
      -Dout="$OUT/proxy/$mode.json" -cp "$JAR" dev.aigw.bench.ProxyOverheadHarness
  done
  if [[ -n $PORTKEY_URL ]]; then
    cleanup
    local blocked
    blocked=$(grep -c '^\[loopback-only\] blocked' "$OUT/logs/portkey.log" || true)
    echo "blocked=${blocked:-0} (connections or lookups beyond loopback refused)" >>"$OUT/portkey.properties"
    if [[ ${blocked:-0} != 0 ]]; then
      echo "WARNING: the Portkey gateway tried to reach beyond loopback $blocked time(s); see $OUT/logs/portkey.log"
      grep '^\[loopback-only\] blocked' "$OUT/logs/portkey.log" | sort | uniq -c
    fi
  fi
}

# ------------------------------------------------------------------------------------------------
# Run

FAILED=()
RUN_START=$(date +%s)
i=0
for s in "${SELECTED[@]}"; do
  i=$((i + 1))
  CURRENT_STEP=$s
  log=$OUT/logs/$s.log
  printf '\n==> [%d/%d] %s: %s (planned %s; log: %s)\n' "$i" "${#SELECTED[@]}" "$s" "${STEP_WHAT[$s]}" \
    "$(fmt_secs "${STEP_PLAN[$s]}")" "$log"
  start=$(date +%s)
  set +e
  # in the background and waited for, so that a signal reaches on_signal at once
  ( set -euo pipefail; "step_${s//-/_}" ) >"$log" 2>&1 </dev/null &
  STEP_PID=$!
  wait "$STEP_PID"
  rc=$?
  STEP_PID=""
  set -e
  took=$(( $(date +%s) - start ))
  status=ok; detail=""
  if (( rc != 0 )); then
    status=FAILED; detail="exit status $rc, see logs/$s.log"; FAILED+=("$s")
    echo "    FAILED (exit status $rc) after $(fmt_secs $took); last lines of $log:"
    tail -25 "$log" | sed 's/^/    | /'
    [[ $s == build ]] && { echo "report.sh: the build failed; nothing else can run" >&2; exit 1; }
  else
    if [[ -f $OUT/$s.skipped ]]; then status=skipped; detail=$(cat "$OUT/$s.skipped"); fi
    if [[ $s == proxy ]] && grep -q '^skipped=' "$OUT/portkey.properties" 2>/dev/null; then
      detail="Portkey skipped: $(sed -n 's/^skipped=//p' "$OUT/portkey.properties")"
    fi
    echo "    $status in $(fmt_secs $took)${detail:+ ($detail)}"
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$s" "${STEP_WHAT[$s]}" "${STEP_PLAN[$s]}" "$took" "$status" "$detail" >>"$OUT/steps.tsv"
done
CURRENT_STEP=""
echo "loadEnd=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || true)" >>"$OUT/machine.properties"

printf '\n==> report (all steps took %s, planned %s)\n' "$(fmt_secs $(( $(date +%s) - RUN_START )))" "$(fmt_secs $TOTAL_PLAN)"
if $WRITE_DOC; then
  java -cp "$JAR" dev.aigw.bench.report.ReportWriter "$OUT" "$DOC"
else
  java -cp "$JAR" dev.aigw.bench.report.ReportWriter "$OUT"
fi

if (( ${#FAILED[@]} > 0 )); then
  echo "report.sh: ${#FAILED[@]} step(s) failed: ${FAILED[*]} (their logs are in $OUT/logs/)" >&2
  exit 1
fi
echo "report.sh: done; raw results in $OUT/, tables in $OUT/report.md$($WRITE_DOC && echo " and $DOC")"
