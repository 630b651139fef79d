#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback (port 54329) for the feedback store's tests and prints its
# JDBC URL. Installs Debian's postgresql first when the machine lacks it. PostgreSQL refuses to run as
# root, so the server runs as the postgres user the package creates.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  (apt-get install -y -q postgresql || (apt-get update -q && apt-get install -y -q postgresql)) >&2
fi
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
data=/tmp/conduit-ci-pg
if [ -f "$data/postmaster.pid" ]; then
  runuser -u postgres -- "$bin/pg_ctl" -D "$data" -m immediate stop >&2 || true
fi
rm -rf "$data"
mkdir -p "$data"
chown postgres "$data"
runuser -u postgres -- "$bin/initdb" -D "$data" -A trust -U postgres >&2
runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" \
  -o "-c listen_addresses=127.0.0.1 -p 54329 -k /tmp" -w start >&2
echo "jdbc:postgresql://127.0.0.1:54329/postgres?user=postgres"
