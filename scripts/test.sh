#!/usr/bin/env bash
# npm test: install dependencies if needed, make sure Postgres and Redis answer, then lint, typecheck
# and run Jest. Extra arguments go to Jest: npm test -- libs/members  or  npm test -- -t 'stage'.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAMBRIAN_ROOT"

stage() { # name command...
  local name="$1" rc=0
  shift
  say "== $name"
  ( "$@" ) || rc=$? # a subshell, so that a helper that exits still gets its stage named
  if [[ "$rc" -ne 0 ]]; then
    say "FAILED at stage '$name' (exit $rc)"
    exit "$rc"
  fi
}

stage "data (the RWKV export)" ensure_data
stage "dependencies (npm ci if needed)" ensure_node_modules
stage "services (Postgres, Redis)" ensure_services
stage "chromium (for the console's end-to-end test)" ensure_chromium
stage "lint (eslint)" npm run --silent lint
stage "typecheck (tsc --noEmit)" npm run --silent typecheck
# the process tests (a worker killed with SIGKILL, graceful shutdown) run the compiled apps in dist/
stage "build (tsc and the console, for the process and console tests)" npm run --silent build
stage "console components (vitest)" npm run --silent test:console
# Jest also writes its results as JSON (kept, for reading failures later), from which the plain closing
# line "jest: N passed, N failed, N skipped" is printed (CI reads that line to tell that tests ran).
results="$(mktemp "${TMPDIR:-/tmp}/cambrian-jest.XXXXXX.json")"
summary() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
  ' "$results" 2>/dev/null || true
}
rc=0
say "== tests (jest)"
npm run --silent jest -- --ci --json --outputFile="$results" "$@" || rc=$?
summary
# a run stopped before Jest wrote its results leaves the file empty: name it only when it holds them
[[ -s "$results" ]] && say "Jest's results as JSON: $results"
if [[ "$rc" -ne 0 ]]; then
  say "FAILED at stage 'tests (jest)' (exit $rc)"
  exit "$rc"
fi
say "all stages passed: dependencies, services, chromium, lint, typecheck, build, console components, tests"
