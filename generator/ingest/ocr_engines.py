"""OCR engines behind one small interface: read a cell, read a cell's digits, read page lines.

Tesseract (the default): libtesseract through tesserocr (its wheel bundles the library) with
Debian's language data (`tesseract-ocr-chi-sim`, `tesseract-ocr-eng`); one API object per
process and mode, so a table's ~200 cells cost about a second. RapidOCR (PP-OCR models
shipped inside the `rapidocr` wheel, run by onnxruntime) is kept for bench/ocr.py, which
compares the two. Neither loads anything from the network: models come from disk or the
engine is reported missing.

Confidences are the engine's own, scaled to 0..1. For a digits reading it is the lowest
confidence of any character: one doubtful digit makes the whole number doubtful.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

import numpy as np

from generator.ingest.ocr_image import Box

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

INSTALL_HINT = (
    "扫描件需要 OCR 引擎：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim"
    "（apt-get install tesseract-ocr tesseract-ocr-chi-sim）"
)
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",  # Debian 12+, Ubuntu 22.04+
    "/usr/share/tesseract-ocr/4.00/tessdata",  # Debian 11, Ubuntu 20.04
    "/usr/share/tessdata",  # Fedora, Arch
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
LANGUAGES = ("chi_sim", "eng")
DIGITS = "0123456789.,-"
CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{CJK}])\s+|\s+(?=[{CJK}])")


class EngineMissing(Exception):
    """No usable OCR engine on this machine; the message says what to install."""


@dataclass(frozen=True, slots=True)
class Reading:
    text: str
    confidence: float
    """0..1, the engine's own confidence."""


@dataclass(frozen=True, slots=True)
class TextLine:
    text: str
    box: Box
    confidence: float


class Engine(Protocol):
    name: str
    version: str

    def read_text(self, image: np.ndarray) -> Reading: ...

    def read_digits(self, image: np.ndarray) -> Iterator[Reading]: ...

    def read_lines(self, grey: np.ndarray) -> list[TextLine]: ...


class _TessApi(Protocol):
    """What is used of a tesserocr.PyTessBaseAPI (tesserocr has no type information that
    mypy can use: see the ignore_missing_imports list in pyproject.toml)."""

    def SetVariable(self, name: str, val: str) -> bool: ...

    def SetImage(self, image: PilImage) -> None: ...

    def SetSourceResolution(self, ppi: int) -> None: ...

    def Recognize(self, timeout: int = 0) -> bool: ...

    def GetUTF8Text(self) -> str: ...

    def MeanTextConf(self) -> int: ...

    def GetIterator(self) -> object: ...


def tidy(text: str) -> str:
    """Engine text -> cell text: Chinese is not spaced (Tesseract spaces CJK characters)."""
    lines = [_SPACE_NEAR_CJK.sub("", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


# --- Tesseract ---------------------------------------------------------------------------------


def tessdata_dir() -> Path | None:
    """The folder holding chi_sim and eng traineddata: TESSDATA_PREFIX, then the usual places."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and all((Path(folder) / f"{lang}.traineddata").is_file() for lang in LANGUAGES):
            return Path(folder)
    return None


class Tesseract:
    name = "tesseract"

    def __init__(self) -> None:
        # Reports are read in parallel across processes (pipeline); threads inside one
        # process only fight over the two cores for tiny cell images.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            import tesserocr
        except ImportError as exc:
            raise EngineMissing(
                f"{INSTALL_HINT}，并安装 Python 包 tesserocr（pip install tesserocr）"
            ) from exc
        folder = tessdata_dir()
        if folder is None:
            raise EngineMissing(f"{INSTALL_HINT}（未找到中文识别数据 chi_sim.traineddata）")
        self._t = tesserocr
        self.version = tesserocr.tesseract_version().split()[1]
        psm = tesserocr.PSM
        api = tesserocr.PyTessBaseAPI
        self._text: _TessApi = api(path=str(folder), lang="chi_sim", psm=psm.SINGLE_BLOCK)
        self._page: _TessApi = api(path=str(folder), lang="chi_sim", psm=psm.AUTO)
        self._digits: _TessApi = api(path=str(folder), lang="eng", psm=psm.SINGLE_LINE)
        self._digits.SetVariable("tessedit_char_whitelist", DIGITS)
        self._word: _TessApi = api(path=str(folder), lang="eng", psm=psm.SINGLE_WORD)
        self._word.SetVariable("tessedit_char_whitelist", DIGITS)

    def _set(self, api: _TessApi, image: np.ndarray) -> None:
        from PIL import Image

        api.SetImage(Image.fromarray(image))
        api.SetSourceResolution(300)
        api.Recognize()

    def read_text(self, image: np.ndarray) -> Reading:
        self._set(self._text, image)
        text = tidy(self._text.GetUTF8Text())
        return Reading(text, max(0, self._text.MeanTextConf()) / 100)

    def read_digits(self, image: np.ndarray) -> Iterator[Reading]:
        """Digits-only readings, best first: as a line, then as one word at twice the size
        (the line mode now and then returns nothing for a lone 0 or 1; measured on the
        scanned fixtures, bench/README.md)."""
        import cv2

        yield self._digits_of(self._digits, image)
        yield self._digits_of(
            self._word, cv2.resize(image, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
        )

    def _digits_of(self, api: _TessApi, image: np.ndarray) -> Reading:
        self._set(api, image)
        text = re.sub(r"\s+", "", api.GetUTF8Text())
        level = self._t.RIL.SYMBOL
        confidences = [
            symbol.Confidence(level) for symbol in self._t.iterate_level(api.GetIterator(), level)
        ]
        return Reading(text, min(confidences, default=0.0) / 100)

    def read_lines(self, grey: np.ndarray) -> list[TextLine]:
        self._set(self._page, grey)
        level = self._t.RIL.TEXTLINE
        lines = []
        for line in self._t.iterate_level(self._page.GetIterator(), level):
            try:
                text = tidy(line.GetUTF8Text(level) or "")
            except RuntimeError:  # tesserocr's way of saying the page has no text at all
                break
            box = line.BoundingBox(level)
            if text and box:
                lines.append(TextLine(text, Box(*box), line.Confidence(level) / 100))
        return lines


# --- RapidOCR ----------------------------------------------------------------------------------

SINGLE_LINE_MAX = 80
"""Pixels at WORK_DPI: a taller cell crop holds wrapped lines, which RapidOCR's recogniser
alone cannot read: they are cut apart first."""


class RapidOcr:
    name = "rapidocr"

    def __init__(self) -> None:
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:
            raise EngineMissing(
                "未安装 OCR 引擎 rapidocr：pip install rapidocr onnxruntime"
            ) from exc
        models = Path(rapidocr.__file__).parent / "models"
        paths = {
            "Det.model_path": models / "PP-OCRv6_det_small.onnx",
            "Rec.model_path": models / "PP-OCRv6_rec_small.onnx",
            "Cls.model_path": models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
        }
        missing = [str(p) for p in paths.values() if not p.is_file()]
        if missing:  # never let it fetch a model: that would be a download at run time
            raise EngineMissing(f"rapidocr 安装不完整，缺少模型文件：{', '.join(missing)}")
        params: dict[str, str | int] = {key: str(path) for key, path in paths.items()}
        params |= {
            "Global.log_level": "error",
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        self._ocr = RapidOCR(params=params)
        self._last: tuple[np.ndarray | None, Reading] = (None, Reading("", 0.0))
        from importlib.metadata import version

        self.version = version("rapidocr")

    def _rec(self, image: np.ndarray) -> Reading:
        texts, scores = [], []
        for strip in _line_strips(image) if image.shape[0] > SINGLE_LINE_MAX else [image]:
            result = self._ocr(strip, use_det=False, use_cls=False, use_rec=True)
            for text, score in zip(result.txts or (), result.scores or (), strict=False):
                if text:
                    texts.append(text)
                    scores.append(float(score))
        return Reading(tidy("\n".join(texts)), min(scores, default=0.0))

    def read_text(self, image: np.ndarray) -> Reading:
        self._last = (image, self._rec(image))
        return self._last[1]

    def read_digits(self, image: np.ndarray) -> Iterator[Reading]:
        # no character whitelist in PP-OCR: a reading with anything but digits is not a number;
        # the recogniser has one mode, so the cell's general reading is reused
        last_image, last = self._last
        reading = last if last_image is image else self._rec(image)
        text = re.sub(r"\s+", "", reading.text)
        if not text or any(ch not in DIGITS for ch in text):
            yield Reading(text, 0.0)
        else:
            yield Reading(text, reading.confidence)

    def read_lines(self, grey: np.ndarray) -> list[TextLine]:
        import cv2

        image = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
        result = self._ocr(image, use_det=True, use_cls=False, use_rec=True)
        lines = []
        for points, text, score in zip(
            result.boxes if result.boxes is not None else (),
            result.txts or (),
            result.scores or (),
            strict=False,
        ):
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = Box(int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys)))
            if tidy(text):
                lines.append(TextLine(tidy(text), box, float(score)))
        return lines


def _line_strips(image: np.ndarray) -> list[np.ndarray]:
    """A cell of wrapped lines cut at its blank rows (RapidOCR's detector takes ~1.5 s on
    one cell; the cut takes nothing)."""
    # a 2-D image reduced along axis 1 is an array (numpy's stubs also allow a scalar)
    inked = cast("np.ndarray", (image < 128).any(axis=1))
    strips, start = [], None
    for y, ink in enumerate(inked):
        if ink and start is None:
            start = y
        elif not ink and start is not None:
            strips.append(image[max(0, start - 6) : y + 6])
            start = None
    if start is not None:
        strips.append(image[max(0, start - 6) :])
    return strips or [image]


ENGINES: dict[str, Callable[[], Engine]] = {"tesseract": Tesseract, "rapidocr": RapidOcr}
DEFAULT_ENGINE = "tesseract"
_loaded: dict[str, Engine] = {}


def engine(name: str | None = None) -> Engine:
    """The engine of that name (NIANBAO_OCR_ENGINE, else Tesseract), made once per process.
    Raises EngineMissing with what to install."""
    chosen = name or os.environ.get("NIANBAO_OCR_ENGINE") or DEFAULT_ENGINE
    if chosen not in ENGINES:
        raise EngineMissing(
            f"不认识的 OCR 引擎“{chosen}”（可用：{'、'.join(ENGINES)}）：请检查 NIANBAO_OCR_ENGINE"
        )
    if chosen not in _loaded:
        _loaded[chosen] = ENGINES[chosen]()
    return _loaded[chosen]
