import os
import time
from io import StringIO

from django.core.management import call_command

from evidence.services import evidence_dir
from reporting import services
from reporting.tests.files import JPG, upload


def _stray(directory, name, *, minutes_old):
    path = directory / name
    path.write_bytes(b"left by a killed upload")
    stamp = time.time() - minutes_old * 60
    os.utime(path, (stamp, stamp))
    return path


def _purge(*args):
    out = StringIO()
    call_command("purge_orphan_files", *args, stdout=out)
    return out.getvalue()


def test_old_orphans_are_deleted_and_files_with_rows_or_young_files_are_kept(
    may_reform, ruzhou_reporter
):
    report = services.report_for(obligation=may_reform)
    [kept] = services.evidence_add(
        report=report, actor=ruzhou_reporter, files=[upload("活动照片.jpg", JPG)]
    )
    real = evidence_dir() / kept.stored_name
    os.utime(real, (time.time() - 7200, time.time() - 7200))
    old_file = _stray(evidence_dir(), "orphan-old", minutes_old=120)
    young = _stray(evidence_dir(), "orphan-young", minutes_old=5)

    output = _purge()

    assert not old_file.exists()
    assert real.read_bytes() == JPG
    assert young.exists()
    assert f"已删除：{old_file}" in output
    young.unlink()


def test_a_dry_run_lists_the_orphans_and_deletes_nothing(plan_2022):
    orphan = _stray(evidence_dir(), "orphan-dry-run", minutes_old=30)

    output = _purge("--dry-run", "--older-than", "10")

    assert orphan.exists()
    assert f"将删除：{orphan}" in output
    orphan.unlink()
