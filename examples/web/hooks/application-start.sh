#!/usr/bin/env bash
# Starts the server detached from the Signet command: its own session, stdin from /dev/null and
# output to a log file. Inheriting the command's stdout would make the SSM agent wait for the
# server to exit before reporting the command done.
set -euo pipefail
log_file="$SIGNET_RUN_DIR/web.log"
setsid nohup node server.js </dev/null >>"$log_file" 2>&1 &
echo "$!" >"$SIGNET_RUN_DIR/web.pid"
echo "started web $SIGNET_VERSION (pid $!) on port $SIGNET_HTTP_PORT; log: $log_file"
