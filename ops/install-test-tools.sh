#!/usr/bin/env bash
# Installs what the integration tests drive, if missing (Debian): Chromium and ChromeDriver for the
# dashboard test, CJK fonts for its Chinese page, promtool for the alert-rule tests, kubectl for the
# kustomize overlays. The JDK, Maven and everything from Maven Central are the build's own.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
fc-list 2>/dev/null | grep -qi "wenquanyi\|noto sans cjk" || need+=(fonts-wqy-zenhei)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q "${need[@]}"
fi
# The AsyncAPI CLI that validates asyncapi/gateway.yaml (AsyncApiContractIT), from the npm registry
# into .tools/ (not committed), pinned.
if ! command -v npm >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q nodejs npm
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$here/.tools/asyncapi/node_modules/.bin/asyncapi" ]; then
  npm install --prefix "$here/.tools/asyncapi" --no-audit --no-fund --loglevel=error @asyncapi/cli@6.2.0
fi
# The WebSocket package Node runs the gateway's JavaScript client with (DrainIT), pinned.
if [ ! -f "$here/.tools/node/node_modules/ws/wrapper.mjs" ]; then
  npm install --prefix "$here/.tools/node" --no-audit --no-fund --loglevel=error ws@8.23.0
fi
