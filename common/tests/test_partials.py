"""A panel htmx loads into a page is bare for htmx and a whole page when opened by itself."""

from django.urls import reverse


def test_a_panel_opened_by_its_address_has_the_menu_and_a_title(client, leader, plan_2022):
    client.force_login(leader)
    url = reverse("reporting:programme_progress", args=[plan_2022.slug, 3])
    alone = client.get(url).content.decode()
    assert "<title>专案3 各单位报送进度 - 工会专案通</title>" in alone and 'id="nav"' in alone

    loaded = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<title>" not in loaded and 'id="nav"' not in loaded


def test_the_unit_panel_of_a_matrix_row_opened_alone_names_the_unit(client, leader, plan_2022):
    client.force_login(leader)
    url = reverse("dashboards:cell_history", args=[plan_2022.slug, 3, "ruzhou"])
    html = client.get(url).content.decode()
    assert "汝州市 · 专案3填报记录" in html and 'id="nav"' in html
