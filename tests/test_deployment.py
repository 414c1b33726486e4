"""Deployment, in Chromium: the site as a GitHub project site (/nianbao/… with site_url set
from NIANBAO_SITE_URL), its Chinese 404 page styled and searchable at any depth, the
sitemap and feeds with the site's address, and the source files read correctly from a real
`python -m http.server`, which sends text/plain without a charset."""

from __future__ import annotations

import functools
import gzip
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from test_browser import (  # noqa: F401  (fixtures used by name)
    ARTIFACTS,
    REPORT,
    _assert_all_local,
    _open_page,
    browser,
    make_project,
)

from generator.pipeline import Settings, build_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PREFIX = "/nianbao/"
SITE_URL = "https://example.org" + PREFIX


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("deploy"))
    with mock.patch.dict(os.environ, {"NIANBAO_SITE_URL": SITE_URL}):
        build_site(
            Settings(
                project_dir=project, reports_dir=project / "reports", site_dir=project / "site"
            )
        )
    return project / "site"


class _ProjectSite(http.server.SimpleHTTPRequestHandler):
    """A static host like GitHub Pages for a project site: the site under PREFIX, and its
    404.html with status 404 for any address it does not have."""

    def log_message(self, format, *args):
        pass

    def send_head(self):
        path = self.path.split("?", 1)[0]
        if path.startswith(PREFIX):
            self.path = "/" + self.path[len(PREFIX) :]
            target = Path(self.translate_path(self.path))
            if target.is_file() or (target / "index.html").is_file():
                return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


@pytest.fixture(scope="module")
def project_url(sub_path_site):
    handler = functools.partial(_ProjectSite, directory=str(sub_path_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("missing", ["no-such-page/", "reports/a/b/c/d/", "x.html"])
def test_404_page_is_chinese_styled_and_searchable_under_a_sub_path(
    browser,  # noqa: F811
    project_url,
    missing,
):
    context, page, requests = _open_page(browser, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(project_url + missing)
    assert response is not None and response.status == 404
    page.wait_for_load_state("load")
    assert page.locator("h1").first.inner_text() == "页面不存在"
    assert page.title().startswith("页面不存在")
    # Material's stylesheet applied: the header is indigo, not an unstyled white block
    header = page.locator("header.md-header")
    assert header.evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(64, 81, 181)"
    # the links lead into the site, under the sub-path
    home = page.get_by_role("link", name="按机关查找")
    assert home.get_attribute("href") == PREFIX + "agencies/"
    # the search box works here (it threw "Invalid URL" with asset paths from /)
    box = page.locator("input[data-nb-search-query]")
    box.click()
    box.fill("伊美区")
    link = page.locator(".md-search-result__item a.md-search-result__link").first
    link.wait_for()
    assert (link.get_attribute("href") or "").startswith(PREFIX)
    if missing == "no-such-page/":
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "404-sub-path.png"))
    link.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(project_url) and "/reports/" in page.url
    assert errors == []
    assert [url for url in failed if not url.startswith(project_url + missing)] == []
    context.close()
    _assert_all_local(requests)


def test_pages_work_under_the_sub_path_with_a_canonical_address(browser, project_url):  # noqa: F811
    context, page, requests = _open_page(browser)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(project_url + REPORT)
    page.wait_for_load_state("load")
    assert page.locator("#requests-handled_total-total").inner_text() == "75"
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical == SITE_URL + REPORT
    assert failed == []
    context.close()
    _assert_all_local(requests)  # the canonical address is never requested


def test_sitemap_and_feeds_carry_the_site_address(sub_path_site):
    sitemap = (sub_path_site / "sitemap.xml").read_text("utf-8")
    assert f"<loc>{SITE_URL}</loc>" in sitemap
    assert f"<loc>{SITE_URL}{REPORT}</loc>" in sitemap
    assert "<lastmod>" not in sitemap  # the build date: same inputs, same bytes
    feed = (sub_path_site / "feeds" / "reports.xml").read_text("utf-8")
    assert f'xml:base="{SITE_URL}feeds/"' in feed
    agency = next((sub_path_site / "feeds" / "agencies").glob("*.xml")).read_text("utf-8")
    assert f'xml:base="{SITE_URL}feeds/agencies/"' in agency


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def plain_server(sub_path_site):
    """The site from `python -m http.server`: text/plain without a charset."""
    port = _free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--directory", str(sub_path_site)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_source_text_reads_as_chinese_from_a_plain_server(browser, plain_server):  # noqa: F811
    context, page, _requests = _open_page(browser)
    page.goto(plain_server + REPORT)
    with page.expect_navigation():
        page.get_by_role("link", name="原始文件（txt）").click()
    assert page.url.endswith("/2021.txt")
    text = page.evaluate("document.body.innerText")
    assert "尖山区2021年政府信息公开工作年度报告" in text  # it was å°–å±±åŒº… before the mark
    context.close()


def test_text_downloads_are_utf8_with_a_mark(sub_path_site):
    """Every .txt, .yml, .yaml and .csv download that is UTF-8 starts with a byte-order mark,
    so a browser or a spreadsheet reads it as UTF-8 whatever the server says."""
    files = [
        path
        for suffix in ("*.txt", "*.yml", "*.yaml", "*.csv")
        for path in sub_path_site.rglob(suffix)
        if "pagefind" not in path.parts and "assets" not in path.parts
    ]
    assert len(files) >= 5 + 2  # the sources, edits.csv and timeliness.csv
    assert [p for p in files if not p.read_bytes().startswith(b"\xef\xbb\xbf")] == []
    # the CSVs one row a report are published compressed: the CSV inside has the mark
    spreadsheets = [*sub_path_site.glob("data/**/*.csv.gz")]
    spreadsheets = [
        p for p in spreadsheets if p.parent.name != "data" or p.name == "records.csv.gz"
    ]
    assert len(spreadsheets) >= 1 + 2 + 5  # all, a year's (2020, 2021), an agency's
    assert all(gzip.decompress(p.read_bytes()).startswith(b"\xef\xbb\xbf") for p in spreadsheets)
    packed = (sub_path_site / "data" / "records.json.gz").read_bytes()  # compressed, no mark
    assert not gzip.decompress(packed).startswith(b"\xef")
