"""A backup's manifest: what it holds, from when, at which schema, and a SHA-256 per file.

A backup is three files with one stem in one directory:

    unionplan-20261129-153000.sqlite3       the database (`.dump` on PostgreSQL: pg_dump -Fc)
    unionplan-20261129-153000.uploads.tar   UPLOAD_ROOT (evidence and 市总统计 files)
    unionplan-20261129-153000.json          this manifest, written last

A backup without its manifest is incomplete and is never restored or counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from common.errors import ServiceError

FORMAT = 1
PREFIX = "unionplan-"
MANIFEST_SUFFIX = ".json"
UPLOADS_SUFFIX = ".uploads.tar"
DATABASE_SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
# Backups hold personal data: readable by the account that runs the app only.
FILE_MODE = 0o600
DIRECTORY_MODE = 0o700

MANIFEST_UNREADABLE = "无法读取备份清单 {name}：{reason}"
FILE_MISSING = "备份文件 {file} 不存在。"
FILE_CHANGED = "备份文件 {file} 的大小或 SHA-256 与清单不符：文件已损坏或被改动。"


@dataclass(frozen=True)
class Artefact:
    file: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    name: str
    created_at: dt.datetime
    vendor: str
    database: Artefact
    uploads: Artefact
    # Files under UPLOAD_ROOT per top-level folder (today only `evidence`).
    upload_files: dict[str, int]
    # The last migration applied per app, read from the backed-up database itself.
    migrations: dict[str, str]
    # Rows per table in the backed-up database; a restore must put back exactly these.
    rows: dict[str, int]
    note: str = ""

    @property
    def upload_file_count(self) -> int:
        return sum(self.upload_files.values())

    @property
    def row_count(self) -> int:
        return sum(self.rows.values())

    def as_json(self) -> str:
        data = {
            "format": FORMAT,
            "name": self.name,
            "created_at": self.created_at.isoformat(),
            "note": self.note,
            "database": {"vendor": self.vendor, **asdict(self.database)},
            "uploads": {**asdict(self.uploads), "files": self.upload_files},
            "migrations": self.migrations,
            "rows": self.rows,
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def artefact_of(path: Path) -> Artefact:
    return Artefact(file=path.name, bytes=path.stat().st_size, sha256=file_sha256(path))


def manifest_write(*, manifest: Manifest, directory: Path) -> Path:
    """Written to a temporary name and renamed, so a manifest is there whole or not at all."""
    path = directory / f"{manifest.name}{MANIFEST_SUFFIX}"
    partial = directory / f"{manifest.name}{MANIFEST_SUFFIX}.partial"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(manifest.as_json())
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    return path


def manifest_read(*, path: Path) -> Manifest:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"不认识的清单格式 {data.get('format')!r}")
        database, uploads = data["database"], data["uploads"]
        manifest = Manifest(
            name=str(data["name"]),
            created_at=dt.datetime.fromisoformat(data["created_at"]),
            vendor=str(database["vendor"]),
            database=_artefact(database),
            uploads=_artefact(uploads),
            upload_files={str(k): int(v) for k, v in uploads["files"].items()},
            migrations={str(k): str(v) for k, v in data["migrations"].items()},
            rows={str(k): int(v) for k, v in data["rows"].items()},
            note=str(data.get("note", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ServiceError(MANIFEST_UNREADABLE.format(name=path.name, reason=exc)) from exc
    return manifest


def _artefact(data: dict) -> Artefact:
    name = str(data["file"])
    # Only a file name beside the manifest: a manifest must not point anywhere else.
    if not name or Path(name).name != name or name.startswith("."):
        raise ValueError(f"文件名 {name!r} 无效")
    return Artefact(file=name, bytes=int(data["bytes"]), sha256=str(data["sha256"]))


def manifest_verify(*, manifest: Manifest, directory: Path) -> None:
    """Every file is there, with the size and SHA-256 the manifest recorded."""
    for artefact in (manifest.database, manifest.uploads):
        path = directory / artefact.file
        if not path.is_file():
            raise ServiceError(FILE_MISSING.format(file=artefact.file))
        if path.stat().st_size != artefact.bytes or file_sha256(path) != artefact.sha256:
            raise ServiceError(FILE_CHANGED.format(file=artefact.file))


def manifest_path_of(path: Path) -> Path:
    """The manifest of a backup named by its manifest, any of its files or its stem."""
    name = path.name
    for suffix in (MANIFEST_SUFFIX, UPLOADS_SUFFIX, *DATABASE_SUFFIXES.values()):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return path.with_name(f"{name}{MANIFEST_SUFFIX}")
