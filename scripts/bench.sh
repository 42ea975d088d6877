#!/usr/bin/env bash
# npm run bench -- <name> [args]: build and run bench/<name>.ts (as dist/bench/<name>.js).
# Without a name it lists the benchmarks. Our messages go to stderr; a benchmark's JSON goes to stdout
# (use `npm run --silent bench -- <name>` to keep npm's own banner out of stdout too).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$CAMBRIAN_ROOT"

available() {
  local f
  for f in bench/*.ts; do
    [[ -e "$f" && "$f" != *.d.ts && "$f" != *.spec.ts ]] || continue
    f="${f#bench/}"
    echo "${f%.ts}"
  done
}

names="$(available)"
if [[ $# -eq 0 ]]; then
  if [[ -z "$names" ]]; then
    say "no benchmarks yet (bench/*.ts is empty)"
  else
    say "usage: npm run bench -- <name> [args]; available benchmarks:"
    printf '  %s\n' $names >&2
  fi
  exit 0
fi

name="$1"
shift
if ! grep -qxF -- "$name" <<<"$names"; then
  die "unknown benchmark '$name'; available: $(echo ${names:-none})" 2
fi

ensure_node_modules
ensure_services
# the console's benchmark drives Debian's Chromium
[[ "$name" != console ]] || ensure_chromium
say "building (npm run build)"
npm run --silent build >&2 || die "the build failed (npm run build); fix the TypeScript errors above and run this again."
[[ -f "dist/bench/$name.js" ]] || die "dist/bench/$name.js was not built (is bench/ in tsconfig.build.json?)"
exec node "dist/bench/$name.js" "$@"
