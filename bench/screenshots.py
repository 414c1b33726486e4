"""Screenshots of every page of a built site, and their pixel difference to another set.

    python bench/screenshots.py shoot SITE OUT      # OUT/desktop/*.png, OUT/phone/*.png
    python bench/screenshots.py compare BEFORE AFTER

`shoot` serves SITE on 127.0.0.1 and takes a full-page screenshot of every HTML page (all
<details> opened, so the report pages' 解析提示 and the charts' number tables show) in system
Chromium at desktop (1280 px) and phone (390 px) width. `compare` prints, per screenshot, the
share of pixels that differ (Pillow) and the size of both images. Used for issue 15's HTML
fragments (bench/README.md); nothing is asserted.
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

PORT = 8617
"""One fixed port: the 引用本报告 box shows the page's address, port included."""
WIDTHS = {"desktop": (1280, 900, 1), "phone": (390, 844, 2)}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def pages(site: Path) -> list[str]:
    """Every page's path under the site (folders with an index.html, not the search bundle)."""
    found = []
    for index in sorted(site.rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel.startswith("pagefind"):
            continue
        found.append("" if rel == "." else rel + "/")
    return found


def shoot(site: Path, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", PORT), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            for name, (width, height, scale) in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    device_scale_factor=scale,
                    is_mobile=name == "phone",
                    has_touch=name == "phone",
                )
                page = context.new_page()
                (out / name).mkdir(parents=True, exist_ok=True)
                for path in pages(site):
                    page.goto(base + path)
                    page.wait_for_load_state("load")
                    page.evaluate(
                        "() => document.querySelectorAll('details').forEach(d => d.open = true)"
                    )
                    # The cite box writes today's date: the same text in both sets.
                    page.evaluate(
                        "() => document.querySelectorAll('[data-nb-accessed]')"
                        ".forEach(e => e.textContent = '2026-01-01')"
                    )
                    # Let the wide-table script and late paints settle (they vary run to run).
                    page.wait_for_timeout(300)
                    target = out / name / ((path.strip("/").replace("/", "__") or "home") + ".png")
                    page.screenshot(path=str(target), full_page=True, animations="disabled")
                context.close()
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


def compare(before: Path, after: Path) -> int:
    from PIL import Image, ImageChops

    # Our own screenshots: a full-page phone shot of a long analysis page at 1,000 reports is
    # over Pillow's decompression-bomb limit (377 million pixels).
    Image.MAX_IMAGE_PIXELS = None
    differing = 0
    names = sorted(p.relative_to(before) for p in before.rglob("*.png"))
    missing = sorted(
        p.relative_to(after)
        for p in after.rglob("*.png")
        if not (before / p.relative_to(after)).is_file()
    )
    for name in names:
        a = Image.open(before / name).convert("RGB")
        if not (after / name).is_file():
            print(f"{name}: missing after")
            differing += 1
            continue
        b = Image.open(after / name).convert("RGB")
        if a.size != b.size:
            print(f"{name}: size {a.size} -> {b.size}")
            differing += 1
            continue
        diff = ImageChops.difference(a, b)
        box = diff.getbbox()
        if box is None:
            continue
        red, green, blue = diff.split()
        most = ImageChops.lighter(ImageChops.lighter(red, green), blue)
        changed = most.point(lambda v: 255 if v else 0).histogram()[255]
        print(f"{name}: {changed / (a.size[0] * a.size[1]):.4%} of pixels differ, in box {box}")
        differing += 1
    for name in missing:
        print(f"{name}: only after")
    print(f"{len(names)} screenshots compared, {differing} differ, {len(missing)} only after")
    return 1 if differing or missing else 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "shoot":
        shoot(Path(argv[1]).resolve(), Path(argv[2]).resolve())
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
