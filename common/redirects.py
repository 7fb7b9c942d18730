"""Where to send a user back to after a POST, whatever the `next` field says."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Only absolute paths are kept: a bare word would be taken by `redirect()` as a URL name, and
    anything with a scheme, a host (`//evil`), a backslash or a control character can leave the
    site in some browser.
    """
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if target.startswith("//") or "\\" in target or not target.isprintable():
        return None
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return None
    return target


def redirect_back(request, default: str) -> HttpResponseRedirect:
    """To the posted `next` when it is a path on this site, else to `default` (a URL)."""
    return HttpResponseRedirect(local_path(request.POST.get("next")) or default)
