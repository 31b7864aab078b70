#!/usr/bin/env bash
# Waits until the server answers with this release's version. It asks /version, not /health:
# whether the release is healthy is the separate health check's call, with its own retries and
# bake time.
set -euo pipefail
url="http://127.0.0.1:$SIGNET_HTTP_PORT/version"
for attempt in $(seq 1 100); do
  answer=$(curl --silent --noproxy '*' --max-time 2 "$url" || true)
  if [[ $answer == "$SIGNET_VERSION" ]]; then
    echo "web answers $answer at $url (attempt $attempt)"
    exit 0
  fi
  sleep 0.1
done
echo "web did not answer $SIGNET_VERSION at $url after 100 attempts (last: '${answer:-none}')" >&2
exit 1
