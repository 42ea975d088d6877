#!/usr/bin/env bash
# Make sure Postgres and Redis answer at DATABASE_URL and REDIS_URL, starting them when they are local.
#
#   bash scripts/ensure-services.sh          (npm test, npm run demo and npm run bench call it too)
#
# Environment:
#   DATABASE_URL            default postgres://postgres@127.0.0.1:5432/cambrian
#   REDIS_URL               default redis://127.0.0.1:6379
#   CAMBRIAN_SERVICE_WAIT   seconds to wait for a service to answer after starting it (default 30)
#   CAMBRIAN_NO_INSTALL=1   never install packages with apt-get (fail with a message instead)
#   CAMBRIAN_PG_CLUSTER     Debian cluster name to start or create (default main)
#
# A service on another host is only checked. A local one (127.x, localhost, ::1) that does not answer
# is started, in this order:
#   1. a Docker engine that answers (`docker info`): docker compose up -d postgres redis
#   2. Debian: Postgres with pg_ctlcluster (installing the postgresql package and creating the cluster
#      when needed), Redis with redis-server --daemonize (installing redis-server when needed).
# For a local Postgres it also creates the database named in DATABASE_URL when it is missing.
# Exit status: 0 when both answer, 1 otherwise, with one message per service that does not.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cambrian}"
REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
WAIT="${CAMBRIAN_SERVICE_WAIT:-30}"
LOG="${TMPDIR:-/tmp}/cambrian-services.log"

say() { printf '[cambrian] %s\n' "$*" >&2; }

# Run a command with its output appended to $LOG.
logged() {
  printf '\n$ %s\n' "$*" >>"$LOG"
  "$@" >>"$LOG" 2>&1
}

SUDO=""
if [[ "$(id -u)" -ne 0 ]] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo"
fi
can_admin() { [[ "$(id -u)" -eq 0 || -n "$SUDO" ]]; }

# --- URLs -------------------------------------------------------------------------------------------

# parse_url URL -> U_SCHEME U_AUTH U_USER U_PASS U_HOST U_PORT U_HOSTPORT U_PATH U_QUERY
parse_url() {
  local rest="${1#*://}"
  U_SCHEME="${1%%://*}"
  U_QUERY=""
  [[ "$rest" == *\?* ]] && U_QUERY="?${rest#*\?}" && rest="${rest%%\?*}"
  U_PATH=""
  local authhost="$rest"
  if [[ "$rest" == */* ]]; then
    authhost="${rest%%/*}"
    U_PATH="${rest#*/}"
  fi
  U_AUTH=""
  U_HOSTPORT="$authhost"
  if [[ "$authhost" == *@* ]]; then
    U_AUTH="${authhost%@*}"
    U_HOSTPORT="${authhost##*@}"
  fi
  U_USER="${U_AUTH%%:*}"
  U_PASS=""
  [[ "$U_AUTH" == *:* ]] && U_PASS="${U_AUTH#*:}"
  if [[ "$U_HOSTPORT" == \[* ]]; then # [::1]:5432
    U_HOST="${U_HOSTPORT#\[}"
    U_HOST="${U_HOST%%\]*}"
    U_PORT="${U_HOSTPORT#*\]}"
    U_PORT="${U_PORT#:}"
  else
    U_HOST="${U_HOSTPORT%%:*}"
    U_PORT=""
    [[ "$U_HOSTPORT" == *:* ]] && U_PORT="${U_HOSTPORT##*:}"
  fi
  [[ -z "$U_HOST" ]] && U_HOST="localhost" # node-postgres and ioredis default to localhost over TCP
}

# The URL with any password replaced by ***, for messages.
redact() { sed -E 's#(://[^:/@]*:)[^@/]*@#\1***@#' <<<"$1"; }

percent_decode() { printf '%b' "${1//%/\\x}"; }

is_local_host() {
  case "$1" in
    localhost | 127.* | ::1) return 0 ;;
    *) return 1 ;;
  esac
}

tcp_open() { # host port
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# --- readiness --------------------------------------------------------------------------------------

PG_ANSWER=""
pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    PG_ANSWER="$(pg_isready -h "$PG_HOST" -p "$PG_PORT" -t 3 2>&1)"
    return $?
  fi
  tcp_open "$PG_HOST" "$PG_PORT" && PG_ANSWER="port open" && return 0
  PG_ANSWER="nothing listening"
  return 1
}

REDIS_ANSWER=""
redis_ready() {
  if [[ "$REDIS_SCHEME" == "redis" ]] && command -v redis-cli >/dev/null 2>&1; then
    local -a auth=()
    [[ -n "$REDIS_USER" ]] && auth+=(--user "$(percent_decode "$REDIS_USER")")
    [[ -n "$REDIS_PASS" ]] && auth+=(--pass "$(percent_decode "$REDIS_PASS")")
    REDIS_ANSWER="$(timeout 5 redis-cli --no-auth-warning -h "$REDIS_HOST" -p "$REDIS_PORT" "${auth[@]}" ping 2>&1 | head -n 1)"
    [[ "$REDIS_ANSWER" == "PONG" ]]
    return $?
  fi
  tcp_open "$REDIS_HOST" "$REDIS_PORT" && REDIS_ANSWER="port open" && return 0
  REDIS_ANSWER="nothing listening"
  return 1
}

wait_until() { # seconds check-function
  local deadline=$((SECONDS + $1))
  while ((SECONDS < deadline)); do
    "$2" && return 0
    sleep 1
  done
  "$2"
}

# --- ways to start ----------------------------------------------------------------------------------

docker_usable() {
  command -v docker >/dev/null 2>&1 || return 1
  timeout 15 docker info >/dev/null 2>&1 || return 1
  if docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  else
    return 1
  fi
}

compose_up() { # service
  [[ -f "$ROOT/docker-compose.yml" ]] || return 1
  # GITHUB_WEBHOOK_SECRETS, DIGEST_TOKEN_SECRETS and CAMBRIAN_SECRETS_KEY are required (`:?`) by the app
  # services of the compose file, and compose checks the whole file even when it starts only postgres
  # or redis: placeholders here, which neither of those reads.
  local -a env=(
    "POSTGRES_PORT=$PG_PORT" "POSTGRES_DB=${PG_DB:-cambrian}" "REDIS_PORT=$REDIS_PORT"
    "GITHUB_WEBHOOK_SECRETS=${GITHUB_WEBHOOK_SECRETS:-unused-by-postgres-and-redis}"
    "DIGEST_TOKEN_SECRETS=${DIGEST_TOKEN_SECRETS:-unused-by-postgres-and-redis}"
    "CAMBRIAN_SECRETS_KEY=${CAMBRIAN_SECRETS_KEY:-unused-by-postgres-and-redis}"
  )
  [[ -n "$PG_USER" ]] && env+=("POSTGRES_USER=$PG_USER")
  if [[ -n "$PG_PASS" ]]; then
    env+=("POSTGRES_PASSWORD=$(percent_decode "$PG_PASS")")
  else
    # DATABASE_URL carries no password: let the container trust connections (it publishes its port
    # on 127.0.0.1 only). Takes effect when the volume is first initialised.
    env+=("POSTGRES_HOST_AUTH_METHOD=trust")
  fi
  (cd "$ROOT" && logged env "${env[@]}" "${COMPOSE[@]}" up -d "$1")
}

is_debian() { [[ -f /etc/debian_version ]] && command -v apt-get >/dev/null 2>&1; }

APT_UPDATED=""
FAIL_REASON=""
apt_install() { # package
  if [[ "${CAMBRIAN_NO_INSTALL:-}" == "1" ]]; then
    FAIL_REASON="package $1 is not installed and CAMBRIAN_NO_INSTALL=1 forbids installing it"
    return 1
  fi
  if ! can_admin; then
    FAIL_REASON="package $1 is not installed and installing it needs root"
    return 1
  fi
  say "installing $1 with apt-get (log: $LOG)"
  if [[ -z "$APT_UPDATED" ]]; then
    if ! logged $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q; then
      FAIL_REASON="apt-get update failed (see $LOG)"
      return 1
    fi
    APT_UPDATED=1
  fi
  if ! logged $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$1"; then
    FAIL_REASON="apt-get install $1 failed (see $LOG)"
    return 1
  fi
}

# Allow passwordless TCP connections from this machine to a cluster that this script installed or
# created, as the machines this project is developed on do. Local development only.
pg_trust_local_tcp() { # version cluster
  local hba="/etc/postgresql/$1/$2/pg_hba.conf"
  [[ -f "$hba" ]] || return 0
  if grep -Eq '^[[:space:]]*host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    return 0
  fi
  local tmp
  tmp="$(mktemp)"
  {
    echo "# Added by Cambrian's scripts/ensure-services.sh for a local development run:"
    echo "# trust TCP connections from this machine. Not a production setting."
    echo "host    all             all             127.0.0.1/32            trust"
    echo "host    all             all             ::1/128                 trust"
    cat "$hba"
  } >"$tmp"
  $SUDO cp "$tmp" "$hba" && rm -f "$tmp"
  say "Configured $hba to trust TCP connections from 127.0.0.1 and ::1 (local development only)"
}

PG_STARTED=""
start_postgres_debian() {
  FAIL_REASON=""
  if ! can_admin; then
    FAIL_REASON="starting a Debian Postgres cluster needs root"
    return 1
  fi
  local fresh=""
  if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql || return 1
    fresh=1
  fi
  local ver name="${CAMBRIAN_PG_CLUSTER:-main}"
  ver="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [[ -z "$ver" ]] && ver="$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)"
  if [[ -z "$ver" ]]; then
    FAIL_REASON="no PostgreSQL version found under /etc/postgresql or /usr/lib/postgresql"
    return 1
  fi
  if [[ ! -f "/etc/postgresql/$ver/$name/postgresql.conf" ]]; then
    if ! logged $SUDO pg_createcluster --port "$PG_PORT" "$ver" "$name"; then
      FAIL_REASON="pg_createcluster $ver $name failed (see $LOG)"
      return 1
    fi
    say "Created Postgres cluster $ver/$name on port $PG_PORT"
    fresh=1
  fi
  local port
  port="$(pg_conftool -s "$ver" "$name" show port 2>/dev/null || echo 5432)"
  if [[ "$port" != "$PG_PORT" ]]; then
    FAIL_REASON="cluster $ver/$name is configured for port $port, not $PG_PORT (change DATABASE_URL, or set CAMBRIAN_PG_CLUSTER to a cluster on port $PG_PORT)"
    return 1
  fi
  [[ -n "$fresh" ]] && pg_trust_local_tcp "$ver" "$name"
  if $SUDO pg_ctlcluster "$ver" "$name" status >/dev/null 2>&1; then
    # Running but not answering on TCP (e.g. listen_addresses); a restart will not fix that.
    [[ -n "$fresh" ]] && logged $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload
    PG_STARTED="cluster $ver/$name (it was already running)"
    return 0
  fi
  if ! logged $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start; then
    FAIL_REASON="pg_ctlcluster $ver $name start failed (see $LOG and /var/log/postgresql/postgresql-$ver-$name.log)"
    return 1
  fi
  PG_STARTED="cluster $ver/$name"
}

start_redis_debian() {
  FAIL_REASON=""
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server || return 1
    # The package may have started its own server on the default port.
    [[ "$REDIS_PORT" == "6379" ]] && wait_until 3 redis_ready && return 0
  fi
  local dir=/var/lib/redis logdir=/var/log/redis
  if [[ "$(id -u)" -ne 0 ]]; then # run as this user, keeping files in the project's ignored folder
    dir="$ROOT/.cambrian/redis"
    logdir="$ROOT/.cambrian/redis"
  fi
  mkdir -p "$dir" "$logdir" || {
    FAIL_REASON="cannot create $dir or $logdir"
    return 1
  }
  local -a args=(--daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no
    --dir "$dir" --logfile "$logdir/cambrian.log")
  [[ -n "$REDIS_PASS" ]] && args+=(--requirepass "$(percent_decode "$REDIS_PASS")")
  if ! logged redis-server "${args[@]}"; then
    FAIL_REASON="redis-server failed to start (see $LOG and $logdir/cambrian.log)"
    return 1
  fi
  REDIS_STARTED="redis-server on 127.0.0.1:$REDIS_PORT (nothing kept on disk; log $logdir/cambrian.log)"
}

# --- per service ------------------------------------------------------------------------------------

parse_url "$DATABASE_URL"
PG_HOST="$U_HOST" PG_PORT="${U_PORT:-5432}" PG_USER="$U_USER" PG_PASS="$U_PASS" PG_DB="$U_PATH"
PG_BASE="$U_SCHEME://${U_AUTH:+$U_AUTH@}$U_HOSTPORT"
PG_QUERY="$U_QUERY"
parse_url "$REDIS_URL"
REDIS_SCHEME="$U_SCHEME" REDIS_HOST="$U_HOST" REDIS_PORT="${U_PORT:-6379}" REDIS_USER="$U_USER" REDIS_PASS="$U_PASS"

FAILED=0
fail() { # service url what-to-do
  say "$1 is not reachable at $(redact "$2"): $3"
  FAILED=1
}

# Create the database named in DATABASE_URL when it is missing (local servers only).
ensure_database() {
  [[ -z "$PG_DB" ]] && return 0
  command -v psql >/dev/null 2>&1 || return 0
  local db out
  db="$(percent_decode "$PG_DB")"
  if ! out="$(PGCONNECT_TIMEOUT=5 psql "$PG_BASE/postgres$PG_QUERY" -v ON_ERROR_STOP=1 -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '${db//\'/\'\'}'" 2>&1)"; then
    say "Postgres answers at $(redact "$DATABASE_URL") but refused the connection: ${out//$'\n'/ }"
    say "Fix the user or password in DATABASE_URL (or the server's pg_hba.conf) and run this again."
    FAILED=1
    return 1
  fi
  if [[ "$out" != "1" ]]; then
    if out="$(psql "$PG_BASE/postgres$PG_QUERY" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"${db//\"/\"\"}\"" 2>&1)"; then
      say "Created database $db"
    else
      say "Database $db does not exist and could not be created: ${out//$'\n'/ }"
      FAILED=1
      return 1
    fi
  fi
}

ensure_postgres() {
  local url="$DATABASE_URL" how=""
  pg_ready && return 0
  if ! is_local_host "$PG_HOST"; then
    fail Postgres "$url" "it does not answer (${PG_ANSWER:-no answer}), and $PG_HOST is not this machine, so it is not started here. Start that server or point DATABASE_URL at one that runs."
    return 1
  fi
  if tcp_open "$PG_HOST" "$PG_PORT"; then # something listens: maybe still starting up
    wait_until "$WAIT" pg_ready && return 0
    fail Postgres "$url" "something listens on $PG_HOST:$PG_PORT but does not answer as Postgres ($PG_ANSWER). Check what owns that port."
    return 1
  fi

  if docker_usable; then
    if compose_up postgres && wait_until "$WAIT" pg_ready; then
      say "Postgres was not running; started it with '${COMPOSE[*]} up -d postgres'"
      return 0
    fi
    say "'${COMPOSE[*]} up -d postgres' did not bring Postgres up (see $LOG); trying the system's packages"
  fi
  if is_debian; then
    if start_postgres_debian; then
      if wait_until "$WAIT" pg_ready; then
        say "Postgres was not running; started $PG_STARTED"
        return 0
      fi
      FAIL_REASON="started $PG_STARTED but it did not answer within ${WAIT}s ($PG_ANSWER); see /var/log/postgresql/"
    fi
    fail Postgres "$url" "$FAIL_REASON. Start Postgres yourself (e.g. 'pg_ctlcluster <version> main start' or 'docker compose up -d postgres') or point DATABASE_URL at a running server."
    return 1
  fi
  fail Postgres "$url" "no Docker engine answers and this is not a Debian machine. Start Postgres 15 yourself (e.g. 'docker compose up -d postgres' or your package manager's service) or point DATABASE_URL at a running server."
  return 1
}

REDIS_STARTED=""
ensure_redis() {
  local url="$REDIS_URL"
  redis_ready && return 0
  if ! is_local_host "$REDIS_HOST"; then
    fail Redis "$url" "it does not answer (${REDIS_ANSWER:-no answer}), and $REDIS_HOST is not this machine, so it is not started here. Start that server or point REDIS_URL at one that runs."
    return 1
  fi
  if tcp_open "$REDIS_HOST" "$REDIS_PORT"; then
    wait_until "$WAIT" redis_ready && return 0
    fail Redis "$url" "something listens on $REDIS_HOST:$REDIS_PORT but does not answer PING with PONG (it said: ${REDIS_ANSWER:-nothing}). Check the password in REDIS_URL or what owns that port."
    return 1
  fi

  if docker_usable; then
    if compose_up redis && wait_until "$WAIT" redis_ready; then
      say "Redis was not running; started it with '${COMPOSE[*]} up -d redis'"
      return 0
    fi
    say "'${COMPOSE[*]} up -d redis' did not bring Redis up (see $LOG); trying the system's packages"
  fi
  if is_debian || command -v redis-server >/dev/null 2>&1; then
    if start_redis_debian; then
      if wait_until "$WAIT" redis_ready; then
        say "Redis was not running; started ${REDIS_STARTED:-the packaged redis-server}"
        return 0
      fi
      FAIL_REASON="started ${REDIS_STARTED:-redis-server} but it did not answer within ${WAIT}s (${REDIS_ANSWER:-no answer})"
    fi
    fail Redis "$url" "$FAIL_REASON. Start Redis yourself (e.g. 'redis-server --daemonize yes --port $REDIS_PORT' or 'docker compose up -d redis') or point REDIS_URL at a running server."
    return 1
  fi
  fail Redis "$url" "no Docker engine answers and redis-server is not installed. Start Redis 7 yourself (e.g. 'docker compose up -d redis') or point REDIS_URL at a running server."
  return 1
}

if ensure_postgres && is_local_host "$PG_HOST"; then
  ensure_database
fi
ensure_redis
exit "$FAILED"
