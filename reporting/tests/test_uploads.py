import pytest
from django.urls import reverse

from common.errors import ServiceError
from common.uploads import UploadRejected, sniff
from evidence.models import Evidence
from evidence.services import evidence_dir
from reporting import services
from reporting.tests.files import JPG, PDF, PNG, docx_bytes, upload, xlsx_bytes, zip_bytes


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("活动照片.jpg", JPG, ".jpg"),
        ("现场.JPEG", JPG, ".jpg"),
        ("截图.png", PNG, ".png"),
        ("通知.pdf", PDF, ".pdf"),
        ("总结.docx", docx_bytes(), ".docx"),
        ("签到表.xlsx", xlsx_bytes(), ".xlsx"),
    ],
)
def test_allowed_kinds_are_accepted_by_their_content(name, data, kind):
    assert sniff(upload(name, data)).extension == kind


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("程序.exe", b"MZ\x90\x00", "类型不允许"),
        ("照片.jpg", b"MZ\x90\x00rest", "内容不是"),
        ("照片.png", JPG, "扩展名与内容不符"),
        ("报表.xlsx", b"a,b\n1,2\n", "内容不是"),
        ("宏.xlsx", zip_bytes({"xl/workbook.xml": b"<x/>", "xl/vbaProject.bin": b"\0"}), "含有宏"),
        ("加密.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "加密的或旧版"),
        ("坏的.docx", b"PK\x03\x04broken", "已损坏"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_other_files_are_refused_with_a_reason(name, data, reason):
    with pytest.raises(UploadRejected, match=reason):
        sniff(upload(name, data))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_bytes({"word/document.xml": b"0" * (101 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(UploadRejected, match="解压后超过 100 MB"):
        sniff(upload("炸弹.docx", bomb))


def test_a_file_over_20_mb_is_refused():
    big = upload("大.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(UploadRejected, match="超过 20 MB"):
        sniff(big)


def test_evidence_is_stored_under_a_random_name_outside_the_web_root(
    may_reform, ruzhou_reporter, settings
):
    report = services.report_for(obligation=may_reform)
    [evidence] = services.evidence_add(
        report=report, actor=ruzhou_reporter, files=[upload("活动照片.jpg", JPG)]
    )
    path = evidence_dir() / evidence.stored_name
    assert path.read_bytes() == JPG
    assert evidence.original_name == "活动照片.jpg" and "活动" not in evidence.stored_name
    assert str(settings.UPLOAD_ROOT) not in str(settings.STATIC_ROOT)


def test_one_bad_file_stores_none_of_the_batch(may_reform, ruzhou_reporter):
    report = services.report_for(obligation=may_reform)
    before = set(evidence_dir().iterdir())
    with pytest.raises(ServiceError, match="类型不允许"):
        services.evidence_add(
            report=report,
            actor=ruzhou_reporter,
            files=[upload("a.jpg", JPG), upload("b.exe", b"MZ")],
        )
    assert not Evidence.objects.filter(report=report).exists()
    assert set(evidence_dir().iterdir()) == before


def test_more_than_ten_files_at_once_are_refused(may_reform, ruzhou_reporter):
    report = services.report_for(obligation=may_reform)
    with pytest.raises(ServiceError, match="一次最多上传 10 个文件"):
        services.evidence_add(
            report=report, actor=ruzhou_reporter, files=[upload(f"{i}.jpg", JPG) for i in range(11)]
        )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "含有网页代码"),
        (b"%PDF-\n<!DOCTYPE html><body onload=alert(1)>\n%%EOF", "含有网页代码"),
        (b"%PDF-1.7\n" + b"%" * 1500 + b"\n<SCRIPT>alert(1)</SCRIPT>\n%%EOF\n", "含有网页代码"),
        (b"%PDF-1.4\n<svg/onload=alert(1)>\n%%EOF\n", "含有网页代码"),
        (PDF.replace(b"%%EOF", b""), "不是完整的 PDF 文件"),
        (PDF + b"\0" * 2048, "不是完整的 PDF 文件"),
        (b"%PDF-x.y\n%%EOF\n", "不是完整的 PDF 文件"),
    ],
)
def test_a_pdf_signature_in_front_of_a_web_page_or_a_cut_file_is_refused(data, reason):
    with pytest.raises(UploadRejected, match=reason):
        sniff(upload("通知.pdf", data))


def test_a_real_pdf_with_binary_streams_and_trailing_bytes_is_accepted():
    # A binary comment line and stream bytes as writers put them, and a newline after %%EOF.
    stream = bytes(range(256)) * 8
    data = (
        PDF.replace(
            b"trailer",
            b"2 0 obj<</Length 2048>>stream\n" + stream + b"\nendstream\nendobj\ntrailer",
        )
        + b"\r\n"
    )
    assert sniff(upload("通知.pdf", data)).extension == ".pdf"


def test_a_web_page_behind_a_pdf_signature_is_refused_on_the_upload_page(
    client, ruzhou_reporter, may_reform
):
    client.force_login(ruzhou_reporter)
    page = b"%PDF-1.4\n<html><script>document.cookie</script></html>\n%%EOF\n"
    response = client.post(
        reverse("reporting:evidence_upload", args=[may_reform.pk]),
        {"files": [upload("通知.pdf", page)]},
        follow=True,
    )
    assert "不是 PDF 文件（含有网页代码）" in response.content.decode()
    assert not Evidence.objects.filter(report__obligation=may_reform).exists()
