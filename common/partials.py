"""Panels that htmx loads into a page, also opened on their own (a copied link, a new tab)."""

from django.shortcuts import render


def render_panel(request, template: str, context: dict, *, title: str):
    """The bare panel for htmx; for a browser opening its address, the panel inside the full
    page (menu, styles, a title), so the link still shows something a user can read."""
    if request.headers.get("HX-Request") == "true":
        return render(request, template, context)
    return render(request, "panel_page.html", {**context, "panel": template, "title": title})
