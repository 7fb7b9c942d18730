from tests.browser.conftest import browser  # noqa: F401
