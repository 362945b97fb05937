"""A school user signs in through the real login page in headless Chromium."""

import pytest

from tests.helpers import PASSWORD, SchoolFixture

pytestmark = pytest.mark.browser


def test_teacher_logs_in_and_finds_a_student(
    browser: object, live_server_url: str, school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    base = live_server_url.format(host=school_a.domain)

    page.goto(base + "/")
    assert "/inloggen/" in page.url
    page.fill("input[name=username]", school_a.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=username]")

    page.goto(base + "/leerlingen/")
    page.fill("#q", school_a.student_last_name[:4])
    page.wait_for_timeout(600)
    rows = page.inner_text("#student-rows")
    assert school_a.student_last_name in rows
    assert school_b.student_last_name not in rows
    assert page.inner_text("header .brand") == "Eerste Testschool"
    page.close()
