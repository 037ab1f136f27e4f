#!/usr/bin/env bash
# Make sure what the test suite talks to is there: PostgreSQL on 127.0.0.1:5432, Chromium and
# Dovecot (started by the tests themselves with their own configuration).
# As root on Debian it installs and starts what is missing; otherwise it says what to do.
set -euo pipefail

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
missing=()
is_root() { [ "$(id -u)" = 0 ]; }
apt_install() {
    if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_up() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h "$PG_HOST" -p "$PG_PORT"
    else
        (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null
    fi
}

if ! pg_up; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
            echo "Installing PostgreSQL…"
            apt_install postgresql
        fi
        version=$(ls /etc/postgresql | sort -V | tail -1)
        conf=/etc/postgresql/$version/main
        # Local test connections need no password.
        if ! grep -q "keepwell-test" "$conf/pg_hba.conf"; then
            sed -i '1i host all all 127.0.0.1/32 trust # keepwell-test' "$conf/pg_hba.conf"
        fi
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for _ in $(seq 30); do pg_up && break; sleep 0.5; done
    fi
    pg_up || missing+=("PostgreSQL on $PG_HOST:$PG_PORT (user postgres, no password): apt-get install postgresql")
fi

if ! command -v chromium >/dev/null 2>&1; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Chromium for the browser tests…"
        apt_install chromium
    fi
    command -v chromium >/dev/null 2>&1 || missing+=("Chromium at /usr/bin/chromium: apt-get install chromium")
fi

if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Dovecot for the IMAP tests…"
        apt_install dovecot-imapd
    fi
    [ -x /usr/sbin/dovecot ] || missing+=("Dovecot (IMAP server for the mail tests): apt-get install dovecot-imapd")
fi

if [ ${#missing[@]} -gt 0 ]; then
    echo "The test suite needs these, and they are missing:" >&2
    for m in "${missing[@]}"; do echo "  - $m" >&2; done
    exit 1
fi
