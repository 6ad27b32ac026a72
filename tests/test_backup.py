"""The backup procedure of docs/backups.md, end to end: a `pg_dump` of a database holding the demo
restores into a fresh database with every table's row count equal and every stored figure the
same. PostgreSQL only (CI has it); the databases are made and dropped here, outside the test
database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import environ

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
TABLES = """SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"""
FIGURES = """SELECT md5(string_agg(concat_ws('|', indicator_id, round_id, unit_id, group_id,
                                           value, provisional), ',' ORDER BY id))
             FROM indicators_indicatorvalue"""


def _run(*args, env=None) -> str:
    done = subprocess.run(  # noqa: S603 (fixed programs and arguments)
        list(args), capture_output=True, text=True, env=env, check=False, timeout=600
    )
    assert done.returncode == 0, f"{args[0]}: {done.stderr[-2000:]}"
    return done.stdout


def _psql(server: dict, db: str, sql: str) -> str:
    return _run(
        "psql", "-h", server["HOST"], "-p", str(server["PORT"] or 5432), "-U", server["USER"],
        "-d", db, "-tAc", sql,
    ).strip()  # fmt: skip


def _counts(server: dict, db: str) -> dict[str, int]:
    tables = _psql(server, db, TABLES).split()
    return {t: int(_psql(server, db, f'SELECT count(*) FROM "{t}"')) for t in tables}  # noqa: S608


def test_a_dump_of_the_demo_restores_with_every_count_equal(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    require(url.startswith("postgres"), "the backup procedure is PostgreSQL's (DATABASE_URL)")
    require(shutil.which("pg_dump") is not None, "pg_dump is not installed")
    server = environ.Env.db_url_config(url)
    suffix = uuid.uuid4().hex[:8]
    source, restored = f"backup_src_{suffix}", f"backup_dst_{suffix}"
    conn = ["-h", server["HOST"], "-p", str(server["PORT"] or 5432), "-U", server["USER"]]
    dump = tmp_path / "portal.dump"
    base = url.rsplit("/", 1)[0]
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")},
        "DATABASE_URL": f"{base}/{source}",
        "DEMO_PASSWORD": "demo-mat-khau-1",
    }
    try:
        _run("createdb", *conn, source)
        manage = [sys.executable, str(ROOT / "manage.py")]
        _run(*manage, "migrate", "--noinput", "-v0", env=env)
        _run(*manage, "seed_demo", "--households", "150", env=env)
        _run("pg_dump", *conn, "--format=custom", "--no-owner", "-f", str(dump), source)
        _run("createdb", *conn, restored)
        _run("pg_restore", *conn, "--no-owner", "--exit-on-error", "-d", restored, str(dump))
        before, after = _counts(server, source), _counts(server, restored)
        assert before == after
        assert before["households_household"] == 150 and before["indicators_indicatorvalue"] > 0
        assert _psql(server, source, FIGURES) == _psql(server, restored, FIGURES)
        # the restored database is one the portal starts on: nothing left to migrate
        check = {**env, "DATABASE_URL": f"{base}/{restored}"}
        _run(*manage, "migrate", "--check", env=check)
    finally:
        for db in (source, restored):
            dropdb = [shutil.which("dropdb") or "/usr/bin/dropdb", *conn, "--if-exists", db]
            subprocess.run(dropdb, capture_output=True, check=False)  # noqa: S603
