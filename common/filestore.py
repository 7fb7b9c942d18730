"""Where checked uploads are kept: a folder per kind under UPLOAD_ROOT (outside the web root),
random names, each file written complete or not at all.

A file is written before its row commits; a process killed in between leaves an orphan that
`orphans` finds (never a row pointing at a missing file), and `purge_orphan_files` removes.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from common.uploads import FileKind


@dataclass(frozen=True)
class Stored:
    path: Path
    stored_name: str
    original_name: str
    sha256: str


def folder(name: str) -> Path:
    path = Path(settings.UPLOAD_ROOT) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(uploaded, kind: FileKind, folder_name: str) -> Stored:
    stored_name = f"{secrets.token_hex(16)}{kind.extension}"
    digest = hashlib.sha256()
    target = folder(folder_name) / stored_name
    partial = target.with_suffix(".part")
    with partial.open("wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    os.replace(partial, target)
    return Stored(target, stored_name, Path(uploaded.name).name[:200], digest.hexdigest())


def orphans(folder_name: str, known: Iterable[str]) -> list[Path]:
    """Files in the folder that no row names."""
    names = set(known)
    return [p for p in folder(folder_name).iterdir() if p.name not in names]
