"""Exit 0 when PyPI's vulnerability data answers, so that pip-audit can check the lock file.

pip-audit asks PyPI's JSON API for each pinned release's known vulnerabilities. On an intranet
or behind a package mirror that serves only the simple index, that API is missing and
pip-audit would pass while auditing nothing; this probe tells the two apart. The probe asks for
a release with published advisories, so a mirror that answers with an empty list fails it too.
"""

import json
import sys
import urllib.request

PROBE = "https://pypi.org/pypi/django/4.2.0/json"  # has several published advisories


def main() -> int:
    try:
        with urllib.request.urlopen(PROBE, timeout=10) as response:  # noqa: S310 # nosec B310
            data = json.load(response)
    except (OSError, ValueError):
        return 1
    return 0 if data.get("vulnerabilities") else 1


if __name__ == "__main__":
    sys.exit(main())
