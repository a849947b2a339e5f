"""`motcua backup` and `motcua restore`: the database and the uploaded files, verified.

A backup is a directory:

- `database.sqlite3` (SQLite, written with the online backup API while motcua runs) or
  `database.pgdump` (PostgreSQL, `pg_dump -Fc` of the same major version as the server);
- `media/…`: every uploaded file under `MEDIA_ROOT`, at the same relative path;
- `manifest.json`, written last: motcua's version, the applied migrations, the database vendor
  and server version, the creation instant, and every file above with its size and SHA-256.

Restore checks everything before it touches anything: the manifest, every checksum, the
vendor, the PostgreSQL major version, migrations the code does not know, and an empty target
(unless `force`). Then it stages the files, replaces the database in one transaction
(SQLite backup API; PostgreSQL `pg_restore` into `psql --single-transaction`) and swaps the
staged files in. docs/installation.md describes the procedure.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
MEDIA_DIR = "media"
# Tables `motcua migrate` (or the dossiers' triggers) fill by themselves: rows there do not
# make a database "in use".
SEEDED_TABLES = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "sqlite_sequence",
        "workcalendar_calendarentry",  # the holidays a data migration loads
        # Derived from the dossiers by triggers (motcua/stats/rollup.py): deleting the dossiers
        # leaves rows of zero counts behind, and a restore replaces it with the backup's own.
        "stats_dossierrollup",
        # Change tokens, written by migrations and triggers (motcua/audit/stamps.py).
        "audit_changestamp",
    }
)
_CHUNK = 1024 * 1024
WORK_PREFIX = ".motcua-"  # a restore's working directories inside MEDIA_ROOT, never backed up


class BackupProblem(Exception):
    """A backup or restore refused or failed; the message is Vietnamese / English."""


@dataclass
class Summary:
    """What a backup or restore did, for the command's last line."""

    directory: Path
    vendor: str
    files: int
    media_bytes: int
    pending_migrations: int = 0

    def __str__(self) -> str:
        text = (
            f"{self.directory}: cơ sở dữ liệu {self.vendor}, {self.files} tệp tải lên "
            f"({self.media_bytes:,} byte) / database {self.vendor}, {self.files} uploaded files"
        )
        if self.pending_migrations:
            text += (
                f"\ncòn {self.pending_migrations} migration chưa áp dụng: chạy `motcua migrate` "
                f"/ {self.pending_migrations} migrations to apply: run `motcua migrate`"
            )
        return text


def _problem(vi: str, en: str) -> BackupProblem:
    return BackupProblem(f"{vi} / {en}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(root: Path, path: Path) -> dict[str, Any]:
    return {
        "path": path.relative_to(root).as_posix(),
        "size": path.stat().st_size,
        "sha256": _sha256(path),
    }


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> list[Path]:
    """Every regular file under `root` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if not (Path(dirpath) == root and d.startswith(WORK_PREFIX))
        )
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


# --- PostgreSQL tools ----------------------------------------------------------------------


def _pg_major(connection: Any) -> int:
    connection.ensure_connection()
    return int(connection.pg_version) // 10000


def _pg_tool(name: str, major: int) -> str:
    """The `name` binary of the server's major version: Debian's versioned dir, then PATH."""
    candidates = [Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            out = subprocess.run(
                [str(candidate), "--version"], capture_output=True, text=True, check=False
            ).stdout
            match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
            if match and int(match.group(1)) == major:
                return str(candidate)
    raise _problem(
        f"không tìm thấy {name} của PostgreSQL {major} (cùng phiên bản chính với máy chủ); "
        f"cài gói postgresql-client-{major}",
        f"no {name} of PostgreSQL {major} (the server's major version) found; "
        f"install postgresql-client-{major}",
    )


def _pg_env(connection: Any) -> tuple[dict[str, str], list[str]]:
    """Environment (password) and connection arguments for the PostgreSQL tools."""
    conf = connection.settings_dict
    env = dict(os.environ)
    if conf.get("PASSWORD"):
        env["PGPASSWORD"] = str(conf["PASSWORD"])
    args = []
    if conf.get("HOST"):
        args += ["--host", str(conf["HOST"])]
    if conf.get("PORT"):
        args += ["--port", str(conf["PORT"])]
    if conf.get("USER"):
        args += ["--username", str(conf["USER"])]
    return env, args


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = done.stderr.strip()[-2000:]
        raise BackupProblem(f"{what} thất bại / {what} failed\n{detail}")


# --- backup --------------------------------------------------------------------------------


def create_backup(out: Path | str, *, using: str = "default") -> Summary:
    """Write a backup of the database `using` and of MEDIA_ROOT into the new directory `out`."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise _problem(
            f"{out} đã có và không trống: chọn một thư mục mới",
            f"{out} exists and is not empty: choose a new directory",
        )
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise _problem(
            f"không sao lưu được cơ sở dữ liệu {vendor}", f"cannot back up a {vendor} database"
        )
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)  # personal data: the owner only
    connection.ensure_connection()
    applied = sorted(
        f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
    )
    database: dict[str, Any] = {"vendor": vendor}
    if vendor == "sqlite":
        target = out / SQLITE_FILE
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # the online backup API
        finally:
            destination.close()
        database |= {"file": SQLITE_FILE, "server_version": sqlite3.sqlite_version}
    else:
        major = _pg_major(connection)
        target = out / PG_FILE
        env, args = _pg_env(connection)
        _run(
            [
                _pg_tool("pg_dump", major),
                "--format=custom",
                "--no-owner",
                "--no-acl",
                "--file",
                str(target),
                *args,
                "--dbname",
                str(connection.settings_dict["NAME"]),
            ],
            env,
            "pg_dump",
        )
        database |= {"file": PG_FILE, "server_major": major}
    files = [_entry(out, target)]
    media_bytes = 0
    root = _media_root()
    for source in _media_files(root):
        copy = out / MEDIA_DIR / source.relative_to(root)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
        files.append(_entry(out, copy))
        media_bytes += files[-1]["size"]
    from motcua import __version__

    manifest = {
        "format": FORMAT,
        "motcua_version": __version__,
        "created_at": timezone.now().isoformat(),
        "database": database,
        "migrations": applied,
        "files": files,
    }
    partial = out / f".{MANIFEST}.part"
    partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")
    partial.replace(out / MANIFEST)  # the manifest appears last, whole
    return Summary(out, vendor, len(files) - 1, media_bytes)


# --- restore -------------------------------------------------------------------------------


def read_manifest(directory: Path | str) -> dict[str, Any]:
    """The backup's manifest after every listed file's size and SHA-256 was checked."""
    directory = Path(directory)
    path = directory / MANIFEST
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise _problem(
            f"{directory} không phải bản sao lưu hoàn chỉnh (thiếu {MANIFEST})",
            f"{directory} is not a complete backup ({MANIFEST} is missing)",
        ) from None
    except (OSError, ValueError):
        raise _problem(
            f"{path} không đọc được", f"{path} cannot be read (not valid JSON)"
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _problem(
            f"{path}: định dạng bản sao lưu không được hỗ trợ",
            f"{path}: unsupported backup format",
        )
    root = directory.resolve()
    for item in manifest.get("files", []):
        rel = str(item.get("path", ""))
        target = (directory / rel).resolve()
        if not rel or root not in target.parents:
            raise _problem(f"đường dẫn không hợp lệ: {rel!r}", f"invalid path: {rel!r}")
        if not target.is_file():
            raise _problem(f"thiếu tệp {rel}", f"file {rel} is missing")
        if target.stat().st_size != item.get("size") or _sha256(target) != item.get("sha256"):
            raise _problem(
                f"tệp {rel} không khớp mã kiểm tra SHA-256 (bản sao lưu hỏng hoặc bị sửa)",
                f"file {rel} does not match its SHA-256 (the backup is damaged or altered)",
            )
    return manifest


def _in_use(connection: Any) -> list[str]:
    """Tables holding rows other than those `migrate` writes itself."""
    busy = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in SEEDED_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                busy.append(table)
    return busy


def _check_target(manifest: dict[str, Any], connection: Any, *, force: bool) -> None:
    database = manifest.get("database") or {}
    if database.get("vendor") != connection.vendor:
        raise _problem(
            f"bản sao lưu là cơ sở dữ liệu {database.get('vendor')}, đích là "
            f"{connection.vendor}: không khôi phục chéo",
            f"the backup is a {database.get('vendor')} database, the target is "
            f"{connection.vendor}: restore into the same kind of database",
        )
    if connection.vendor == "postgresql":
        major = _pg_major(connection)
        if database.get("server_major") != major:
            raise _problem(
                f"bản sao lưu từ PostgreSQL {database.get('server_major')}, máy chủ đích là "
                f"PostgreSQL {major}: cần cùng phiên bản chính",
                f"the backup comes from PostgreSQL {database.get('server_major')}, the target "
                f"server is PostgreSQL {major}: the major versions must match",
            )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise _problem(
            f"bản sao lưu có migration mới hơn mã nguồn ({', '.join(unknown[:5])}): "
            f"cài motcua {manifest.get('motcua_version')} trở lên trước",
            f"the backup has migrations newer than this code ({', '.join(unknown[:5])}): "
            f"install motcua {manifest.get('motcua_version')} or later first",
        )
    if force:
        return
    busy = _in_use(connection)
    if busy:
        raise _problem(
            f"cơ sở dữ liệu đích đang có dữ liệu ({', '.join(busy[:3])}…): thêm --force để ghi đè",
            "the target database is not empty: add --force to overwrite it",
        )
    if _media_files(_media_root()):
        raise _problem(
            f"thư mục tệp tải lên {_media_root()} không trống: thêm --force để ghi đè",
            f"the uploads directory {_media_root()} is not empty: add --force to overwrite it",
        )


def _restore_sqlite(path: Path, connection: Any) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)  # replaces the target in one write transaction
    finally:
        source.close()


def _restore_postgresql(path: Path, connection: Any) -> None:
    """Drop the public schema and load the dump, all in one transaction of psql."""
    major = _pg_major(connection)
    pg_restore, psql = _pg_tool("pg_restore", major), _pg_tool("psql", major)
    env, args = _pg_env(connection)
    name = str(connection.settings_dict["NAME"])
    connection.close()
    with tempfile.TemporaryFile() as errors:
        producer = subprocess.Popen(
            [pg_restore, "--no-owner", "--no-acl", "--file", "-", str(path)],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        consumer = subprocess.run(
            [
                psql,
                "-X",
                "--quiet",
                "--no-psqlrc",
                "--set",
                "ON_ERROR_STOP=1",
                "--single-transaction",
                *args,
                "--dbname",
                name,
                "--command",
                "DROP SCHEMA IF EXISTS public CASCADE",
                "--command",
                "CREATE SCHEMA public",
                "--file",
                "-",
            ],
            stdin=producer.stdout,
            env=env,
            capture_output=True,
            check=False,
        )
        if producer.stdout is not None:
            producer.stdout.close()
        produced = producer.wait()
        if produced != 0 or consumer.returncode != 0:
            errors.seek(0)
            detail = (errors.read() + consumer.stderr).decode("utf-8", "replace")
            raise BackupProblem(
                "khôi phục PostgreSQL thất bại, cơ sở dữ liệu không đổi / the PostgreSQL "
                f"restore failed, the database is unchanged\n{detail.strip()[-2000:]}"
            )


def restore_backup(
    directory: Path | str, *, force: bool = False, using: str = "default"
) -> Summary:
    """Check the backup in `directory`, then replace the database and MEDIA_ROOT with it."""
    directory = Path(directory)
    manifest = read_manifest(directory)
    connection = connections[using]
    _check_target(manifest, connection, force=force)
    media = [f for f in manifest["files"] if f["path"].startswith(f"{MEDIA_DIR}/")]
    root = _media_root()
    # Staged inside the uploads directory itself: every move below is a rename on one file
    # system, even when that directory is a mount point of its own.
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}restore-", dir=root))
    old = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}old-", dir=root))
    try:
        for item in media:  # stage first: a full disk stops us before the database changes
            copy = staging / Path(item["path"]).relative_to(MEDIA_DIR)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(directory / item["path"], copy)
        database = directory / manifest["database"]["file"]
        if connection.vendor == "sqlite":
            _restore_sqlite(database, connection)
        else:
            _restore_postgresql(database, connection)
        for entry in list(root.iterdir()):
            if entry not in (staging, old):
                entry.replace(old / entry.name)
        for entry in list(staging.iterdir()):
            entry.replace(root / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    loader = MigrationLoader(connection)
    pending = len(set(loader.graph.nodes) - set(loader.applied_migrations))
    return Summary(
        directory,
        connection.vendor,
        len(media),
        sum(int(f["size"]) for f in media),
        pending_migrations=pending,
    )
