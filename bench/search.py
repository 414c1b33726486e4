"""Search benchmark: bytes the browser transfers and time to results for one query.

    python bench/search.py SITE_DIR [QUERY ...]      (default queries: 行政复议 伊美区 依申请公开)

Serves SITE_DIR on 127.0.0.1 and, for each query in a fresh browser context (cold cache),
loads the home page in Chromium (/usr/bin/chromium), focuses the header search box (which
starts loading Pagefind), waits 50 ms as a person would before typing, types the query and
waits until the results are painted. Times are measured in the page (typed -> painted, and
focus -> painted; both include the search box's 150 ms debounce), not by Playwright's
click/fill/wait, which adds about half a second of its own. Bytes are every response between
focus and paint, but for the pages of the results: the search box fetches each shown
result's page for its excerpt after the titles are painted; their bytes are "excerpt KB", and
"excerpts s" is typed -> every listed result's excerpt filled in. Prints one row per query; asserts nothing (speed goals live in bench/).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

SEARCH = """async (query) => {
  const list = document.querySelector('[data-nb-search-results]');
  const box = document.querySelector('input[data-nb-search-query]');
  const meta = document.querySelector('[data-nb-search-meta]');
  const placeholder = meta.textContent;
  // painted: the first results are listed, or the count says there are none
  const shown = new Promise(resolve => new MutationObserver((changes, observer) => {
    if (list.children.length || (meta.textContent !== placeholder && /^\\D*$/.test(meta.textContent))) {
      observer.disconnect(); resolve();
    }
  }).observe(meta.parentNode, {childList: true, subtree: true, characterData: true}));
  const focused = performance.now();
  box.focus();
  await new Promise(resolve => setTimeout(resolve, 50));
  const typed = performance.now();
  box.value = query;
  box.dispatchEvent(new Event('input'));
  await shown;
  await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const painted = performance.now();
  const filled = () => Array.from(list.querySelectorAll('article p')).every(p => p.textContent);
  const limit = performance.now() + 10000;  // a page that cannot be fetched leaves its excerpt empty
  while (!filled() && performance.now() < limit) await new Promise(r => setTimeout(r, 10));
  const excerpts = performance.now();
  return {typed: (painted - typed) / 1000, focused: (painted - focused) / 1000,
          excerpts: (excerpts - typed) / 1000, meta: meta.textContent};
}"""


def _size(response) -> int:
    """Bytes of a response body (0 for an error, or when the page closed before it came)."""
    try:
        return len(response.body()) if response.ok else 0
    except Exception:  # the context was closed while a late response was being read
        return 0


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
    print(
        f"{'query':<12} {'results':>10} {'requests':>9} {'KB':>6} {'typed->shown s':>15} "
        f"{'focus->shown s':>15} {'excerpts s':>11} {'excerpt KB':>11}"
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for query in queries:
            page = browser.new_context().new_page()  # cold cache per query
            page.goto(base)
            page.wait_for_load_state("networkidle")
            sizes: list[tuple[str, int]] = []
            page.on("response", lambda r, sizes=sizes: sizes.append((r.url, _size(r))))
            timing = page.evaluate(SEARCH, query)
            results = timing["meta"].split(" ")[0]
            pages = ("/", ".html")  # a page, not a part of the index (the home page came before)
            before = [size for url, size in sizes if not url.endswith(pages)]
            after = [size for url, size in sizes if url.endswith(pages)]
            print(
                f"{query:<12} {results:>10} {len(before):>9} {sum(before) / 1024:6.0f} "
                f"{timing['typed']:15.2f} {timing['focused']:15.2f} "
                f"{timing['excerpts']:11.2f} {sum(after) / 1024:11.0f}"
            )
            page.context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
