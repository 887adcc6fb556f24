#!/usr/bin/env bash
# Local infrastructure stack for development and tests, without Docker:
#   Apache Kafka 4.4.0 (KRaft, one combined broker+controller node, jars from Maven Central),
#   PostgreSQL and Redis (Debian packages). Everything listens on 127.0.0.1 only.
#
# Usage: tools/stack/stack.sh <command>
#   up            start (and on first use install/initialise) Kafka, PostgreSQL and Redis;
#                 idempotent: parts of this stack that already run are reported and left alone.
#                 Refuses (exit 1) a port held by a process this stack did not start: see Ports.
#   down [kafka|postgres|redis ...]
#                 stop what this stack started, all parts or the ones named; data is kept
#                 (Kafka log dirs, PostgreSQL data dir, Redis AOF)
#   restart kafka|postgres|redis
#                 stop and start one part, data kept (the fault tests restart the broker)
#   status [kafka|postgres|redis ...]
#                 one line per part; exit code 0 only if all of them (default: all three) are
#                 this stack's, up and ready
#   pid kafka|postgres|redis
#                 print the pid of this stack's process of that part; exit code 1 if it does not run
#   psql [db] [psql args...]
#                 open psql on the stack's PostgreSQL (db defaults to "postgres")
#   logs [n]      print the last n (default 30) lines of each log
#   classpath broker|tools
#                 print the Kafka class path (fetching the jars if needed); used by kafka-cli.sh
#
# Configuration (environment variables, defaults in brackets):
#   STACK_DIR              state/data/log directory [<repo>/.stack, git-ignored].
#                          Delete it (after `down`) to start from scratch.
#   KAFKA_PORT             Kafka client listener [9092]: SASL only (PLAIN users of principals.json,
#                          OAUTHBEARER registry tokens); no unauthenticated connection is accepted
#   KAFKA_OAUTH_ISSUER     `iss` a registry token must carry to sign in [ecomlog-registry]
#   KAFKA_OAUTH_AUDIENCE   `aud` it must contain [kafka]
#   KAFKA_CONTROLLER_PORT  KRaft controller listener [9093]
#   KAFKA_HEAP             JVM heap options of the broker [-Xms256m -Xmx512m]
#   KAFKA_TOOLS_VERSION    version of org.apache.kafka:kafka-tools used for the command line tools
#                          and the readiness check [4.3.1] (kafka-tools 4.4.0 is not on Maven Central)
#   KAFKA_CACHE_DIR        where the jars are cached [${XDG_CACHE_HOME:-$HOME/.cache}/ecomlog]
#                          (broker: kafka-4.4.0/libs, tools: kafka-tools-<version>/libs)
#   PGPORT                 PostgreSQL port [5432]
#   PGUSER                 PostgreSQL superuser created by initdb [ecomlog]
#   PGPASSWORD             its password [ecomlog] - a LOCAL DEVELOPMENT credential only; the
#                          server listens on 127.0.0.1 only. Never use it anywhere else.
#   REDIS_PORT             Redis port [6379]
#   STACK_DATABASES        PostgreSQL databases created if missing
#                          [registry sites parcels funds analytics]
#
# Ports: a part counts as this stack's only if its pid file in STACK_DIR names the process that
# listens on its port. Any other listener there (another checkout's or test run's stack, a system
# PostgreSQL or Redis, anything else) makes `up` fail, naming its pid, command line and data
# directory and what to run: that stack's `down`, or other PGPORT/REDIS_PORT/KAFKA_PORT. It is
# never reused: its data, users and passwords are not this stack's. The listener's pid comes from
# `ss -ltnp` (iproute2), or from /proc/net/tcp and /proc/*/fd where ss is missing.
#
# Layout of $STACK_DIR:
#   kafka/        server.properties, cluster.id, kafka.pid, data/ (log dirs),
#                 principals.json (SASL passwords of the broker, admin and service users; 0600),
#                 admin.properties (admin client settings for Kafka's tools; 0600),
#                 jwks.json (the registry's public keys, kept by the registry: KAFKA_JWKS_FILE),
#                 logs/server.log (Log4j, INFO) and logs/kafka.out (stdout/stderr, WARN+)
#   postgres/     PostgreSQL data directory (owned by the `postgres` user when run as root)
#   postgres-run/ unix socket directory and postgres.log
#   redis/        Redis working dir: appendonlydir/ (AOF), redis.pid, redis.log
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)

STACK_DIR=${STACK_DIR:-$REPO_ROOT/.stack}
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
KAFKA_HEAP=${KAFKA_HEAP:--Xms256m -Xmx512m}
KAFKA_TOOLS_VERSION=${KAFKA_TOOLS_VERSION:-4.3.1}
KAFKA_CACHE_DIR=${KAFKA_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ecomlog}
KAFKA_OAUTH_ISSUER=${KAFKA_OAUTH_ISSUER:-ecomlog-registry}
KAFKA_OAUTH_AUDIENCE=${KAFKA_OAUTH_AUDIENCE:-kafka}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-ecomlog}
PGPASSWORD=${PGPASSWORD:-ecomlog} # local development credential only
REDIS_PORT=${REDIS_PORT:-6379}
STACK_DATABASES=${STACK_DATABASES:-registry sites parcels funds analytics}

readonly KAFKA_VERSION=4.4.0
readonly HOST=127.0.0.1
readonly KAFKA_READY_TIMEOUT=90

KAFKA_POM=$SCRIPT_DIR/kafka/pom.xml
KAFKA_LOG4J=$SCRIPT_DIR/kafka/log4j2.properties
KAFKA_LIBS=$KAFKA_CACHE_DIR/kafka-$KAFKA_VERSION/libs
KAFKA_TOOLS_LIBS=$KAFKA_CACHE_DIR/kafka-tools-$KAFKA_TOOLS_VERSION/libs

KAFKA_DIR=$STACK_DIR/kafka
KAFKA_DATA=$KAFKA_DIR/data
KAFKA_LOGS=$KAFKA_DIR/logs
KAFKA_PID_FILE=$KAFKA_DIR/kafka.pid
KAFKA_PROPS=$KAFKA_DIR/server.properties
KAFKA_ADMIN_PROPS=$KAFKA_DIR/admin.properties
KAFKA_CLUSTER_ID_FILE=$KAFKA_DIR/cluster.id
KAFKA_PRINCIPALS=$KAFKA_DIR/principals.json
KAFKA_JWKS=$KAFKA_DIR/jwks.json

PG_DATA=$STACK_DIR/postgres
PG_RUN=$STACK_DIR/postgres-run
PG_LOG=$PG_RUN/postgres.log

REDIS_DIR=$STACK_DIR/redis
REDIS_PID_FILE=$REDIS_DIR/redis.pid
REDIS_LOG=$REDIS_DIR/redis.log

export PGPASSWORD # for our own psql calls only; never printed except in the dev URL

# ----------------------------------------------------------------------------------------------
# helpers

log() { printf '[stack] %s\n' "$*"; }
warn() { printf '[stack] warning: %s\n' "$*" >&2; }
die() {
  printf '[stack] error: %s\n' "$*" >&2
  exit 1
}

is_root() { [[ $(id -u) -eq 0 ]]; }

# true if something accepts TCP connections on 127.0.0.1:$1
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# pid $1 alive and its command line contains $2
pid_matches() {
  local pid=$1 pattern=$2
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$pattern"
}

# pid_file_pid <pid file> <pattern>: the pid in the file if that process is alive and its command
# line contains the pattern
pid_file_pid() {
  local pid
  [[ -f $1 ]] || return 1
  pid=$(<"$1")
  pid_matches "$pid" "$2" || return 1
  echo "$pid"
}

# wait up to $2 seconds for pid $1 to exit
wait_pid_exit() {
  local pid=$1 secs=$2 i
  for ((i = 0; i < secs * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$pid" 2>/dev/null
}

validate_port() {
  local name=$1 value=$2
  [[ $value =~ ^[0-9]+$ ]] && ((value > 0 && value < 65536)) ||
    die "$name=$value is not a valid TCP port: set it to a number between 1 and 65535."
}

APT_INSTALLED=" " # the packages this command installed

# install Debian packages (as root), or tell the user the exact command
apt_install() {
  local what=$1
  shift
  if ! command -v apt-get >/dev/null 2>&1; then
    die "$what is not installed and apt-get is not available: install the packages '$*' with your system's package manager, then re-run this command."
  fi
  if ! is_root; then
    die "$what is not installed. Install it with: sudo apt-get update && sudo apt-get install -y $* (then re-run this command)."
  fi
  mkdir -p "$STACK_DIR"
  local aptlog=$STACK_DIR/apt.log
  log "installing $* with apt-get (output in $aptlog) ..."
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q "$@" >>"$aptlog" 2>&1; then
    log "apt-get install failed; running apt-get update and retrying ..."
    apt-get update -q >>"$aptlog" 2>&1 ||
      die "apt-get update failed (see $aptlog): check the network/apt sources, then run: apt-get update && apt-get install -y $*"
    apt-get install -y -q "$@" >>"$aptlog" 2>&1 ||
      die "apt-get install -y $* failed (see the end of $aptlog): fix the reported problem and re-run this command."
  fi
  APT_INSTALLED+="$* "
}

# stop_package_service <part> <port> <package>: where services may start on installation, the
# Debian packages postgresql and redis-server start their own server on the default port. If this
# command has just installed the package (so the port was free before), stop that server again.
stop_package_service() {
  local part=$1 port=$2 package=$3 i
  [[ $APT_INSTALLED == *" $package "* ]] || return 0
  [[ -n $(listener_pids "$port") ]] || return 0
  log "$part: installing $package started its system service on $HOST:$port; stopping it (this stack runs its own $part) ..."
  service "$package" stop >/dev/null 2>&1 || systemctl stop "$package" >/dev/null 2>&1 || true
  for ((i = 0; i < 100; i++)); do
    [[ -n $(listener_pids "$port") ]] || return 0
    sleep 0.1
  done
}

validate_config() {
  validate_port KAFKA_PORT "$KAFKA_PORT"
  validate_port KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  validate_port PGPORT "$PGPORT"
  validate_port REDIS_PORT "$REDIS_PORT"
  [[ $KAFKA_PORT != "$KAFKA_CONTROLLER_PORT" ]] ||
    die "KAFKA_PORT and KAFKA_CONTROLLER_PORT are both $KAFKA_PORT: give them different values."
  [[ $PGUSER =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] ||
    die "PGUSER='$PGUSER' is not a simple identifier: use letters, digits and underscores only."
  [[ -n $PGPASSWORD ]] || die "PGPASSWORD is empty: set a (local development) password, e.g. PGPASSWORD=ecomlog."
  [[ $PGPASSWORD != *$'\n'* ]] || die "PGPASSWORD must not contain a newline."
  local db
  for db in $STACK_DATABASES; do
    [[ $db =~ ^[a-z_][a-z0-9_]*$ ]] ||
      die "STACK_DATABASES contains '$db': database names must be lower case letters, digits and underscores."
  done
}

# ----------------------------------------------------------------------------------------------
# lock: serialise concurrent up/down (e.g. test runners starting in parallel)

take_lock() {
  mkdir -p "$STACK_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$STACK_DIR/.lock"
    flock -w 300 9 || die "another 'stack.sh up/down' has been running for 5 minutes (lock $STACK_DIR/.lock): wait for it or stop it."
  fi
}

# ----------------------------------------------------------------------------------------------
# ports: which process listens on a port, and whether it is this stack's

readonly STACK_PARTS="kafka postgres redis"

# pids of the processes listening on TCP port $1 on an address that clashes with $HOST:$1, one
# per line; "?" for a listener whose process cannot be seen (another user's when not root)
listener_pids() {
  local port=$1
  if command -v ss >/dev/null 2>&1; then
    ss -ltnpH "sport = :$port" 2>/dev/null | awk '
      { addr = $4; sub(/:[0-9]+$/, "", addr); sub(/%.*$/, "", addr) }
      addr == "127.0.0.1" || addr == "0.0.0.0" || addr == "*" || addr == "[::]" ||
        addr == "[::ffff:127.0.0.1]" || addr == "[::ffff:0.0.0.0]" {
        rest = $0; n = 0
        while (match(rest, /pid=[0-9]+/)) {
          print substr(rest, RSTART + 4, RLENGTH - 4)
          rest = substr(rest, RSTART + RLENGTH)
          n++
        }
        if (n == 0) print "?"
      }' | sort -u || true
  else
    listener_pids_proc "$port"
  fi
}

# the same without ss: listening sockets in /proc/net/tcp{,6}, their owners from /proc/*/fd
listener_pids_proc() {
  local port=$1 inodes inode pids
  if [[ ! -r /proc/net/tcp ]]; then
    port_open "$port" && echo "?"
    return 0
  fi
  local any6=00000000000000000000000000000000
  inodes=$(awk -v port="$(printf '%04X' "$port")" -v any6="$any6" '
    FNR > 1 && $4 == "0A" {
      split($2, addr, ":")
      if (addr[2] == port && (addr[1] == "0100007F" || addr[1] == "00000000" || addr[1] == any6 ||
        addr[1] == "0000000000000000FFFF00000100007F" || addr[1] == "0000000000000000FFFF000000000000"))
        print $10
    }' /proc/net/tcp /proc/net/tcp6 2>/dev/null | sort -u)
  [[ -n $inodes ]] || return 0
  local -a match=()
  for inode in $inodes; do
    match+=(-o -lname "socket:\\[$inode\\]")
  done
  pids=$(find /proc/[0-9]*/fd -mindepth 1 -maxdepth 1 \( "${match[@]:1}" \) -printf '%h\n' 2>/dev/null |
    cut -d/ -f3 | sort -un) || true # find: processes that vanish, fds this user may not read
  if [[ -n $pids ]]; then echo "$pids"; else echo "?"; fi
}

# part_ports kafka|postgres|redis: "<name>=<port>" of the ports the part listens on
part_ports() {
  case $1 in
    kafka) echo "KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT" ;;
    postgres) echo "PGPORT=$PGPORT" ;;
    redis) echo "REDIS_PORT=$REDIS_PORT" ;;
  esac
}

# part_pid kafka|postgres|redis: the pid of this stack's process of the part (from its pid file)
part_pid() {
  case $1 in
    kafka) kafka_pid ;;
    postgres) pg_pid ;;
    redis) redis_pid ;;
    *) return 1 ;;
  esac
}

# foreign_pid <port> <own pid or "">: prints the pid ("?" if it cannot be seen) of a process
# listening on the port that is not ours and returns 0; returns 1 if the port is free or ours
foreign_pid() {
  local port=$1 own=$2 pids
  pids=$(listener_pids "$port")
  [[ -n $pids ]] || return 1
  [[ -n $own ]] && grep -qx -- "$own" <<<"$pids" && return 1
  head -n 1 <<<"$pids"
}

# status_foreign <part> <port> <own pid or "">: a status line and exit code 0 if another process
# holds the port
status_foreign() {
  local part=$1 port=$2 own=$3 pid what
  pid=$(foreign_pid "$port" "$own") || return 1
  if [[ $pid == "?" ]]; then
    what="a process this user cannot see"
  else
    what="pid $pid: $(proc_cmdline "$pid" | cut -c1-80)"
  fi
  printf '%-9s %-8s %-17s port taken by %s (not this stack'"'"'s; up refuses it)\n' "$part" foreign "$HOST:$port" "$what"
}

# part_status <part> <check> <state if the check fails> <note if it fails> <port> [<port> ...]: the
# part's status line (its first port shown; every port checked for a foreign holder), 0 if running
# and <check> passes
part_status() {
  local part=$1 check=$2 bad_state=$3 bad_note=$4 port=$5 p own
  own=$(part_pid "$part") || own=
  for p in "${@:5}"; do
    status_foreign "$part" "$p" "$own" && return 1
  done
  if [[ -z $own ]]; then
    printf '%-9s %-8s %-17s\n' "$part" stopped "$HOST:$port"
    return 1
  fi
  if "$check"; then
    printf '%-9s %-8s %-17s pid %s\n' "$part" running "$HOST:$port" "$own"
    return 0
  fi
  printf '%-9s %-8s %-17s pid %s (%s)\n' "$part" "$bad_state" "$HOST:$port" "$own" "$bad_note"
  return 1
}

# signal_part_down <part> <Name> <pid file> <grace s> <SIGKILL wait s> <how> <not-running note>:
# stops this stack's process of the part with SIGTERM (SIGKILL after the grace period) and
# removes its pid file
signal_part_down() {
  local part=$1 name=$2 pid_file=$3 grace=$4 kill_wait=$5 how=$6 pid
  if ! pid=$(part_pid "$part"); then
    rm -f "$pid_file"
    log "$part: not running$7"
    return 0
  fi
  log "$part: stopping pid $pid ($how) ..."
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_exit "$pid" "$grace"; then
    warn "$part: pid $pid did not exit within $grace s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" "$kill_wait" || die "could not stop $name pid $pid: stop it manually (kill -9 $pid)."
  fi
  rm -f "$pid_file"
  log "$part: stopped"
}

proc_args() { [[ -r /proc/$1/cmdline ]] && tr '\0' '\n' <"/proc/$1/cmdline"; }

proc_cmdline() {
  local line
  line=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | sed 's/[[:space:]]*$//') || line=
  ((${#line} <= 300)) || line="${line:0:300} ..."
  echo "${line:-?}"
}

proc_cwd() { readlink "/proc/$1/cwd" 2>/dev/null || true; }

# an absolute path for $2 as process $1 sees it (relative paths are relative to its cwd)
proc_path() {
  local pid=$1 path=$2 cwd
  if [[ $path == /* || -z $path ]]; then
    echo "$path"
  elif cwd=$(proc_cwd "$pid") && [[ -n $cwd ]]; then
    echo "$cwd/$path"
  else
    echo "$path"
  fi
}

# proc_kind <pid>: postgres, redis, kafka or other, from its command line
proc_kind() {
  local args
  args=$(proc_args "$1" 2>/dev/null) || args=
  case $(head -n 1 <<<"$args") in
    */postgres | postgres | */postmaster | postmaster | postgres:*) echo postgres; return ;;
    */redis-server | redis-server* | */redis-server\ *) echo redis; return ;;
  esac
  if grep -qx 'kafka.Kafka' <<<"$args"; then echo kafka; else echo other; fi
}

# proc_data_dir <pid> <kind> <port>: where that server keeps its data, as far as it can be seen
proc_data_dir() {
  local pid=$1 kind=$2 port=$3 dir="" config
  case $kind in
    postgres)
      # -D <dir> (or -D<dir>); else its cwd: the postmaster runs in its data directory
      dir=$(proc_args "$pid" | awk 'prev == "-D" { print; exit } /^-D./ { print substr($0, 3); exit } { prev = $0 }')
      [[ $dir == /* ]] || dir=$(proc_cwd "$pid")
      ;;
    redis)
      dir=$(proc_cwd "$pid") # redis-server runs in its `dir`
      if [[ -z $dir ]] && command -v redis-cli >/dev/null 2>&1; then
        dir=$(timeout 3 redis-cli -h "$HOST" -p "$port" config get dir 2>/dev/null | sed -n '2p')
        [[ $dir == /* ]] || dir=
      fi
      ;;
    kafka)
      # --override log.dirs=..., else log.dirs (or log.dir) of the properties file after kafka.Kafka
      dir=$(proc_args "$pid" | sed -n 's/^log\.dirs\{0,1\}=//p' | tail -n 1)
      if [[ -z $dir ]]; then
        config=$(proc_args "$pid" | awk 'seen && !/^-/ { print; exit } $0 == "kafka.Kafka" { seen = 1 }')
        config=$(proc_path "$pid" "$config")
        if [[ -n $config && -r $config ]]; then
          dir=$(sed -n 's/^log\.dirs[[:space:]]*=[[:space:]]*//p' "$config" | tail -n 1)
          [[ -n $dir ]] || dir=$(sed -n 's/^log\.dir[[:space:]]*=[[:space:]]*//p' "$config" | tail -n 1)
        fi
      fi
      [[ -n $dir ]] || dir=$(proc_cwd "$pid")
      ;;
    *) dir=$(proc_cwd "$pid") ;;
  esac
  echo "$dir"
}

# a directory that tools/stack/stack.sh has used as STACK_DIR
is_stack_dir() {
  [[ -d $1 ]] && { [[ -e $1/.lock ]] || { [[ -d $1/kafka ]] && [[ -d $1/redis ]]; }; }
}

# stack_dir_of <kind> <data dir>: the STACK_DIR whose stack keeps its data there, if any
stack_dir_of() {
  local kind=$1 dir=${2%/} candidate=
  [[ -n $dir ]] || return 1
  case $kind in
    postgres)
      [[ ${dir##*/} == postgres ]] || return 1
      candidate=${dir%/*}
      # a root-private STACK_DIR keeps its PostgreSQL data in /var/lib/ecomlog-stack/<key>
      if [[ -s $candidate/stack-dir ]]; then
        candidate=$(<"$candidate/stack-dir")
      fi
      ;;
    redis) [[ ${dir##*/} == redis ]] && candidate=${dir%/*} ;;
    kafka)
      dir=${dir%%,*}
      if [[ ${dir##*/} == data ]]; then dir=${dir%/*}; fi
      [[ ${dir##*/} == kafka ]] && candidate=${dir%/*}
      ;;
  esac
  [[ -n $candidate ]] && is_stack_dir "$candidate" || return 1
  echo "$candidate"
}

# a port near $1 that nothing listens on now (a suggestion only)
suggest_free_port() {
  local port=$(($1 + 10000))
  ((port < 65536)) || port=$(($1 > 20000 ? $1 - 10000 : $1 + 1))
  while [[ -n $(listener_pids "$port") ]] && ((port < 65535)); do
    port=$((port + 1))
  done
  echo "$port"
}

# refuse_foreign <part>...: exit 1, naming each process that listens on a port of these parts but
# is not this stack's (its pid, command line and data directory) and saying what to run instead
refuse_foreign() {
  local part port_var name port own pid kind dir other checkout where what seen=" "
  local -a report=() stops=() moves=()
  for part in "$@"; do
    own=$(part_pid "$part") || own=
    for port_var in $(part_ports "$part"); do
      name=${port_var%%=*}
      port=${port_var#*=}
      pid=$(foreign_pid "$port" "$own") || continue
      moves+=("$name=$(suggest_free_port "$port")")
      where="$part on $HOST:$port ($name)"
      if [[ $pid == "?" ]]; then
        report+=("  $where: a process this user cannot see (run 'ss -ltnp' as root to name it)")
        continue
      fi
      if [[ $seen == *" $pid "* ]]; then
        report+=("  $where: pid $pid (see above)")
        continue
      fi
      seen+="$pid "
      kind=$(proc_kind "$pid")
      dir=$(proc_data_dir "$pid" "$kind" "$port")
      report+=("  $where: pid $pid, user $(stat -c %U "/proc/$pid" 2>/dev/null || echo '?'): $(proc_cmdline "$pid")")
      case $kind in
        kafka) what="a Kafka broker, log.dirs ${dir:-unknown}" ;;
        postgres) what="a PostgreSQL server, data directory ${dir:-unknown}" ;;
        redis) what="a Redis server, data directory ${dir:-unknown}" ;;
        *) what="not a $part server; working directory ${dir:-unknown}" ;;
      esac
      if other=$(stack_dir_of "$kind" "$dir"); then
        if [[ $other == "$STACK_DIR" ]]; then
          report+=("      $what, started from this STACK_DIR but its pid file is missing or stale")
          stops+=("stop pid $pid (kill $pid; its pid file is gone)")
        else
          report+=("      $what, of the stack in STACK_DIR=$other")
          checkout=
          [[ ${other##*/} == .stack && -f ${other%/*}/tools/stack/stack.sh ]] && checkout=${other%/*}
          if [[ -n $checkout ]]; then
            stops+=("cd $checkout && STACK_DIR=$other bash tools/stack/stack.sh down")
          else
            stops+=("STACK_DIR=$other bash $SCRIPT_DIR/stack.sh down")
          fi
        fi
      else
        report+=("      $what")
        case $kind in
          postgres) stops+=("stop pid $pid (a Debian cluster: pg_ctlcluster <version> <name> stop; other: pg_ctl -D ${dir:-<data dir>} stop)") ;;
          redis) stops+=("stop pid $pid (a system service: service redis-server stop; other: redis-cli -p $port shutdown)") ;;
          *) stops+=("stop pid $pid (kill $pid)") ;;
        esac
      fi
    done
  done
  ((${#report[@]} == 0)) && return 0
  {
    printf '[stack] error: ports of this stack (STACK_DIR=%s) are taken by processes it did not start:\n' "$STACK_DIR"
    printf '%s\n' "${report[@]}"
    printf '[stack] This stack never uses them (their data, users and passwords are not its own). Either\n'
    printf '  - stop them if nothing uses them any more (their services, a test run):\n'
    printf '%s\n' "${stops[@]}" | awk '!seen[$0]++ { print "      " $0 }'
    printf '  - or run this stack on free ports (services and tests read the same variables), e.g.:\n'
    printf '      %s bash %s/stack.sh up\n' "${moves[*]}" "$SCRIPT_DIR"
  } >&2
  exit 1
}

# ----------------------------------------------------------------------------------------------
# Kafka

java_bin() {
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    command -v java 2>/dev/null || true
  fi
}

require_java() {
  JAVA=$(java_bin)
  local msg="Java 17 not found: install openjdk-17-jre-headless (apt-get install -y openjdk-17-jre-headless)"
  [[ -n $JAVA ]] || die "$msg."
  local version major
  version=$("$JAVA" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  major=${version%%.*}
  [[ $major == 1 ]] && major=$(echo "$version" | cut -d. -f2)
  [[ $major =~ ^[0-9]+$ ]] && ((major >= 17)) ||
    die "$msg; '$JAVA' is version ${version:-unknown} (Kafka $KAFKA_VERSION needs 17 or newer; set JAVA_HOME to pick another JDK)."
}

# fetch_jars broker|tools: copy the runtime jars into the cache dir once
fetch_jars() {
  local profile=$1 dest
  case $profile in
    broker) dest=$KAFKA_LIBS ;;
    tools) dest=$KAFKA_TOOLS_LIBS ;;
    *) die "unknown jar set '$profile' (use broker or tools)." ;;
  esac
  [[ -f $dest/.complete ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "Maven not found: apt-get install -y maven (needed once to download the Kafka jars)."
  local version=$KAFKA_VERSION
  [[ $profile == tools ]] && version=$KAFKA_TOOLS_VERSION
  log "downloading Kafka $profile jars ($version) from Maven Central into $dest (first run only) ..." >&2
  local tmp=$dest.tmp.$$ mvnlog
  mkdir -p "$(dirname "$dest")"
  mvnlog=$(dirname "$dest")/mvn-$profile.log
  rm -rf "$tmp"
  if ! mvn -q -B -f "$KAFKA_POM" -P "$profile" \
    -Dkafka.version="$KAFKA_VERSION" -Dkafka.tools.version="$KAFKA_TOOLS_VERSION" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -DoutputDirectory="$tmp" -DincludeScope=runtime >"$mvnlog" 2>&1; then
    rm -rf "$tmp"
    tail -n 20 "$mvnlog" >&2 || true
    die "Maven could not download the Kafka $profile jars (full output: $mvnlog): check that Maven Central (https://repo.maven.apache.org) is reachable and any proxy is configured in ~/.m2/settings.xml, then re-run."
  fi
  ls "$tmp"/*.jar >/dev/null 2>&1 || die "Maven finished but copied no jars into $tmp: see $mvnlog."
  rm -rf "$dest"
  mv "$tmp" "$dest"
  date -u +%FT%TZ >"$dest/.complete"
}

kafka_pid() { pid_file_pid "$KAFKA_PID_FILE" "$KAFKA_PROPS"; }

# The broker's SASL users (PLAIN, static): the broker itself, the stack's administrator and one
# per platform service. Keep in step with PLATFORM_SERVICES in libs/contracts/src/kafka-access.ts
# (tools/stack/test checks it). Couriers and subscribers are not listed: they sign in with
# registry tokens (OAUTHBEARER).
readonly KAFKA_STATIC_USERS="broker admin svc-registry svc-sites svc-parcels svc-funds svc-analytics svc-dashboard"

kafka_principal_password() {
  local user=$1 value
  [[ -f $KAFKA_PRINCIPALS ]] || return 1
  value=$(sed -n "s/^  \"$user\": \"\([0-9a-f]*\)\".*/\1/p" "$KAFKA_PRINCIPALS")
  [[ -n $value ]] || return 1
  echo "$value"
}

# principals.json: {"<user>": "<password>", ...}, one per line, generated once, owner-only.
kafka_write_principals_once() {
  local user missing=0
  if [[ -s $KAFKA_PRINCIPALS ]]; then
    for user in $KAFKA_STATIC_USERS; do
      kafka_principal_password "$user" >/dev/null || missing=1
    done
    ((missing == 0)) && return 0
  fi
  log "kafka: generating the passwords of the broker's SASL users into $KAFKA_PRINCIPALS ..."
  local tmp=$KAFKA_PRINCIPALS.tmp.$$ first=1 password
  (
    umask 077
    {
      echo "{"
      for user in $KAFKA_STATIC_USERS; do
        password=$(kafka_principal_password "$user" || head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
        ((first)) || echo ","
        first=0
        printf '  "%s": "%s"' "$user" "$password"
      done
      printf '\n}\n'
    } >"$tmp"
  )
  mv "$tmp" "$KAFKA_PRINCIPALS"
}

write_kafka_config() {
  mkdir -p "$KAFKA_DATA" "$KAFKA_LOGS"
  kafka_write_principals_once
  # The registry (its KAFKA_JWKS_FILE) keeps this file equal to its public keys; until it first
  # runs no token can be validated, which is what an empty key set says.
  [[ -s $KAFKA_JWKS ]] || echo '{"keys":[]}' >"$KAFKA_JWKS"
  local broker_password admin_password users="" user
  broker_password=$(kafka_principal_password broker)
  admin_password=$(kafka_principal_password admin)
  for user in $KAFKA_STATIC_USERS; do
    users+=" user_$user=\"$(kafka_principal_password "$user")\""
  done
  (
    umask 077
    cat >"$KAFKA_PROPS" <<EOF
# Generated by tools/stack/stack.sh on every 'up' - edit the script, not this file.
# Holds the SASL passwords of principals.json: owner-only.
process.roles=broker,controller
node.id=1
# No listener accepts an unauthenticated connection. CLIENT: services (the PLAIN users below),
# couriers and subscribers (OAUTHBEARER: registry tokens checked against the registry's keys);
# the broker talks to itself there too. CONTROLLER: KRaft, the broker user only.
listeners=CLIENT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=CLIENT://$HOST:$KAFKA_PORT
listener.security.protocol.map=CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
sasl.mechanism.inter.broker.protocol=PLAIN
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$broker_password" user_broker="$broker_password";
listener.name.client.sasl.enabled.mechanisms=OAUTHBEARER,PLAIN
listener.name.client.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$broker_password"$users;
listener.name.client.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required ;
listener.name.client.oauthbearer.sasl.server.callback.handler.class=org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler
listener.name.client.oauthbearer.sasl.oauthbearer.jwks.endpoint.url=file://$KAFKA_JWKS
sasl.oauthbearer.expected.audience=$KAFKA_OAUTH_AUDIENCE
sasl.oauthbearer.expected.issuer=$KAFKA_OAUTH_ISSUER
# Authorisation: nothing is allowed unless an ACL (libs/contracts kafka-access.ts) grants it.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:broker;User:admin
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
log.dirs=$KAFKA_DATA
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
    cat >"$KAFKA_ADMIN_PROPS" <<EOF
# The stack administrator's client settings (a Kafka super user): pass this file to Kafka's own
# tools with --command-config (see tools/stack/kafka-cli.sh). Owner-only: it holds a password.
security.protocol=SASL_PLAINTEXT
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$admin_password";
# fail fast instead of retrying for 60 s (readiness check)
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
  )
  chmod 600 "$KAFKA_PROPS" "$KAFKA_ADMIN_PROPS"
}

kafka_cluster_id() {
  if [[ -s $KAFKA_CLUSTER_ID_FILE ]]; then
    cat "$KAFKA_CLUSTER_ID_FILE"
    return
  fi
  local id
  # 16 random bytes, base64url without padding (22 chars); a leading '-' would look like an option
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id == -* ]] || break
  done
  echo "$id" >"$KAFKA_CLUSTER_ID_FILE"
  echo "$id"
}

kafka_format_once() {
  [[ -f $KAFKA_DATA/meta.properties ]] && return 0
  local id
  id=$(kafka_cluster_id)
  log "formatting Kafka storage in $KAFKA_DATA (cluster id $id) ..."
  # static quorum (controller.quorum.voters): no --standalone / --initial-controllers
  "$JAVA" -Xmx256m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.stack.fileLevel=OFF \
    -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
    --config "$KAFKA_PROPS" --cluster-id "$id" >"$KAFKA_LOGS/format.log" 2>&1 || {
    cat "$KAFKA_LOGS/format.log" >&2
    die "formatting the Kafka storage failed (see above / $KAFKA_LOGS/format.log): if $KAFKA_DATA holds data of another cluster, run 'stack.sh down' and delete $KAFKA_DIR to start fresh."
  }
}

# a real client round trip: Admin client metadata request listing the topics
kafka_ready() {
  [[ -f $KAFKA_TOOLS_LIBS/.complete ]] || return 1
  local j
  j=$(java_bin)
  [[ -n $j ]] || return 1
  timeout 30 "$j" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.stack.fileLevel=OFF -Dkafka.stack.consoleLevel=OFF \
    -cp "$KAFKA_TOOLS_LIBS/*" org.apache.kafka.tools.TopicCommand \
    --bootstrap-server "$HOST:$KAFKA_PORT" --command-config "$KAFKA_ADMIN_PROPS" --list >/dev/null 2>&1
}

kafka_explain_failure() {
  local what=$1
  echo "----- last 30 lines of $KAFKA_LOGS/server.log -----" >&2
  tail -n 30 "$KAFKA_LOGS/server.log" >&2 2>/dev/null || echo "(no server.log)" >&2
  if [[ -s $KAFKA_LOGS/kafka.out ]]; then
    echo "----- last 30 lines of $KAFKA_LOGS/kafka.out -----" >&2
    tail -n 30 "$KAFKA_LOGS/kafka.out" >&2
  fi
  echo "-----" >&2
  local logs="$KAFKA_LOGS/server.log $KAFKA_LOGS/kafka.out"
  # shellcheck disable=SC2086
  if grep -qsE 'Address already in use|BindException' $logs; then
    die "$what: port $KAFKA_PORT or $KAFKA_CONTROLLER_PORT is in use by another process: stop it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT to free ports."
  elif grep -qsE 'OutOfMemoryError|Could not reserve enough space|[Hh]eap size|Error occurred during initialization of VM' $logs; then
    die "$what: the JVM ran out of memory or rejected KAFKA_HEAP='$KAFKA_HEAP': adjust KAFKA_HEAP (e.g. KAFKA_HEAP='-Xms256m -Xmx1g')."
  elif grep -qsE 'InconsistentClusterIdException|No meta.properties|is not formatted' $logs; then
    die "$what: the Kafka data in $KAFKA_DATA does not match this configuration: run 'stack.sh down', delete $KAFKA_DIR and run 'stack.sh up' again (this deletes all topics)."
  else
    die "$what: read the log lines above (full logs in $KAFKA_LOGS); fix the cause and run 'stack.sh up' again."
  fi
}

kafka_up() {
  local pid
  refuse_foreign kafka
  if pid=$(kafka_pid); then
    fetch_jars tools
    if kafka_ready; then
      log "kafka: already running (pid $pid) on $HOST:$KAFKA_PORT"
      return 0
    fi
    log "kafka: process $pid is running but not answering yet; waiting ..."
    kafka_wait_ready "$pid"
    return 0
  fi
  rm -f "$KAFKA_PID_FILE"
  require_java
  fetch_jars broker
  fetch_jars tools
  write_kafka_config
  kafka_format_once

  log "kafka: starting broker+controller on $HOST:$KAFKA_PORT (controller $HOST:$KAFKA_CONTROLLER_PORT) ..."
  # shellcheck disable=SC2086 # KAFKA_HEAP is a list of JVM options
  (
    cd "$KAFKA_DIR"
    exec setsid nohup "$JAVA" $KAFKA_HEAP -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
      -Dkafka.logs.dir="$KAFKA_LOGS" -Dlog4j2.configurationFile="$KAFKA_LOG4J" \
      -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls="file://$KAFKA_JWKS" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_PROPS" \
      </dev/null >>"$KAFKA_LOGS/kafka.out" 2>&1 9>&-
  ) &
  pid=$!
  echo "$pid" >"$KAFKA_PID_FILE"
  kafka_wait_ready "$pid"
}

kafka_wait_ready() {
  local pid=$1 start=$SECONDS
  # cheap TCP probe first, then a real client request
  while ((SECONDS - start < KAFKA_READY_TIMEOUT)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$KAFKA_PID_FILE"
      kafka_explain_failure "Kafka exited during startup"
    fi
    if port_open "$KAFKA_PORT" && kafka_ready; then
      log "kafka: ready after $((SECONDS - start)) s (pid $pid)"
      return 0
    fi
    sleep 1
  done
  kafka_explain_failure "Kafka did not become ready within $KAFKA_READY_TIMEOUT s (pid $pid is still running; 'stack.sh down' stops it)"
}

kafka_down() { signal_part_down kafka Kafka "$KAFKA_PID_FILE" 60 10 "SIGTERM, up to 60 s" ""; }

kafka_status() {
  part_status kafka kafka_ready starting "not answering client requests" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"
}

# ----------------------------------------------------------------------------------------------
# PostgreSQL

PG_BIN=
PSQL=

find_pg_bin() {
  local want=${1:-} d
  if [[ -n $want && -x /usr/lib/postgresql/$want/bin/initdb ]]; then
    echo "/usr/lib/postgresql/$want/bin"
    return 0
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -V -r); do
    if [[ -x $d/initdb && -x $d/pg_ctl ]]; then
      [[ -z $want ]] || [[ $("$d"/pg_ctl --version | awk '{print $3}') == "$want"* ]] || continue
      echo "$d"
      return 0
    fi
  done
  # non-Debian layouts: initdb/pg_ctl on PATH
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    d=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    [[ -z $want ]] || [[ $("$d"/pg_ctl --version | awk '{print $3}') == "$want"* ]] || return 1
    echo "$d"
    return 0
  fi
  return 1
}

find_psql() {
  local d
  if [[ -n $PG_BIN && -x $PG_BIN/psql ]]; then
    echo "$PG_BIN/psql"
  elif d=$(find_pg_bin) && [[ -x $d/psql ]]; then
    echo "$d/psql"
  else
    command -v psql 2>/dev/null || true
  fi
}

# run a command as the PostgreSQL server user (postgres when we are root)
as_pg() {
  if is_root; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

ensure_pg_binaries() {
  local want=
  [[ -f $PG_DATA/PG_VERSION ]] && want=$(<"$PG_DATA/PG_VERSION")
  if ! PG_BIN=$(find_pg_bin "$want"); then
    if [[ -n $want ]] && find_pg_bin >/dev/null; then
      die "$PG_DATA was created by PostgreSQL $want, which is not installed: install it (apt-get install -y postgresql-$want) or, to start with an empty database, run 'stack.sh down' and delete $PG_DATA."
    fi
    apt_install "PostgreSQL (initdb/pg_ctl)" postgresql
    PG_BIN=$(find_pg_bin "$want") ||
      die "PostgreSQL was installed but initdb/pg_ctl were not found in /usr/lib/postgresql/*/bin: check the apt output in $STACK_DIR/apt.log."
  fi
  PSQL=$(find_psql)
  [[ -n $PSQL ]] || apt_install "psql (PostgreSQL client)" postgresql-client
  PSQL=$(find_psql)
}

pg_login_ok() {
  local psql=${PSQL:-$(find_psql)}
  [[ -n $psql ]] || return 1
  PGCONNECT_TIMEOUT=3 "$psql" -X -w -q -h "$HOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc 'select 1' >/dev/null 2>&1
}

pg_pid() {
  local pid
  [[ -f $PG_DATA/postmaster.pid ]] || return 1
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null) || return 1
  pid_matches "$pid" "$PG_DATA" || return 1
  echo "$pid"
}

pg_prepare_dirs() {
  mkdir -p "$STACK_DIR" "$PG_RUN"
  if is_root; then
    if ! id postgres >/dev/null 2>&1; then
      log "postgres: creating the 'postgres' system user (PostgreSQL refuses to run as root) ..."
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres ||
        die "could not create the 'postgres' system user: create it (useradd --system postgres) and re-run."
    fi
    resolve_pg_dirs # now that the postgres user exists (a fresh machine has just installed it)
    mkdir -p "$PG_RUN"
    mkdir -p "$PG_DATA"
    chown postgres: "$PG_DATA" "$PG_RUN"
    chmod 700 "$PG_DATA"
    chmod 755 "$PG_RUN"
    runuser -u postgres -- test -w "$PG_DATA" ||
      die "the 'postgres' user cannot reach $PG_DATA (a parent directory of STACK_DIR is not accessible to other users, e.g. /root): set STACK_DIR to a directory outside /root, e.g. STACK_DIR=/var/tmp/ecomlog-stack."
  else
    mkdir -p "$PG_DATA"
    chmod 700 "$PG_DATA"
  fi
  local sock="$PG_RUN/.s.PGSQL.$PGPORT"
  ((${#sock} < 100)) ||
    die "the PostgreSQL socket path $sock is too long for a unix socket (max ~100 bytes): set STACK_DIR to a shorter path."
}

pg_initdb_once() {
  [[ -f $PG_DATA/PG_VERSION ]] && return 0
  if [[ -n $(ls -A "$PG_DATA" 2>/dev/null) ]]; then
    die "$PG_DATA is not empty but is no PostgreSQL data directory: move it away or delete it, then re-run."
  fi
  log "postgres: initialising $PG_DATA (superuser '$PGUSER') ..."
  local pwfile
  pwfile=$(mktemp "$PG_RUN/.pw.XXXXXX")
  printf '%s\n' "$PGPASSWORD" >"$pwfile"
  is_root && chown postgres: "$pwfile"
  local locale=C
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' && locale=C.UTF-8
  if ! as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U "$PGUSER" --pwfile="$pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale="$locale" >"$PG_RUN/initdb.log" 2>&1; then
    rm -f "$pwfile"
    cat "$PG_RUN/initdb.log" >&2
    die "initdb failed (output above, also in $PG_RUN/initdb.log): fix the reported problem, delete $PG_DATA and re-run."
  fi
  rm -f "$pwfile"
  echo "include_if_exists = 'stack.conf'	# settings written by tools/stack/stack.sh" >>"$PG_DATA/postgresql.conf"
}

pg_write_conf() {
  cat >"$PG_DATA/stack.conf" <<EOF
# Generated by tools/stack/stack.sh on every 'up' - edit the script, not this file.
listen_addresses = '$HOST'
port = $PGPORT
unix_socket_directories = '$PG_RUN'
max_connections = 200
EOF
  is_root && chown postgres: "$PG_DATA/stack.conf"
  return 0
}

pg_create_databases() {
  local db exists
  for db in $STACK_DATABASES; do
    exists=$("$PSQL" -X -w -q -h "$HOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tAc \
      "select 1 from pg_database where datname = '$db'") ||
      die "could not query the databases on $HOST:$PGPORT as '$PGUSER': check the PostgreSQL log $PG_LOG."
    if [[ $exists != 1 ]]; then
      "$PSQL" -X -w -q -h "$HOST" -p "$PGPORT" -U "$PGUSER" -d postgres -c "create database \"$db\"" >/dev/null ||
        die "could not create database '$db' (is '$PGUSER' allowed to CREATE DATABASE?): check the message above."
      log "postgres: created database $db"
    fi
  done
}

pg_up() {
  local pid
  refuse_foreign postgres
  if pid=$(pg_pid); then
    ensure_pg_binaries
    if pg_login_ok; then
      log "postgres: already running (pid $pid) on $HOST:$PGPORT"
      pg_create_databases
      return 0
    fi
    die "the stack's PostgreSQL (pid $pid) is running but does not accept '$PGUSER' with PGPASSWORD on $HOST:$PGPORT: was it started with another PGPORT/PGUSER/PGPASSWORD? Run 'stack.sh down' and 'stack.sh up' with the same settings as before."
  fi
  ensure_pg_binaries
  stop_package_service postgres "$PGPORT" postgresql
  refuse_foreign postgres
  pg_prepare_dirs
  pg_initdb_once
  pg_write_conf
  log "postgres: starting $("$PG_BIN/postgres" --version | awk '{print $3}') on $HOST:$PGPORT ..."
  is_root && touch "$PG_LOG" && chown postgres: "$PG_LOG"
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 -s start 9>&-; then
    tail -n 30 "$PG_LOG" >&2 || true
    if grep -qs 'Address already in use' "$PG_LOG"; then
      die "PostgreSQL could not bind $HOST:$PGPORT: port $PGPORT is in use by another process; stop it or set PGPORT to a free port."
    fi
    die "PostgreSQL did not start (log lines above, full log $PG_LOG): fix the reported problem and re-run 'stack.sh up'."
  fi
  pg_login_ok || die "PostgreSQL started but login as '$PGUSER' on $HOST:$PGPORT failed: if PGUSER/PGPASSWORD changed since $PG_DATA was created, use the original values (or delete $PG_DATA after 'down')."
  log "postgres: ready (pid $(pg_pid || echo '?'))"
  pg_create_databases
}

pg_down() {
  local pid children
  if ! pid=$(pg_pid); then
    log "postgres: not running (or not started by this stack)"
    return 0
  fi
  children=$(pgrep -P "$pid" 2>/dev/null | tr '\n' ' ' || true)
  PG_BIN=$(find_pg_bin "$(cat "$PG_DATA/PG_VERSION" 2>/dev/null)") || PG_BIN=
  log "postgres: stopping pid $pid (pg_ctl stop -m fast) ..."
  if [[ -z $PG_BIN ]] || ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -s stop; then
    warn "postgres: pg_ctl stop failed; sending SIGQUIT (immediate shutdown)"
    kill -QUIT "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
  fi
  wait_pid_exit "$pid" 10 || die "PostgreSQL pid $pid is still running: stop it manually (kill -9 $pid)."
  local c
  for c in $children; do # backends/auxiliary processes exit with the postmaster; make sure
    wait_pid_exit "$c" 5 || kill -KILL "$c" 2>/dev/null || true
  done
  log "postgres: stopped"
}

pg_status() { part_status postgres pg_login_ok running "login as $PGUSER fails" "$PGPORT"; }

pg_psql() {
  local db=${1:-postgres}
  [[ $# -gt 0 ]] && shift
  PSQL=$(find_psql)
  [[ -n $PSQL ]] || die "psql not found: run 'stack.sh up' first (it installs PostgreSQL) or apt-get install -y postgresql-client."
  exec "$PSQL" -h "$HOST" -p "$PGPORT" -U "$PGUSER" -d "$db" "$@"
}

# ----------------------------------------------------------------------------------------------
# Redis

redis_cli() { redis-cli -h "$HOST" -p "$REDIS_PORT" "$@"; }

redis_ping() {
  command -v redis-cli >/dev/null 2>&1 || return 1
  [[ $(timeout 3 redis-cli -h "$HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
}

redis_pid() { pid_file_pid "$REDIS_PID_FILE" redis-server; }

ensure_redis_binaries() {
  command -v redis-server >/dev/null 2>&1 || apt_install "Redis (redis-server)" redis-server redis-tools
  command -v redis-cli >/dev/null 2>&1 || apt_install "redis-cli" redis-tools
}

redis_up() {
  local pid
  refuse_foreign redis
  if pid=$(redis_pid); then
    if redis_ping; then
      log "redis: already running (pid $pid) on $HOST:$REDIS_PORT"
      return 0
    fi
    die "the stack's Redis (pid $pid) does not answer PING on $HOST:$REDIS_PORT: run 'stack.sh down' and 'stack.sh up' (with the same REDIS_PORT as before)."
  fi
  rm -f "$REDIS_PID_FILE"
  ensure_redis_binaries
  stop_package_service redis "$REDIS_PORT" redis-server
  refuse_foreign redis
  mkdir -p "$REDIS_DIR"
  log "redis: starting $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on $HOST:$REDIS_PORT ..."
  if ! redis-server --daemonize yes --bind "$HOST" --port "$REDIS_PORT" --dir "$REDIS_DIR" \
    --appendonly yes --save '' --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_LOG" 9>&-; then
    die "redis-server failed to start: see $REDIS_LOG."
  fi
  local i
  for ((i = 0; i < 100; i++)); do
    redis_ping && break
    sleep 0.1
  done
  if ! redis_ping; then
    tail -n 30 "$REDIS_LOG" >&2 2>/dev/null || true
    if grep -qs 'Address already in use' "$REDIS_LOG"; then
      die "Redis could not bind $HOST:$REDIS_PORT: port $REDIS_PORT is in use; set REDIS_PORT to a free port."
    fi
    die "Redis did not answer PING within 10 s (log lines above, full log $REDIS_LOG): fix the reported problem and re-run."
  fi
  for ((i = 0; i < 50; i++)); do
    pid=$(redis_pid) && break
    sleep 0.1
  done
  log "redis: ready (pid ${pid:-?})"
}

redis_down() {
  signal_part_down redis Redis "$REDIS_PID_FILE" 30 5 "SIGTERM: flushes the AOF and exits" " (or not started by this stack)"
}

redis_status() { part_status redis redis_ping running "no PONG" "$REDIS_PORT"; }

# ----------------------------------------------------------------------------------------------
# commands

cmd_up() {
  validate_config
  take_lock
  local start=$SECONDS
  # all ports first, so that nothing is started when one of them is taken
  # shellcheck disable=SC2086 # a list of parts
  refuse_foreign $STACK_PARTS
  pg_up
  redis_up
  kafka_up
  # kcat: the Kafka client the docs show couriers using, and the tests' foreign producer.
  command -v kcat >/dev/null 2>&1 || apt_install "kcat (the Kafka command-line client)" kcat
  local -a dblist
  local dbs
  read -ra dblist <<<"$STACK_DATABASES"
  dbs=$(IFS=,; echo "${dblist[*]}")
  cat <<EOF

[stack] up in $((SECONDS - start)) s (state in $STACK_DIR)
  kafka     $HOST:$KAFKA_PORT            (bootstrap servers; KRaft controller on $HOST:$KAFKA_CONTROLLER_PORT)
  postgres  postgresql://$PGUSER:$PGPASSWORD@$HOST:$PGPORT/<db>   (local dev password; dbs: $dbs)
  redis     redis://$HOST:$REDIS_PORT
EOF
}

# parts named on the command line ($@), checked, in the order $1 (a list of all parts) gives
selected_parts() {
  local order=$1 part
  shift
  for part in "$@"; do
    [[ " $STACK_PARTS " == *" $part "* ]] || die "unknown part '$part': use kafka, postgres or redis."
  done
  for part in $order; do
    if (($# == 0)) || [[ " $* " == *" $part "* ]]; then echo "$part"; fi
  done
}

cmd_down() {
  local parts part
  parts=$(selected_parts "kafka redis postgres" "$@")
  take_lock
  for part in $parts; do
    case $part in
      kafka) kafka_down ;;
      redis) redis_down ;;
      postgres) pg_down ;;
    esac
  done
}

# Fault tests stop and start one component while the rest keeps running.
cmd_restart() {
  take_lock
  case ${1:-} in
    kafka) kafka_down; kafka_up ;;
    postgres) pg_down; pg_up ;;
    redis) redis_down; redis_up ;;
    *) die "restart needs a component: kafka, postgres or redis" ;;
  esac
}

cmd_status() {
  local rc=0 parts part
  parts=$(selected_parts "postgres redis kafka" "$@")
  for part in $parts; do
    case $part in
      postgres) pg_status || rc=1 ;;
      redis) redis_status || rc=1 ;;
      kafka) kafka_status || rc=1 ;;
    esac
  done
  return $rc
}

# the pid of this stack's process of one part (tools/test.sh: what ran before it started)
cmd_pid() {
  (($# == 1)) || die "usage: stack.sh pid kafka|postgres|redis"
  selected_parts "$STACK_PARTS" "$1" >/dev/null
  part_pid "$1"
}

cmd_logs() {
  local n=${1:-30} f
  for f in "$KAFKA_LOGS/server.log" "$KAFKA_LOGS/kafka.out" "$PG_LOG" "$REDIS_LOG"; do
    echo "===== $f ====="
    if [[ -f $f ]]; then tail -n "$n" "$f"; else echo "(not created yet)"; fi
  done
}

cmd_classpath() {
  case ${1:-tools} in
    broker)
      fetch_jars broker >&2
      echo "$KAFKA_LIBS/*"
      ;;
    tools)
      fetch_jars tools >&2
      echo "$KAFKA_TOOLS_LIBS/*"
      ;;
    *) die "usage: stack.sh classpath broker|tools" ;;
  esac
}

usage() {
  sed -n '2,/^set -euo pipefail/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
}

# PostgreSQL refuses to run as root, so as root it runs as the `postgres` user, which must be able
# to enter STACK_DIR. A checkout under a private directory (e.g. /root, mode 700) is not
# enterable: then its data lives in a postgres-owned directory named after STACK_DIR instead,
# so the same checkout always finds the same data.
resolve_pg_dirs() {
  is_root || return 0
  id postgres >/dev/null 2>&1 || return 0
  mkdir -p "$STACK_DIR"
  runuser -u postgres -- test -x "$STACK_DIR" 2>/dev/null && return 0
  local key
  key=$(printf '%s' "$STACK_DIR" | sha256sum | cut -c1-12)
  PG_DATA=/var/lib/ecomlog-stack/$key/postgres
  PG_RUN=/var/lib/ecomlog-stack/$key/postgres-run
  PG_LOG=$PG_RUN/postgres.log
  mkdir -p /var/lib/ecomlog-stack/"$key"
  chmod 755 /var/lib/ecomlog-stack /var/lib/ecomlog-stack/"$key"
  # so that another stack whose port this one holds can name its STACK_DIR (refuse_foreign)
  printf '%s\n' "$STACK_DIR" >/var/lib/ecomlog-stack/"$key"/stack-dir
  log "postgres: $STACK_DIR is private to root; its data lives in /var/lib/ecomlog-stack/$key"
}

main() {
  local cmd=${1:-}
  [[ $# -gt 0 ]] && shift
  case $cmd in up | down | restart | status | pid | psql | logs) resolve_pg_dirs ;; esac
  case $cmd in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    restart) cmd_restart "$@" ;;
    status) cmd_status "$@" ;;
    pid) cmd_pid "$@" ;;
    psql) pg_psql "$@" ;;
    logs) cmd_logs "$@" ;;
    classpath) cmd_classpath "$@" ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit 2 ;;
    *)
      echo "[stack] error: unknown command '$cmd': use up, down, restart, status, pid, psql, logs (see --help)." >&2
      exit 2
      ;;
  esac
}

main "$@"
