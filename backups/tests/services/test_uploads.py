import io
import tarfile

import pytest

from backups.tests.helpers import upload, uploaded
from backups.uploads import uploads_archive, uploads_restore
from common.errors import ServiceError


def test_files_still_arriving_and_restore_leftovers_are_not_archived(tmp_path):
    root = tmp_path / "uploads"
    upload(root, "evidence/a.pdf", b"a")
    upload(root, "evidence/b.pdf.part", b"half")
    upload(root, ".restoring-0000/evidence/c.pdf", b"c")
    counts = uploads_archive(root=root, target=tmp_path / "u.tar")
    assert counts == {"evidence": 1}
    with tarfile.open(tmp_path / "u.tar") as tar:
        assert tar.getnames() == ["evidence/a.pdf"]


@pytest.mark.parametrize("name", ["../outside.pdf", "/srv/absolute.pdf"])
def test_an_archive_naming_a_file_outside_the_upload_folder_is_refused(tmp_path, name):
    archive = tmp_path / "hostile.tar"
    with tarfile.open(archive, "w") as tar:
        member = tarfile.TarInfo(name)
        member.size = 4
        tar.addfile(member, io.BytesIO(b"evil"))
    root = tmp_path / "uploads"
    upload(root, "evidence/a.pdf", b"a")
    with pytest.raises(ServiceError, match="无法解开上传文件归档 hostile.tar"):
        uploads_restore(archive=archive, root=root)
    assert uploaded(root) == {"evidence/a.pdf": b"a"}
    assert not (tmp_path / "outside.pdf").exists()
