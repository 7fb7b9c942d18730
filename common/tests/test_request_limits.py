"""Request bodies above UNIONPLAN_MAX_REQUEST_BYTES answer 413 before anything reads them."""

from django.conf import settings
from django.urls import reverse

from common.uploads import MAX_FILE_BYTES, MAX_FILES_PER_REQUEST

MB = 1024 * 1024


def test_the_cap_holds_ten_files_of_twenty_mb_and_little_more():
    files = MAX_FILES_PER_REQUEST * MAX_FILE_BYTES
    assert files < settings.UNIONPLAN_MAX_REQUEST_BYTES <= files + 2 * MB
    # Files above this are spooled to disk rather than held in memory.
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB


def test_a_300_mb_body_is_refused_with_a_chinese_413_without_being_read(client):
    # The test client's payload holds 10 bytes and fails if asked for more, so a 413 here
    # means nothing (CSRF, the login view) read the body the header announces.
    response = client.post(
        reverse("login"),
        data=b"username=x",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(300 * MB),
    )
    assert response.status_code == 413
    text = response.content.decode()
    assert "上传内容过大" in text and "201 MB" in text
    assert "Content-Security-Policy" in response.headers


def test_an_upload_page_refuses_an_oversized_body_before_login_or_csrf(client, ruzhou_reporter):
    client.force_login(ruzhou_reporter)
    url = reverse("records:import_upload", kwargs={"slug": "pingdingshan-2022", "code": "culture"})
    response = client.post(
        url,
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.UNIONPLAN_MAX_REQUEST_BYTES + 1),
    )
    assert response.status_code == 413


def test_a_body_over_a_lowered_cap_is_refused_and_one_under_it_is_served(client, settings, db):
    settings.UNIONPLAN_MAX_REQUEST_BYTES = 1000
    over = client.post(reverse("login"), {"username": "x" * 1000, "password": "y"})
    under = client.post(reverse("login"), {"username": "x", "password": "y"})
    assert (over.status_code, under.status_code) == (413, 200)


def test_a_length_that_is_not_a_number_counts_as_no_body(client):
    response = client.get(reverse("login"), CONTENT_LENGTH="many")
    assert response.status_code == 200
