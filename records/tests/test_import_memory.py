"""Reading a hostile file costs under 200 MB and 5 s; so does the largest file the limits let
through (records/imports/limits.py).

Memory is the child process's peak resident size after reading each file, less its peak after
start-up and one small read (calamine loaded). The files are read one after another in one
child, so each figure is the peak so far: a file is charged at least what it cost itself.

The peak is getrusage's ru_maxrss, except on Linux, which carries a parent's size into its
child across fork and exec: pytest, having built the files, is larger than the child will
ever be, so ru_maxrss would not move. /proc/self/status's VmHWM is the same peak counted from
the child's own start.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from records.tests.crafted import CRAFTED, largest_accepted

EXTRA_MB_LIMIT = 200
SECONDS_LIMIT = 5

CHILD = """
import json, resource, sys, time
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from records.imports.files import FileRefused, read_upload
from records.tests.sheets import plain_xlsx

def peak_mb():
    try:
        with open("/proc/self/status") as status:
            return next(int(l.split()[1]) for l in status if l.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB; bytes on macOS
        return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)

read_upload(SimpleUploadedFile("a.xlsx", plain_xlsx([["a"], [1]])))
base = peak_mb()
for path in sys.argv[1:]:
    with open(path, "rb") as source:
        uploaded = SimpleUploadedFile(path.rpartition("/")[2], source.read())
    started = time.process_time()  # CPU seconds: what the file costs, not the machine's load
    try:
        outcome = f"{len(read_upload(uploaded).rows)} rows"
    except FileRefused as exc:
        outcome = str(exc)
    print(json.dumps({"file": path, "seconds": time.process_time() - started,
                      "extra_mb": peak_mb() - base, "outcome": outcome}), flush=True)
"""


def _read_in_child(paths) -> dict[str, dict]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(  # noqa: S603 - our own interpreter and code, paths we wrote
        [sys.executable, "-c", CHILD, *map(str, paths)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return {r["file"]: r for r in map(json.loads, done.stdout.splitlines())}


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crafted")
    paths = {}
    for case, (name, make, _message) in CRAFTED.items():
        paths[case] = folder / f"{case}{os.path.splitext(name)[1]}"
        paths[case].write_bytes(make())
    results = _read_in_child(paths.values())
    return {case: results[str(path)] for case, path in paths.items()}


@pytest.mark.parametrize("case", sorted(CRAFTED))
def test_a_crafted_file_is_refused_within_seconds_and_bounded_memory(measured, case):
    result = measured[case]
    assert CRAFTED[case][2] in result["outcome"]
    assert result["seconds"] < SECONDS_LIMIT, result
    assert result["extra_mb"] < EXTRA_MB_LIMIT, result


def test_the_largest_file_the_limits_accept_stays_under_the_memory_bound(tmp_path):
    path = tmp_path / "largest.xlsx"
    path.write_bytes(largest_accepted())
    [result] = _read_in_child([path]).values()
    assert result["outcome"] == "11000 rows"
    assert result["extra_mb"] < EXTRA_MB_LIMIT, result
    assert result["seconds"] < 2 * SECONDS_LIMIT, result  # accepted, so read in full
