"""Accessibility by style, in Chromium: axe-core (axe-playwright-python, which bundles it)
finds no serious or critical violation on any page type, at desktop and phone width; and
table 三 stays readable on a 390 px phone (labels not squeezed, the numbers scroll sideways
under the label column, with a visible hint). Phone screenshots land in test-artifacts/."""

from __future__ import annotations

import pytest
from test_browser import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    REPORT,
    _open_page,
    base_url,
    browser,
    built_site,
    page,
    phone_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

PAGES = {
    "home": "",
    "report": REPORT,
    "agency": "reports/yimeiqu-renminzhengfu/",
    "region": "regions/heilongjiangsheng/",
    "year": "years/2021/",
    "compliance": "compliance/",
    "rule": "compliance/rules/T3-01/",
    "data": "data/",
    "unreadable": "unreadable/",
    "about": "about/",
    "404": "404.html",
}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def _serious(tab) -> list[tuple[str, str, list]]:
    results = axe_playwright.Axe().run(tab).response
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violation(browser, base_url, name, viewport):  # noqa: F811
    context, page, _requests = _open_page(browser, viewport=VIEWPORTS[viewport])  # noqa: F811
    page.goto(base_url + PAGES[name])
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)  # Material wraps tables and wide-tables.js marks them
    assert _serious(page) == []
    context.close()


def test_open_search_panel_has_no_serious_axe_violation(page, base_url):  # noqa: F811
    page.goto(base_url)
    box = page.locator("input[data-nb-search-query]")
    box.click()
    box.fill("伊美区")
    page.locator(".md-search-result__item").first.wait_for()
    assert _serious(page) == []


def test_table_three_is_readable_on_a_phone(phone_page, base_url):  # noqa: F811
    phone_page.goto(base_url + REPORT)
    phone_page.wait_for_load_state("load")
    table = phone_page.locator("table.nb-requests")
    frame = phone_page.locator(".nb-table-wrap", has=table)
    frame.scroll_into_view_if_needed()
    phone_page.wait_for_timeout(200)
    ARTIFACTS.mkdir(exist_ok=True)
    phone_page.screenshot(path=str(ARTIFACTS / "phone-table-3.png"))
    # Row labels keep five characters a line or more (they had two or three: 1.属/于国/家秘/密).
    narrow = table.evaluate(
        """t => [...t.querySelectorAll('th[scope=row]')]
          .map(th => [th.textContent, th.getBoundingClientRect().width / parseFloat(getComputedStyle(th).fontSize)])
          .filter(([_, em]) => em < 4.9)"""
    )
    assert narrow == []
    # The table scrolls in its frame, which says so and can be scrolled from the keyboard.
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    hint = phone_page.locator(".nb-scroll-hint", has_text="左右滑动")
    assert hint.count() >= 1 and hint.first.is_visible()
    assert frame.get_attribute("tabindex") == "0" and frame.get_attribute("role") == "region"
    assert "表格" in (frame.get_attribute("aria-label") or "")
    # Unscrolled, the numbers begin right of the labels; scrolled to the end, the label next
    # to them is still in view (sticky at the frame's left edge if need be), and so is the
    # last column (总计), right of the label.
    label = table.locator("th[scope=row]", has_text="属于国家秘密").first
    first = phone_page.locator("#requests-denied_state_secret-natural_person").bounding_box()
    label_box = label.bounding_box()
    assert first["x"] >= label_box["x"] + label_box["width"] - 1
    frame.evaluate("f => { f.scrollLeft = f.scrollWidth; }")
    phone_page.wait_for_timeout(200)
    phone_page.screenshot(path=str(ARTIFACTS / "phone-table-3-scrolled.png"))
    frame_box, label_box = frame.bounding_box(), label.bounding_box()
    total = phone_page.locator("#requests-denied_state_secret-total").bounding_box()
    assert label_box["x"] >= frame_box["x"] - 1
    assert total["x"] >= label_box["x"] + label_box["width"] - 1
    assert total["x"] + total["width"] <= frame_box["x"] + frame_box["width"] + 1
    # The page itself never scrolls sideways.
    widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert widths[0] <= widths[1]


def test_phone_screenshot_of_a_report(phone_page, base_url):  # noqa: F811
    phone_page.goto(base_url + REPORT)
    phone_page.wait_for_load_state("load")
    phone_page.wait_for_timeout(200)
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "phone-report.png"
    phone_page.screenshot(path=str(target))  # the top of the page: a full page is 20 MB
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
