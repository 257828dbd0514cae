#!/usr/bin/env bash
# Local single-node Apache Kafka broker (KRaft, no ZooKeeper) for tests and development.
# Needs only Java 17 and Maven: the broker jars come from Maven Central via pom.xml.
#
# Usage: deploy/kafka/broker.sh {fetch|start|stop|status}   (works from any directory)
#   fetch   download kafka_2.13 + runtime deps + reload4j backend into deploy/kafka/dist/libs (skipped if present)
#   start   fetch if needed, write server.properties, format storage once, start in the background and
#           wait until the broker answers metadata requests; prints the bootstrap address on success
#   stop    SIGTERM, wait up to KAFKA_STOP_TIMEOUT seconds, then SIGKILL
#   status  exit 0 and print pid/address if running, exit 3 if not
#
# Environment:
#   KAFKA_PORT             PLAINTEXT listener port on 127.0.0.1            (default 19092)
#   KAFKA_CONTROLLER_PORT  KRaft controller listener port                  (default KAFKA_PORT+1)
#   KAFKA_DATA             data dir: server.properties, logs/, kraft-logs/, broker.pid
#                          (default deploy/kafka/data; a relative path is taken from the current directory)
#   KAFKA_HEAP_OPTS        JVM heap flags                                  (default "-Xms128m -Xmx512m")
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to be ready      (default 60)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL    (default 30)
#   KAFKA_PYTHON           python with aiokafka for the readiness check    (default: repo .venv, else python3;
#                          falls back to kafka.admin.BrokerApiVersionsCommand when aiokafka is missing)
#   JAVA, MVN              java / mvn executables                          (default: from PATH)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
LIBS="$HERE/dist/libs"
FETCHED_MARK="$LIBS/.fetched"

KAFKA_PORT="${KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_DATA="${KAFKA_DATA:-$HERE/data}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
JAVA="${JAVA:-java}"
MVN="${MVN:-mvn}"

KAFKA_DATA="$(realpath -m "$KAFKA_DATA")"
PID_FILE="$KAFKA_DATA/broker.pid"
PROPS="$KAFKA_DATA/server.properties"
LOG_DIR="$KAFKA_DATA/logs"
KRAFT_DIR="$KAFKA_DATA/kraft-logs"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

log() { echo "broker.sh: $*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

fetch() {
    if [[ -f "$FETCHED_MARK" ]]; then
        return 0
    fi
    command -v "$MVN" >/dev/null || die "mvn not found (needed once to download the broker jars)"
    log "downloading Kafka jars into $LIBS"
    rm -rf "$LIBS"
    "$MVN" -q -B -Dstyle.color=never -f "$HERE/pom.xml" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$LIBS"
    compgen -G "$LIBS/kafka_2.13-*.jar" >/dev/null || die "fetch finished but no kafka_2.13 jar in $LIBS"
    touch "$FETCHED_MARK"
}

kafka_java() {
    # The classpath wildcard is expanded by java itself, not by the shell.
    "$JAVA" -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
        -cp "$LIBS/*" "$@"
}

running_pid() {
    # Prints the pid and succeeds only when the pid file names a live broker process.
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(<"$PID_FILE")"
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a stale pid file whose pid now belongs to another process.
    if [[ -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
    fi
    echo "$pid"
}

write_properties() {
    cat >"$PROPS" <<EOF
# Written by deploy/kafka/broker.sh start; rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$KRAFT_DIR
num.partitions=8
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
# Fewer internal partitions than the defaults (50) so the first consumer group starts fast.
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=8
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
# Sized for a 2-core machine and a 512 MB heap (the cleaner is needed for compacted changelogs).
num.network.threads=2
num.io.threads=4
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=33554432
log.retention.hours=24
EOF
}

format_storage() {
    if [[ -f "$KRAFT_DIR/meta.properties" ]]; then
        return 0
    fi
    local cluster_id
    cluster_id="$(kafka_java kafka.tools.StorageTool random-uuid)"
    log "formatting storage in $KRAFT_DIR (cluster $cluster_id)"
    kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS" >"$LOG_DIR/format.log" 2>&1 ||
        {
            cat "$LOG_DIR/format.log" >&2
            die "storage format failed"
        }
}

pick_python() {
    local candidate
    for candidate in "${KAFKA_PYTHON:-}" "$REPO/.venv/bin/python" python3; do
        [[ -n "$candidate" ]] || continue
        if command -v "$candidate" >/dev/null && "$candidate" -c 'import aiokafka' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$KAFKA_PORT") 2>/dev/null
}

metadata_ready() {
    # The broker is usable once a metadata request lists it as a registered broker.
    if [[ -n "$PYTHON_CHECK" ]]; then
        "$PYTHON_CHECK" - "$BOOTSTRAP" >/dev/null 2>&1 <<'EOF'
import asyncio
import sys

from aiokafka.admin import AIOKafkaAdminClient


async def main(bootstrap: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await admin.start()
    try:
        cluster = await admin.describe_cluster()
        return 0 if cluster["brokers"] else 1
    finally:
        await admin.close()


sys.exit(asyncio.run(main(sys.argv[1])))
EOF
    else
        kafka_java kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$BOOTSTRAP" 2>/dev/null |
            grep -q "(id: 1"
    fi
}

fail_start() {
    log "ERROR: $1"
    log "---- tail of $LOG_DIR/server.log ----"
    tail -n 40 "$LOG_DIR/server.log" >&2 2>/dev/null || true
    log "---- tail of $LOG_DIR/console.log ----"
    tail -n 20 "$LOG_DIR/console.log" >&2 2>/dev/null || true
    # Leave nothing half-started behind.
    running_pid >/dev/null && stop
    exit 1
}

start() {
    local pid
    if pid="$(running_pid)"; then
        log "already running (pid $pid)"
        echo "$BOOTSTRAP"
        return 0
    fi
    command -v "$JAVA" >/dev/null || die "java not found"
    fetch
    mkdir -p "$LOG_DIR" "$KRAFT_DIR"
    write_properties
    format_storage

    # setsid: the broker outlives this script and is not hit by the caller's Ctrl-C.
    # The inner shell records its own pid, then becomes java via exec, so the pid file is exact.
    local heap_opts
    read -r -a heap_opts <<<"$KAFKA_HEAP_OPTS"
    # shellcheck disable=SC2016  # $$ and $1 belong to the inner shell
    setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
        "$JAVA" "${heap_opts[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
        -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
        -cp "$LIBS/*" kafka.Kafka "$PROPS" \
        </dev/null >"$LOG_DIR/console.log" 2>&1 &

    PYTHON_CHECK="$(pick_python || true)"
    local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
    while ((SECONDS < deadline)); do
        if ! running_pid >/dev/null; then
            sleep 0.2 # the pid file may not be written yet right after the fork
            running_pid >/dev/null || fail_start "broker process exited during start-up"
        fi
        if port_open && metadata_ready; then
            log "ready on $BOOTSTRAP (pid $(<"$PID_FILE"), data $KAFKA_DATA)"
            echo "$BOOTSTRAP"
            return 0
        fi
        sleep 0.5
    done
    fail_start "broker not ready on $BOOTSTRAP after ${KAFKA_START_TIMEOUT}s"
}

stop() {
    local pid
    if ! pid="$(running_pid)"; then
        log "not running"
        rm -f "$PID_FILE"
        return 0
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "no exit after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    log "stopped (pid $pid)"
}

status() {
    local pid
    if pid="$(running_pid)"; then
        echo "running pid=$pid bootstrap=$BOOTSTRAP data=$KAFKA_DATA"
        return 0
    fi
    echo "not running (data=$KAFKA_DATA)"
    return 3
}

case "${1:-}" in
fetch) fetch && log "jars ready in $LIBS" ;;
start) start ;;
stop) stop ;;
status) status ;;
*)
    echo "usage: $0 {fetch|start|stop|status}" >&2
    exit 2
    ;;
esac
