#!/bin/sh
# Runs `npm ci` at the repository root unless node_modules is already installed from the current
# package.json / package-lock.json. Called by the MpcNpmCi target of Mpc.Contracts.csproj.
#
#   sh src/Mpc.Contracts/scripts/ensure-node-modules.sh REPO_ROOT LOCK_FILE
#
# Several builds may reach this at once (parallel project builds, two `dotnet` commands in one clone):
# they serialise on LOCK_FILE with flock, and whoever gets the lock second finds the stamp fresh and
# does nothing, so npm ci never runs twice at the same time in one node_modules.
# Error lines use MSBuild's canonical "error CODE: text" form so the build shows them as errors.
set -eu
root=$1
lock=$2
stamp="$root/node_modules/.mpc-npm-ci.stamp"

if ! command -v npm >/dev/null 2>&1; then
  echo "error MPC0001: npm was not found on PATH. Mpc.Contracts needs Node.js >= 20 with npm to install solc and anvil (package.json at the repository root). Install Node.js, or build with -p:MpcSkipNpmCi=true if node_modules is provided another way." >&2
  exit 1
fi

fresh() {
  [ -f "$stamp" ] && [ ! "$root/package-lock.json" -nt "$stamp" ] && [ ! "$root/package.json" -nt "$stamp" ]
}

mkdir -p "$(dirname "$lock")"
exec 9>"$lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi
if fresh; then
  exit 0
fi

cd "$root"
# No stdin in CI: npm ci never prompts; audit/fund only add network calls and noise.
if ! npm ci --no-audit --no-fund </dev/null; then
  echo "error MPC0002: 'npm ci' failed in $root (see the npm output above)." >&2
  exit 1
fi
touch "$stamp"
