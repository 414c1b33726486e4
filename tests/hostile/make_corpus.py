"""Write a corpus of hostile and broken report files into a folder (for tests/test_hostile.py).

    python tests/hostile/make_corpus.py OUT_DIR [--huge]

Nothing binary or large is checked in: every file is made here, from the sample reports in
reports/. `CASES` names each file by its role so the tests can look files up without repeating
paths. The 50 MB file is written only with `huge=True` (a session fixture does it once).
"""

from __future__ import annotations

import io
import random
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ROOT / "reports"
SAMPLES = {
    "weidong": REPORTS / "河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt",
    "yiyang": REPORTS / "河南省/洛阳市/宜阳县/宜阳县人民政府办公室-2021年报.txt",
    "yimei": REPORTS / "黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报.txt",
    "jianshan": REPORTS / "黑龙江省/双鸭山市/尖山区/尖山区人民政府-2021年报.txt",
    "yijia": REPORTS / "福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt",
}

# role -> path inside the corpus folder (POSIX, as load_corpus reports it)
CASES = {
    "empty": "坏文件/empty.txt",
    "binary": "坏文件/binary garbage.txt",
    "binary_hostile_name": "坏文件/[点我](javascript:alert(1)) <script>alert(1)</script>.txt",
    "truncated_pdf": "坏文件/truncated.pdf",
    "encrypted_pdf": "坏文件/encrypted.pdf",
    "scanned_pdf": "坏文件/scanned.pdf",
    "zip_docx": "坏文件/zip renamed.docx",
    "huge": "坏文件/huge 50MB.txt",
    "gbk": "黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报 GBK.txt",
    "no_tables": "黑龙江省/双鸭山市/尖山区/尖山区 无表格.txt",
    "dup_newer": "福建省/三明市/建宁县/伊家乡/a 更正版.txt",
    "dup_older": "福建省/三明市/建宁县/伊家乡/b 原版.txt",
    "odd_names": "河南省/洛阳市/宜阳县/奇怪 目录 😀 ..x/a..b \"引号\" 'single' 😀.txt",
    "hostile": '河南省/平顶山市/卫东区/注入 "测试" <b>..</b>/卫东区 <script> 😀.txt',
}
HUGE_BYTES = 50 * 1024 * 1024

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_LINK = "[点我](javascript:alert(1))"
IFRAME = '<iframe src="https://evil.example/"></iframe>'
JINJA = "{{ 7*7 }}"
JINJA_TAG = '{% include "x" %}'
SNIPPET = '--8<-- "/etc/passwd"'
YAML_OBJECT = '!!python/object/apply:os.system ["echo pwned"]'

PAYLOAD_LINES = (
    SCRIPT,
    IMG,
    JS_LINK,
    IFRAME,
    "# 伪造的标题",
    "|---|---|",
    "表格破坏 |---|---| 结束",
    "***",
    "```",
    JINJA,
    JINJA_TAG,
    SNIPPET,
    "key: value",
    "---",
    YAML_OBJECT,
    "    四个空格开头的代码块",
    "1. 伪造列表",
    "=====",
)
"""One payload a line: each must reach the page as literal text."""
INLINE_PAYLOAD = f"注入{SCRIPT}{IMG}{JS_LINK}{JINJA}{JINJA_TAG} `未闭合 **粗体"
"""Payloads glued into a real narrative sentence and into table header cells."""

ODD_AGENCY = '宜阳县人民政府办公室😀"引号"..\''


def text_of(name: str) -> str:
    return SAMPLES[name].read_text(encoding="utf-8")


def hostile_text() -> str:
    """卫东区 2021 with payloads in its title, narrative and table header cells (no value or
    row label is touched, so its tables must parse exactly like the original's)."""
    lines = text_of("weidong").splitlines()
    out: list[str] = []
    for line in lines:
        if line.startswith("# 卫东区政府办2021年政府信息公开工作年度报告"):
            out.append(line + SCRIPT + JINJA)
            continue
        if line.startswith("信息内容\t"):
            line = line.replace("信息内容", "信息内容" + IMG, 1)
        elif line.startswith("(本列数据的勾稽关系为"):
            first, rest = line.split("\t", 1)
            line = first + SCRIPT + IFRAME + "\t" + rest
        elif line.startswith("行政复议\t"):
            line = line.replace("行政复议", "行政复议" + JS_LINK, 1)
        elif line.startswith("(一) 主动公开情况。"):
            line = line + INLINE_PAYLOAD
        out.append(line)
        if line == "### 一、总体情况" or line == "#### 五、存在的主要问题及改进情况":
            out.append("")
            for payload in PAYLOAD_LINES:
                out.extend([payload, ""])
    out.extend(["", *PAYLOAD_LINES])
    return "\n".join(out) + "\n"


def no_tables_text() -> str:
    """尖山区 2021 with every table cell removed: narrative only."""
    kept = [
        line
        for line in text_of("jianshan").splitlines()
        if "\t" not in line and len(line.strip()) >= 4 and not line.strip().isdigit()
    ]
    return "\n".join(kept) + "\n"


def duplicate_texts() -> tuple[str, str]:
    """伊家乡 2020 twice: the newer (by date) sorts first by name, so the date must decide."""
    original = text_of("yijia")
    assert "2021年1月8日" in original
    return original.replace("2021年1月8日", "2021年1月20日"), original


def odd_names_text() -> str:
    """宜阳县 2021 with emoji, quotes and `..` in the agency name of its title."""
    text = text_of("yiyang")
    assert "宜阳县人民政府办公室2021年" in text
    return text.replace("宜阳县人民政府办公室2021年", ODD_AGENCY + "2021年", 1)


# ---- PDF and DOCX -----------------------------------------------------------------------------


def _text_pdf(encrypt: str | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    kwargs = {"encrypt": encrypt} if encrypt else {}
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1, **kwargs)
    lines = [line for line in text_of("yimei").splitlines() if line.strip()]
    for page in range(0, min(len(lines), 120), 40):
        y = 800
        c.setFont("STSong-Light", 9)
        for line in lines[page : page + 40]:
            c.drawString(40, y, line.replace("\t", "  ")[:60])
            y -= 18
        c.showPage()
    c.save()
    return buffer.getvalue()


def _scanned_pdf() -> bytes:
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("L", (400, 560), 255)
    draw = ImageDraw.Draw(image)
    for y in range(40, 520, 24):
        draw.rectangle((40, y, 360, y + 10), fill=80)
    png = io.BytesIO()
    image.save(png, format="PNG")
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for _ in range(2):
        c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 50, 100, 495, 693)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _zip_as_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("readme.txt", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(info, "这是一个压缩包，不是 Word 文档")
    return buffer.getvalue()


def _binary() -> bytes:
    rng = random.Random(20240601)
    return b"\x00\x01\x02PK\x03\x04" + bytes(rng.randrange(256) for _ in range(8192))


def write_huge(path: Path, size: int = HUGE_BYTES) -> None:
    """A text file of `size` bytes, written in chunks (never held in memory whole)."""
    chunk = ("一、总体情况 这是一行很长的报告文字。" * 40 + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        written = 0
        while written + len(chunk) <= size:
            out.write(chunk)
            written += len(chunk)
        out.write(b"x" * (size - written))


# ---- the corpus -----------------------------------------------------------------------------------


def build(out: Path, *, huge: bool = False) -> dict[str, Path]:
    """Write the corpus into out (created); return role -> absolute path of what was written."""
    newer, older = duplicate_texts()
    text_pdf = _text_pdf()
    contents: dict[str, bytes] = {
        "empty": b"",
        "binary": _binary(),
        "binary_hostile_name": _binary(),
        "truncated_pdf": text_pdf[: len(text_pdf) // 3],
        "encrypted_pdf": _text_pdf(encrypt="secret"),
        "scanned_pdf": _scanned_pdf(),
        "zip_docx": _zip_as_docx(),
        "gbk": text_of("yimei").encode("gbk"),
        "no_tables": no_tables_text().encode("utf-8"),
        "dup_newer": newer.encode("utf-8"),
        "dup_older": older.encode("utf-8"),
        "odd_names": odd_names_text().encode("utf-8"),
        "hostile": hostile_text().encode("utf-8"),
    }
    written = {}
    for role, data in contents.items():
        path = out / CASES[role]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written[role] = path
    if huge:
        write_huge(out / CASES["huge"])
        written["huge"] = out / CASES["huge"]
    return written


def original_of(role: str) -> Path | None:
    """The sample report a corpus file was made from (for comparing parsed values)."""
    return {
        "gbk": SAMPLES["yimei"],
        "hostile": SAMPLES["weidong"],
        "odd_names": SAMPLES["yiyang"],
        "dup_older": SAMPLES["yijia"],
        "no_tables": SAMPLES["jianshan"],
    }.get(role)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: make_corpus.py OUT_DIR [--huge]")
    made = build(Path(sys.argv[1]), huge="--huge" in sys.argv[2:])
    for role, path in made.items():
        print(f"{role:20} {path}")
