#!/usr/bin/env bash
# npm run demo: install dependencies if needed, make sure Postgres and Redis answer, build, then hand
# over to the CLI's demo command. Extra arguments go to it: npm run demo -- --help
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAMBRIAN_ROOT"

ensure_data
ensure_node_modules
ensure_services
say "building (npm run build: the apps and the console)"
npm run --silent build || die "the build failed (npm run build); fix the TypeScript errors above and run this again."
main="dist/apps/cli/src/main.js"
[[ -f "$main" ]] || die "$main was not built: apps/cli/src/main.ts is missing, so there is no demo command yet."
exec node "$main" demo "$@"
