"""Images and PDFs can be viewed in the page; other files only download; headers keep a shown
file from running anything."""

from django.urls import reverse

from records.tests.web import url
from reporting import services
from reporting.tests.files import docx_bytes, upload


def view(client, evidence, *, inline=True, app="reporting"):
    kwargs = {"evidence_pk": evidence.pk} if app == "reporting" else {"pk": evidence.pk}
    url = reverse(f"{app}:evidence_download", kwargs=kwargs)
    response = client.get(url + ("?inline=1" if inline else ""))
    if response.streaming:
        # Read to the end, which closes the served file as a server would.
        b"".join(response.streaming_content)
    return response


def test_an_image_is_shown_inline_in_a_sandbox_and_never_sniffed(
    client, ruzhou_reporter, report_photo
):
    client.force_login(ruzhou_reporter)
    response = view(client, report_photo)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_without_asking_to_view_an_image_is_still_a_download(client, ruzhou_reporter, report_photo):
    client.force_login(ruzhou_reporter)
    assert view(client, report_photo, inline=False)["Content-Disposition"].startswith("attachment;")


def test_a_pdf_is_shown_inline_with_a_policy_that_forbids_script(
    client, ruzhou_reporter, row_policy
):
    client.force_login(ruzhou_reporter)
    response = view(client, row_policy, app="records")
    assert response["Content-Disposition"].startswith("inline;")
    assert "script-src 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_docx_is_only_ever_an_attachment(client, ruzhou_reporter, report):
    [document] = services.evidence_add(
        report=report, actor=ruzhou_reporter, files=[upload("总结.docx", docx_bytes())]
    )
    client.force_login(ruzhou_reporter)
    response = view(client, document)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_another_units_file_is_not_found_whether_viewed_or_downloaded(
    client, jiaxian_reporter, report_photo, row_policy
):
    client.force_login(jiaxian_reporter)
    assert view(client, report_photo).status_code == 404
    assert view(client, report_photo, inline=False).status_code == 404
    assert view(client, row_policy, app="records").status_code == 404


def test_a_report_file_is_not_reachable_through_the_rows_file_address(client, leader, report_photo):
    client.force_login(leader)
    assert view(client, report_photo, app="records").status_code == 404
    assert view(client, report_photo).status_code == 200


def test_the_report_page_shows_a_thumbnail_and_a_view_link(
    client, ruzhou_reporter, may_reform, report_photo
):
    client.force_login(ruzhou_reporter)
    html = client.get(reverse("reporting:report", args=[may_reform.pk])).content.decode()
    address = reverse("reporting:evidence_download", args=[report_photo.pk]) + "?inline=1"
    assert f'<img class="evidence-thumb img-thumbnail" src="{address}"' in html
    assert f'href="{address}" target="_blank" rel="noopener">查看</a>' in html


def test_the_row_page_offers_to_view_a_pdf_but_shows_no_thumbnail(
    client, ruzhou_reporter, row, row_policy
):
    client.force_login(ruzhou_reporter)
    html = client.get(url("row", pk=row.pk)).content.decode()
    address = reverse("records:evidence_download", args=[row_policy.pk]) + "?inline=1"
    assert f'href="{address}" target="_blank" rel="noopener">查看</a>' in html
    assert f'src="{address}"' not in html
