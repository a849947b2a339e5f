#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL cluster: `scripts/with_postgres.sh make gates`.
#
# Starts a cluster of the installed server (15 preferred) as an unprivileged user on
# 127.0.0.1 and a free port, with a random password for a `motcua` role (CREATEDB) and a
# `motcua` database, exports TEST_DATABASE_URL, runs the command, then stops the cluster and
# removes its directory on every exit. Exit code = the command's. Shared by `make test` and
# `.ci/run` (scripts/system_deps.sh installs the server first).
set -euo pipefail

log() { printf '== postgres: %s\n' "$*"; }
die() { printf '== postgres: error: %s\n' "$*" >&2; exit 1; }

[ "$#" -gt 0 ] || die "usage: scripts/with_postgres.sh COMMAND [ARGS...]"

PG_BIN=""
for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
        PG_BIN="$dir"
        break
    fi
done
[ -n "$PG_BIN" ] || die "no PostgreSQL server under /usr/lib/postgresql/*/bin (scripts/system_deps.sh installs it)"

# PostgreSQL refuses to run as root: use the Debian package's `postgres` user, or a
# dedicated system user if that does not exist. Without root, run as ourselves.
if [ "$(id -u)" -eq 0 ]; then
    PG_USER=postgres
    if ! id "$PG_USER" >/dev/null 2>&1; then
        PG_USER=motcua-ci
        id "$PG_USER" >/dev/null 2>&1 \
            || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
    fi
    as_pg() { runuser -u "$PG_USER" -- "$@"; }
else
    PG_USER="$(id -un)"
    as_pg() { "$@"; }
fi

# Under /tmp, not $TMPDIR: the cluster user must be able to reach it.
PG_TMP="$(mktemp -d /tmp/motcua-pg.XXXXXX)"
PG_DATA="$PG_TMP/data"
PG_SOCK="$PG_TMP/sock"
mkdir -p "$PG_SOCK"
chown -R "$PG_USER" "$PG_TMP" 2>/dev/null || true
chmod 700 "$PG_TMP"

# shellcheck disable=SC2317  # invoked through trap
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -f "$PG_DATA/postmaster.pid" ]; then
        (cd "$PG_TMP" && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null 2>&1) \
            || true
        log "stopped"
    fi
    rm -rf "$PG_TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

PY="$(command -v python3.11 || command -v python3)"
PG_PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PG_PASSWORD="$("$PY" -c 'import secrets; print(secrets.token_hex(16))')"

log "starting $("$PG_BIN/postgres" --version) in $PG_TMP on 127.0.0.1:$PG_PORT (user $PG_USER)"
(
    cd "$PG_TMP"
    # Local socket: trust (only the cluster's owner can reach the 0700 directory);
    # TCP: passwords, so the test URL exercises real authentication.
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 --no-instructions \
        >"$PG_TMP/initdb.log" 2>&1 || { cat "$PG_TMP/initdb.log" >&2; exit 1; }
    # Durability is pointless for a cluster that is deleted in a few minutes.
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/server.log" -w -t 60 start -o \
        "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCK -c fsync=off \
         -c synchronous_commit=off -c full_page_writes=off -c max_connections=50" \
        >/dev/null || { cat "$PG_TMP/server.log" >&2; exit 1; }
) || die "PostgreSQL did not start"

for _ in $(seq 1 60); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
    sleep 0.5
done
"$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || die "PostgreSQL is not accepting connections"

(
    cd "$PG_TMP"
    as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U postgres \
        -d postgres -v pw="$PG_PASSWORD" <<'SQL'
CREATE ROLE motcua LOGIN CREATEDB PASSWORD :'pw';
CREATE DATABASE motcua OWNER motcua;
-- Bulk loads check foreign keys once per load instead of per row (docs/decisions/0003).
GRANT SET ON PARAMETER session_replication_role TO motcua;
SQL
) || die "could not create the motcua role and database"

export TEST_DATABASE_URL="postgres://motcua:${PG_PASSWORD}@127.0.0.1:${PG_PORT}/motcua"
log "ready: role motcua (CREATEDB, SET session_replication_role), database motcua"

status=0
"$@" || status=$?
exit "$status"
