"""The built sample site in a real browser (system Chromium via Playwright).

Builds the sample site into a temp project, serves it on 127.0.0.1 and checks what only a
browser can: Chinese search through Pagefind in Material's search box, click-through navigation, no
horizontal page scroll on a phone, and no request ever leaving the local server.
Screenshots land in test-artifacts/ (gitignored) for a human look.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from generator.pipeline import Settings, build_site

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip(f"browser tests need the system Chromium at {CHROMIUM}", allow_module_level=True)
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError as exc:  # pragma: no cover - depends on the environment
    pytest.skip(f"browser tests need Playwright for Python ({exc})", allow_module_level=True)

from conftest import ROOT, make_project  # noqa: E402  (after the skip checks on purpose)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
ARTIFACTS = ROOT / "test-artifacts"
REPORT = "reports/jianshanqu-renminzhengfu/2021/"
AGENCY = "reports/yimeiqu-renminzhengfu/"
SEARCH_TIMEOUT_MS = 15_000


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep pytest output clean
        pass


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("browser"))
    build_site(
        Settings(project_dir=project, reports_dir=project / "reports", site_dir=project / "site")
    )
    return project / "site"


def _serve(site: Path):
    """Serve site on 127.0.0.1 for as long as the generator is suspended; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def base_url(built_site):
    yield from _serve(built_site)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open_page(browser, **context_options):
    """A fresh context + page that records every request URL (pages, workers, assets)."""
    context = browser.new_context(**context_options)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.set_default_timeout(SEARCH_TIMEOUT_MS)
    return context, page, requests


def _assert_all_local(requests: list[str]) -> None:
    assert requests, "no request recorded at all: the tracking is broken"
    foreign = [
        url
        for url in requests
        if urlparse(url).scheme not in ("data", "blob")
        and urlparse(url).hostname not in LOCAL_HOSTS
    ]
    assert not foreign, f"requests left the local server: {foreign}"


@pytest.fixture
def page(browser):
    context, page, requests = _open_page(browser)
    yield page
    context.close()
    _assert_all_local(requests)


@pytest.fixture
def phone_page(browser):
    context, page, requests = _open_page(
        browser,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    yield page
    context.close()
    _assert_all_local(requests)


def _search(page, query: str):
    """Type into the header search box (Pagefind behind Material's markup); return the result links."""
    box = page.locator("input[data-nb-search-query]")
    box.click()  # visible in the header at desktop width; focusing opens the search panel
    box.fill(query)  # fill() sends the input event the search listens to
    items = page.locator(".md-search-result__item")
    expect(items.first).to_be_attached(timeout=SEARCH_TIMEOUT_MS)
    return page.locator(".md-search-result__item a.md-search-result__link")


def test_search_finds_agency_by_chinese_name(page, base_url):
    page.goto(base_url)
    links = _search(page, "伊美区")
    hits = [
        (links.nth(i).get_attribute("href") or "", links.nth(i).inner_text())
        for i in range(links.count())
    ]
    assert any(
        "yimeiqu-renminzhengfu" in href and "伊美区人民政府" in text for href, text in hits
    ), hits


def _count(page) -> int:
    text = page.locator("[data-nb-search-meta]").inner_text()
    match = re.search(r"\d+", text)
    assert match, text
    return int(match.group())


def test_every_result_is_reachable(page, base_url):
    """ "N 个结果" shows ten and 显示更多结果 the rest, until all N are listed."""
    page.goto(base_url)
    _search(page, "行政复议")
    total = _count(page)
    assert total > 10
    more = page.locator("[data-nb-search-more]")
    while more.is_visible():
        shown = page.locator(".md-search-result__item").count()
        more.click()
        expect(page.locator(".md-search-result__item")).not_to_have_count(shown)
    links = page.locator(".md-search-result__item a.md-search-result__link")
    assert links.count() == total
    hrefs = {links.nth(i).get_attribute("href") or "" for i in range(total)}
    reports = {h for h in hrefs if re.search(r"/reports/[a-z0-9-]+/20\d\d/$", h)}
    assert len(reports) == 5, hrefs  # every sample report has section 四 (行政复议)


def test_excerpts_are_page_text_around_the_query(page, base_url):
    page.goto(base_url)
    _search(page, "伊美区")
    excerpts = page.locator(".md-search-result__item article p")
    expect(excerpts.first).to_contain_text("伊美区")
    for i in range(excerpts.count()):
        text = excerpts.nth(i).inner_text()
        assert not re.search("[\u01c0-\u01c2]", text), text  # no index word leaks
        assert " 人民 " not in text and "民政 政府" not in text, text  # no hidden term list
        marks = excerpts.nth(i).locator("mark")
        assert all(marks.nth(k).inner_text().lower() == "伊美区" for k in range(marks.count()))
    assert excerpts.first.locator("mark").count() >= 1


def test_search_filters_narrow_the_results(page, base_url):
    page.goto(base_url)
    _search(page, "行政复议")
    filters = page.locator("[data-nb-search-filters]")
    expect(filters).to_be_visible()
    page.locator("select[data-nb-filter=year]").select_option("2020")
    expect(page.locator("[data-nb-search-meta]")).to_have_text(re.compile(r"^\D*1\D*$"))
    link = page.locator(".md-search-result__item a.md-search-result__link").first
    expect(link).to_have_attribute("href", re.compile(r"/reports/yi-jiaxiang-renminzhengfu/2020/$"))
    page.locator("select[data-nb-filter=year]").select_option("")
    page.locator("select[data-nb-filter=type]").select_option("检查规则")
    expect(page.locator("[data-nb-search-meta]")).not_to_have_text(re.compile(r"^\D*1\D*$"))
    links = page.locator(".md-search-result__item a.md-search-result__link")
    hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
    assert hrefs and all("/compliance/rules/" in h for h in hrefs), hrefs


def test_search_results_screenshot(page, base_url):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url)
    _search(page, "伊美区")
    page.wait_for_timeout(300)  # the excerpts of all ten results
    page.screenshot(path=str(ARTIFACTS / "search-results.png"))


def test_click_through_to_report_and_source(page, base_url):
    page.goto(base_url)
    page.get_by_role("link", name="尖山区人民政府").first.click()
    page.wait_for_load_state()
    if "/2021/" not in page.url:  # the link went to the agency page: one more step
        page.locator('a[href*="2021/"]').first.click()
        page.wait_for_load_state()
    assert page.url == base_url + REPORT
    expect(page.locator("#requests-handled_total-total")).to_have_text("75")
    assert page.locator("article table").count() >= 3
    with page.expect_response(lambda r: r.url.endswith("/2021.txt")) as info:
        page.get_by_role("link", name="原始文件").first.click()
    response = info.value
    assert response.status == 200
    # Read the bytes again outside the page: for a navigated text/plain document Chromium
    # hands Playwright the text as it decoded it (no charset from http.server -> windows-1252).
    source = page.request.get(response.url)
    assert source.status == 200
    assert "政府信息公开" in source.body().decode("utf-8")


def test_a_page_outside_the_nav_draws_the_drawer_material_draws(page, base_url):
    """overrides/partials/nav.html leaves the drawer of a report page out and
    assets/js/nav.js draws it from the header's logo and the tabs: the same title and
    items, in the same markup, as the drawer Material draws on a page of the nav (the about
    page, whose own item is the last)."""

    def items(path: str) -> list[str]:
        page.goto(base_url + path)
        return page.evaluate(
            """() => Array.from(document.querySelectorAll(
                 ".md-nav--primary > .md-nav__title, " +
                 ".md-nav--primary > .md-nav__list > .md-nav__item"), node => {
               const copy = node.cloneNode(true);
               copy.querySelectorAll("a, use").forEach(link => link.setAttribute("href",
                 new URL(link.getAttribute("href"), location.href).href));
               return copy.outerHTML;
             })"""
        )

    drawn = items(REPORT)
    material = items("about/")
    assert len(drawn) == len(material) == 9, drawn
    assert drawn[0].startswith('<label class="md-nav__title" for="__drawer">\n<a href=')
    assert drawn[:-1] == material[:-1]
    assert "md-nav__item--nested" in drawn[5] and "md-nav__icon" in drawn[5]  # 合规检查
    assert "关于" in drawn[-1] and "--active" not in drawn[-1]  # no item is this page's
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + REPORT)
    page.locator('label[for="__drawer"].md-header__button').click()
    expect(page.locator(".md-nav--primary").get_by_role("link", name="按地区")).to_be_visible()


def test_an_agency_csv_downloads_as_the_csv(page, base_url, built_site):
    """The site publishes an agency's CSV as .csv.gz only; its link (assets/js/downloads.js)
    saves the CSV itself, byte for byte what the .gz holds."""
    page.goto(base_url + AGENCY)
    with page.expect_download() as info:
        page.get_by_role("link", name="本机关各年度数据（CSV）").click()
    download = info.value
    assert download.suggested_filename == "yimeiqu-renminzhengfu.csv"
    saved = Path(download.path()).read_bytes()
    packed = (built_site / "data/agencies/yimeiqu-renminzhengfu.csv.gz").read_bytes()
    assert saved == gzip.decompress(packed)
    assert saved.startswith("\ufeffid,agency.name,".encode("utf-8"))


TOC_PAGES = {
    "report": REPORT,
    "agency": AGENCY,
    "home": "",
    "rule": "compliance/rules/T3-07/",
    "data": "data/",
}


@pytest.mark.parametrize("name", sorted(TOC_PAGES))
def test_the_table_of_contents_is_the_one_material_drew(page, base_url, name):
    """overrides/partials/toc.html leaves the items to assets/js/nav.js: what the browser
    has is, element for element, the table of contents Material drew before
    (tests/fixtures/toc/: the sample site's, built with Material's own toc.html; on a page
    of the nav also the copy in the drawer)."""
    golden = (Path(__file__).parent / "fixtures" / "toc" / f"{name}.html").read_text("utf-8")
    page.goto(base_url + TOC_PAGES[name])
    drawn, expected = page.evaluate(
        """golden => {
             const tidy = nav => {  // Material's script takes data-md-scrollfix away
               nav.querySelectorAll("ul").forEach(list => {
                 list.removeAttribute("data-nb-toc");
                 list.removeAttribute("data-md-scrollfix");
               });
               return nav.outerHTML;
             };
             const made = new DOMParser().parseFromString(golden, "text/html");
             return [
               Array.from(document.querySelectorAll("nav.md-nav--secondary"),
                          nav => tidy(nav.cloneNode(true))),
               Array.from(made.querySelectorAll("nav.md-nav--secondary"), tidy),
             ];
           }""",
        golden,
    )
    assert expected and drawn == expected


def test_a_cell_address_opens_at_its_cell(page, base_url):
    """The built page has no cell ids; content/js/cell-anchors.js gives them and shows the
    cell the address names (highlighted, in view). A finding's link to its cell then works
    as any in-page link (:target)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + REPORT + "#requests-denied_process-total")
    cell = page.locator("#requests-denied_process-total")
    expect(cell).to_have_class("nb-target")
    expect(cell).to_be_in_viewport()
    assert page.locator("table[data-nb-cells] td:not([id])").count() == 0
    link = page.locator('a[href="#requests-received-total"]').first
    link.click()
    assert page.evaluate("document.querySelector(':target').id") == "requests-received-total"
    expect(cell).not_to_have_class("nb-target")


def test_phone_has_no_horizontal_page_scroll(phone_page, base_url):
    phone_page.goto(base_url + REPORT)
    phone_page.wait_for_load_state("load")
    widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], (
        f"page scrolls sideways: scrollWidth {widths[0]} > innerWidth {widths[1]}"
    )


@pytest.mark.parametrize(("name", "path"), [("home", ""), ("report", REPORT), ("agency", AGENCY)])
def test_full_page_screenshots(page, base_url, name, path):
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + path)
    page.wait_for_load_state("load")
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    data = target.read_bytes()
    assert len(data) > 1000
    assert data.startswith(b"\x89PNG\r\n\x1a\n")


def test_agency_page_has_a_drawn_svg_chart(page, base_url):
    page.goto(base_url + "reports/jianshanqu-renminzhengfu/")
    charts = page.locator("svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.first.get_attribute("aria-label")
    drawn = charts.first.locator("rect, circle, polyline")
    assert drawn.count() >= 1
    box = charts.first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 30
    # The data table alternative is a real table behind a <details>.
    assert page.locator("details.nb-chart-data table th[scope=row]").count() >= 1


# --- hostile input: report text never becomes markup in a real browser ------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The hostile corpus (tests/hostile) built into a site and served on 127.0.0.1."""
    import importlib.util
    import shutil
    import sys

    spec = importlib.util.spec_from_file_location(
        "make_corpus", ROOT / "tests" / "hostile" / "make_corpus.py"
    )
    make_corpus = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", make_corpus)
    spec.loader.exec_module(make_corpus)
    project = make_project(tmp_path_factory.mktemp("hostile-browser"))
    shutil.rmtree(project / "reports")
    written = make_corpus.build(project / "reports")
    build_site(
        Settings(project_dir=project, reports_dir=project / "reports", site_dir=project / "site")
    )
    records = json.loads((project / "content" / "data" / "records.json").read_text("utf-8"))
    hostile_file = written["hostile"].relative_to(project / "reports").as_posix()
    hostile_id = next(r["id"] for r in records if r["source"]["file"] == hostile_file)
    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hostile_id
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["reports/{id}/", "reports/{agency}/", "unreadable/", ""])
def test_hostile_pages_open_no_dialog_and_make_no_foreign_request(browser, hostile_site, path):
    base, hostile_id = hostile_site
    context, page, requests = _open_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(base + path.format(id=hostile_id, agency=hostile_id.split("/")[0]))
    assert response is not None and response.ok
    page.wait_for_load_state("networkidle")
    page.mouse.move(200, 300)  # hover handlers would fire here
    assert (
        page.locator("script:not([src])").evaluate_all(
            "nodes => nodes.filter(n => n.textContent.includes('alert(1)')).length"
        )
        == 0
    )
    assert page.locator("a[href^='javascript:'], iframe, img[onerror]").count() == 0
    context.close()
    assert dialogs == []
    _assert_all_local(requests)


GENERATOR_VOCABULARY = (
    "blank-cell",
    "missing-section",
    "read as null",
    "not found",
    "section",
    "requests.",
    "proactive.",
    "sections.",
    "appeals.",
    "format-and-rules",
)
"""Words of the generator's own vocabulary (codes, key paths, English notes): never on a page a
reader sees (issue 14)."""


def _public_pages(site: Path) -> list[str]:
    """One page of every kind: home, indexes, a report, an agency, a region, a year, the
    compliance overview, a rule, the format, data, unreadable and about pages."""
    pages = ["", "agencies/", "regions/", "years/", "compliance/", "compliance/rules/"]
    pages += ["format/", "data/", "unreadable/", "about/", REPORT, AGENCY]
    pages += [next(site.glob("regions/*/index.html")).parent.relative_to(site).as_posix() + "/"]
    pages += [next(site.glob("years/20*/index.html")).parent.relative_to(site).as_posix() + "/"]
    pages += ["compliance/rules/T3-01/"]
    return pages


def test_no_generator_vocabulary_in_what_a_reader_sees(page, base_url, built_site):
    found = {}
    for path in _public_pages(built_site):
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        # the data page names the download columns (their own identifiers) in <code>: a
        # data user needs them exactly; everything else is text for readers
        text = page.evaluate(
            "() => { const b = document.body.cloneNode(true);"
            " b.querySelectorAll('code').forEach(c => c.remove()); return b.innerText; }"
        )
        words = [word for word in GENERATOR_VOCABULARY if word in text]
        if words:
            found[path] = words
    assert not found, found
