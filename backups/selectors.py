from __future__ import annotations

from pathlib import Path

from backups.manifest import MANIFEST_SUFFIX, PREFIX, Manifest, manifest_read
from common.errors import ServiceError


def backup_list(*, directory: Path) -> list[tuple[Path, Manifest]]:
    """The complete backups in `directory` (those with a readable manifest), newest first."""
    found = []
    for path in directory.glob(f"{PREFIX}*{MANIFEST_SUFFIX}"):
        try:
            found.append((path, manifest_read(path=path)))
        except ServiceError:
            continue  # not ours, or damaged: never counted, never pruned
    return sorted(found, key=lambda item: (item[1].created_at, item[1].name), reverse=True)
