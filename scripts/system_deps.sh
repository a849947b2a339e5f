#!/usr/bin/env bash
# Install what a fresh Debian 12 machine lacks for `make test` (idempotent; does nothing when
# everything is there): a PostgreSQL server (15 preferred), Chromium + ChromeDriver (browser
# tests), LibreOffice Writer without GUI (DOCX -> PDF), poppler (pdftotext), nginx (the cluster
# test's load balancer), Liberation and
# DejaVu fonts, and Node/npm, make and Python 3.11 if missing. Shared by `make test` and
# `.ci/run`. As root it runs apt-get; otherwise through `sudo -n`, or it says what to install.
set -euo pipefail

log() { printf '== deps: %s\n' "$*"; }
die() { printf '== deps: error: %s\n' "$*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    SUDO=(false)
fi

pg_found() {
    local dir
    for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ] && return 0
    done
    return 1
}

missing=()
pg_found || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
# nginx: the load balancer of scripts/cluster.py (the two-server test, docs/deployment.md).
{ command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } || missing+=(nginx-light)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || missing+=(fonts-liberation)
dpkg-query -W -f='${Status}' fonts-dejavu-core 2>/dev/null | grep -q 'ok installed' \
    || missing+=(fonts-dejavu-core)
{ command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || missing+=(nodejs npm)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v python3.11 >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 \
    || missing+=(python3 python3-venv)

if [ "${#missing[@]}" -eq 0 ]; then
    log "system packages already present"
    exit 0
fi

log "installing Debian packages: ${missing[*]}"
"${SUDO[@]}" true 2>/dev/null || die "not root and no sudo: install ${missing[*]} by hand (apt-get install ...)"
apt_log="$(mktemp)"
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq \
    && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
        -o Dpkg::Use-Pty=0 "${missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 40 "$apt_log" >&2
    rm -f "$apt_log"
    die "apt-get failed"
fi
rm -f "$apt_log"
command -v soffice >/dev/null 2>&1 || die "soffice still missing after install"
pg_found || die "no PostgreSQL server under /usr/lib/postgresql/*/bin after install"
log "installed"
