# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Source it; do not run it.
#
#   say "message"          print "[cambrian] message" on stderr (stdout stays free for JSON etc.)
#   die "message" [code]   say the message and exit non-zero
#   ensure_node_modules    run `npm ci` when node_modules is missing or older than package-lock.json
#   ensure_services        make sure Postgres and Redis answer (scripts/ensure-services.sh)
#   ensure_chromium        install Debian's chromium (and CJK fonts) when missing: the console's
#                          end-to-end test drives it (never a downloaded browser)
#
# Environment honoured: DATABASE_URL, REDIS_URL (see ensure-services.sh), CAMBRIAN_SKIP_SERVICES=1
# (do not check or start services), CI (npm and Jest stay non-interactive either way).

CAMBRIAN_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CAMBRIAN_ROOT

say() {
  printf '[cambrian] %s\n' "$*" >&2
}

die() {
  say "$1"
  exit "${2:-1}"
}

check_node() {
  command -v node >/dev/null 2>&1 ||
    die "Node.js is not installed. Install Node.js 20 (see .nvmrc; e.g. 'nvm install') and run this again."
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  if [[ "$major" -lt 20 ]]; then
    die "Node.js $(node --version) is too old: Cambrian needs Node.js 20.19 or newer (see .nvmrc)."
  fi
}

ensure_node_modules() {
  check_node
  local root="$CAMBRIAN_ROOT" reason=""
  if [[ ! -d "$root/node_modules" ]]; then
    reason="node_modules is missing"
  elif [[ ! -f "$root/node_modules/.package-lock.json" ]]; then
    reason="node_modules was not installed by npm from the lock file"
  elif [[ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]]; then
    reason="package-lock.json changed since the last install"
  fi
  [[ -z "$reason" ]] && return 0

  command -v npm >/dev/null 2>&1 ||
    die "npm is not installed (it comes with Node.js 20). Install Node.js 20 with npm and run this again."
  say "$reason; running npm ci (one to two minutes)"
  local rc=0
  (cd "$root" && npm ci --no-audit --no-fund >&2) || rc=$?
  if [[ "$rc" -ne 0 ]]; then
    die "npm ci failed (exit $rc). Check that the npm registry ($(npm config get registry 2>/dev/null || echo '?')) is reachable and that package.json and package-lock.json agree (npm ci refuses a stale lock file; run 'npm install' to refresh it), then run 'npm ci' by hand." "$rc"
  fi
}

ensure_services() {
  if [[ "${CAMBRIAN_SKIP_SERVICES:-}" == "1" ]]; then
    say "CAMBRIAN_SKIP_SERVICES=1: not checking Postgres and Redis"
    return 0
  fi
  bash "$CAMBRIAN_ROOT/scripts/ensure-services.sh"
}

ensure_chromium() {
  local missing=()
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  # the console's Chinese pages need a CJK font to be legible (screenshots included)
  if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=zh 2>/dev/null | grep -q .; then missing+=(fonts-noto-cjk); fi
  [[ "${#missing[@]}" -eq 0 ]] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    die "Missing ${missing[*]} and no apt-get here: install Chromium at /usr/bin/chromium (the console's end-to-end test drives it)."
  local sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  say "installing ${missing[*]} (Debian packages) for the console's end-to-end test"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2 ||
    { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; } ||
    die "apt-get could not install ${missing[*]}; install them by hand (apt-get install -y ${missing[*]})."
}

# The real RWKV export the demo and the tests read: CAMBRIAN_DATA_DIR, or ../shared/data/rwkv beside this
# checkout (as apps/cli/src/demo/project-paths.ts resolves it). Checked first, so that a clone elsewhere
# hears it at once rather than after the install and the build.
ensure_data() {
  local dir
  dir="$(cd "$CAMBRIAN_ROOT" && realpath -m "${CAMBRIAN_DATA_DIR:-../shared/data/rwkv}")"
  [[ -f "$dir/_export_meta.jsonl" ]] || die "no RWKV data at $dir (no _export_meta.jsonl there). This checkout does not sit beside shared/: run again with CAMBRIAN_DATA_DIR=/path/to/shared/data/rwkv (README, first lines)."
}
