"""The upload half of a backup: UPLOAD_ROOT (evidence and 市总统计 files) as one tar archive.

Not compressed: the files are jpg, png, pdf, docx and xlsx, compressed already. Uploads are
written under a temporary `.part` name and renamed when whole, so a stored file never changes;
`.part` files (an upload in flight) are left out.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tarfile
from collections import Counter
from pathlib import Path, PurePosixPath

from common.errors import ServiceError

ARCHIVE_UNREADABLE = "无法解开上传文件归档 {file}：{reason}"


def uploads_archive(*, root: Path, target: Path) -> dict[str, int]:
    """Archive every stored file under `root`; returns the count per top-level folder."""
    counts: Counter[str] = Counter()
    with tarfile.open(target, "x", format=tarfile.PAX_FORMAT) as tar:
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            if here == root:  # restore's own working folders are never part of a backup
                dirs[:] = [d for d in dirs if not d.startswith(".")]
            dirs.sort()
            for name in sorted(files):
                path = here / name
                if name.endswith(".part") or name.startswith(".") or path.is_symlink():
                    continue
                relative = path.relative_to(root)
                try:
                    tar.add(path, arcname=relative.as_posix(), recursive=False)
                except FileNotFoundError:  # removed (a draft deleted) since it was listed
                    continue
                counts[relative.parts[0] if len(relative.parts) > 1 else "."] += 1
    return dict(sorted(counts.items()))


def uploads_restore(*, archive: Path, root: Path) -> int:
    """Make `root` hold exactly the archive's files; returns how many were put back.

    Unpacked beside the current files first, then swapped in folder by folder with renames on
    the same file system, so a failed unpacking changes nothing.
    """
    root.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(4)
    staging, replaced = root / f".restoring-{token}", root / f".replaced-{token}"
    staging.mkdir()
    try:
        with tarfile.open(archive, "r:") as tar:
            members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
            for member in members:
                parts = PurePosixPath(member.name).parts
                if not parts or parts[0] == "/" or ".." in parts:
                    raise tarfile.TarError(f"不安全的文件名 {member.name!r}")
            # The "data" filter also refuses links and devices, and drops owners and modes.
            tar.extractall(staging, members=members, filter="data")
    except (OSError, tarfile.TarError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise ServiceError(ARCHIVE_UNREADABLE.format(file=archive.name, reason=exc)) from exc
    replaced.mkdir()
    for entry in list(root.iterdir()):
        if entry not in (staging, replaced):
            entry.rename(replaced / entry.name)
    for entry in list(staging.iterdir()):
        entry.rename(root / entry.name)
    shutil.rmtree(replaced)
    staging.rmdir()
    return sum(1 for m in members if m.isfile())
