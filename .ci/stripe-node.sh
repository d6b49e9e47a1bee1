#!/usr/bin/env bash
# stripe-node (stripe@latest from npm, its default API version) against the local server jar, which `mvn package`
# has built (.ci/run builds it first): clients/node/check.mjs, including the README's stripe-node snippet.
# Skipped, not failed, where node or npm is not installed. Nothing is written into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "== stripe-node check skipped: $tool is not installed"
    exit 0
  fi
done
jar=local/target/files-api-local.jar
if [[ ! -f $jar ]]; then
  echo "$jar is missing: run mvn -B -q -DskipTests package first" >&2
  exit 1
fi

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== stripe-node check: npm install stripe@latest (node $(node --version))"
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error stripe@latest >/dev/null)
echo "installed stripe $(node -p "require('$work/node_modules/stripe/package.json').version")"

random() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
key="sk_test_$(random 12)"
account="acct_$(random 8)"
# A free loopback port: the OS picks one, it is released, and the server binds it right after.
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
base="http://localhost:$port"

FILES_API_KEYS="$key:$account" java -jar "$jar" --port "$port" >"$work/server.log" 2>&1 &
server_pid=$!
deadline=$((SECONDS + 60))
until node -e "fetch('$base/v1/files').then(r => process.exit(r.status === 401 ? 0 : 1), () => process.exit(1))"; do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "the local server exited before answering:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  if ((SECONDS >= deadline)); then
    echo "the local server did not answer $base within 60 s:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "local server on $base (pid $server_pid)"

# ES modules resolve 'stripe' from the importing file's folder (NODE_PATH does not apply), so the check runs from
# the folder stripe was installed in.
cp clients/node/check.mjs "$work/check.mjs"
status=0
FILES_API_BASE="$base" FILES_API_KEY="$key" FILES_API_README="$repo/README.md" node "$work/check.mjs" || status=$?
if ((status != 0)); then
  echo "stripe-node check failed; the server's log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit "$status"
