"""Reports and form rows share one workflow, one evidence model and one figures service, so no
block of their services, models or templates may be written twice, once in each app.

A block is six lines that are the same once blank lines, comments, imports and white space are
set aside. (A library such as pylint's similarity checker would bring a whole linter and a
private API for these thirty lines, and it reads Python only, not templates.)
"""

import re
from collections import defaultdict
from pathlib import Path

BLOCK = 6
ROOT = Path(__file__).resolve().parent.parent
SIDES = {
    "reporting": ["reporting/models.py", "reporting/services", "reporting/templates"],
    "records": ["records/models.py", "records/services", "records/templates"],
}
SKIPPED = re.compile(r"^(#|\{#|from \S+ import|import |[\[\](){}:,;]+$|\{% (end\w+|else) %\}$)")


def meaningful_lines(text: str) -> list[tuple[int, str]]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = " ".join(raw.split())
        if line and not SKIPPED.match(line):
            lines.append((number, line))
    return lines


def blocks(text: str):
    lines = meaningful_lines(text)
    for i in range(len(lines) - BLOCK + 1):
        window = lines[i : i + BLOCK]
        yield window[0][0], "\n".join(line for _, line in window)


def repeated_blocks(sides: dict[str, dict[str, str]]) -> list[str]:
    """Blocks found on more than one side as `file:line ~ file:line` (side → path → text)."""
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for side, files in sides.items():
        for path, text in files.items():
            for line, block in blocks(text):
                seen[block].setdefault(side, f"{path}:{line}")
    return sorted(" ~ ".join(places.values()) for places in seen.values() if len(places) > 1)


def read_side(paths: list[str]) -> dict[str, str]:
    files = {}
    for name in paths:
        path = ROOT / name
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.suffix in (".py", ".html") and "tests" not in file.parts:
                files[str(file.relative_to(ROOT))] = file.read_text(encoding="utf-8")
    return files


def test_no_block_is_written_both_in_reporting_and_in_records():
    sides = {side: read_side(paths) for side, paths in SIDES.items()}
    assert all(sides.values()), "both apps' services, models and templates are read"
    assert repeated_blocks(sides) == []


def test_the_check_finds_a_block_copied_from_one_app_into_the_other():
    copied = "\n".join(f"total = total + row.value_{n}  # part {n}" for n in range(BLOCK))
    sides = {
        "reporting": {"reporting/services/a.py": f"def a():\n    # why\n{copied}\n"},
        "records": {"records/services/b.py": f"import os\n\n\ndef b():\n{copied}\n    return 1\n"},
    }
    assert repeated_blocks(sides) == ["reporting/services/a.py:3 ~ records/services/b.py:5"]


def test_the_check_ignores_imports_comments_and_blank_lines():
    imports = "\n".join(f"from app{n} import thing{n}\n# note {n}\n" for n in range(BLOCK))
    sides = {"reporting": {"a.py": imports}, "records": {"b.py": imports}}
    assert repeated_blocks(sides) == []
