"""Search benchmark: bytes the browser transfers and time to results for one query.

    python bench/search.py SITE_DIR [QUERY ...]      (default queries: 行政复议 伊美区 依申请公开)

Serves SITE_DIR on 127.0.0.1, loads the home page in Chromium (/usr/bin/chromium), then for
each query counts the responses fetched between typing and network idle. Prints one row per
query; asserts nothing (speed goals live in bench/, not in tests).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path


def main() -> None:
    from playwright.sync_api import sync_playwright

    site = Path(sys.argv[1])
    queries = sys.argv[2:] or ["行政复议", "伊美区", "依申请公开"]
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'query':<12} {'results':>8} {'requests':>9} {'KB':>8} {'seconds':>8}")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for query in queries:
            page = browser.new_context().new_page()  # cold cache per query
            page.goto(base)
            page.wait_for_load_state("networkidle")
            sizes: list[int] = []
            page.on("response", lambda r, sizes=sizes: sizes.append(len(r.body())) if r.ok else None)
            start = time.perf_counter()
            box = page.locator("input[data-nb-search-query]")
            box.click()
            box.fill(query)
            page.locator(".md-search-result__item").first.wait_for(timeout=30000)
            page.wait_for_load_state("networkidle")
            elapsed = time.perf_counter() - start
            meta = page.locator("[data-nb-search-meta]").inner_text()
            print(f"{query:<12} {meta[:8]:>8} {len(sizes):>9} {sum(sizes) / 1024:8.0f} {elapsed:8.2f}")
            page.context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
