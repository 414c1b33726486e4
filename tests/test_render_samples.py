"""Hand-made records, findings and a stand-in rule catalogue for the render and site tests."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from generator import record as spec
from generator.model import Failure

HOSTILE = (
    "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
    "{{ 7*7 }} {% raw %} `code` *em* _u_ ~~s~~ !{: onclick=alert(1) }"
)
HOSTILE_LINES = "\n".join(
    [
        "# heading",
        "| a | b |",
        "| --- | --- |",
        '--8<-- "/etc/passwd"',
        "- item",
        "1. item",
        "> quote",
        "    indented code",
        "<script>alert(2)</script>",
        "[x](javascript:alert(1))",
        "正文第二段 {{ 7*7 }}",
        "标题行",
        "===",
    ]
)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    family: str
    level: str
    scope: str
    what: str
    basis: str
    certainty: str


RULES = (
    Rule(
        "T3-01",
        "申请数量勾稽关系",
        "第三部分表格",
        "error",
        "all",
        "每一列：一 + 二 = 三（七）总计 + 四。",
        "表头原文：“（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）”",
        "V",
    ),
    Rule(
        "T3-05",
        "没有空格或占位符",
        "第三部分表格",
        "warning",
        "all",
        "第三部分表格中不应有空格。",
        "实务做法（§4）",
        "V",
    ),
    Rule(
        "T3-02",
        "总计行等于各结果行之和",
        "第三部分表格",
        "error",
        "all",
        "（七）总计 = 各办理结果行之和。",
        "由表格设计推断",
        "D",
    ),
    Rule(
        "TX-05",
        "第六部分说明信息处理费",
        "正文",
        "warning",
        "2021",
        "2021 年及以后的报告在第六部分说明是否收取信息处理费。",
        "国办公开办函〔2021〕30号（六）",
        "U",
    ),
)


def _requests(edition: str, granted_total: int = 2) -> dict:
    rows = spec.request_rows(edition)
    table = {rid: [0, 0, 0, 0, 0, 0, 0] for rid, _ in rows}
    table["received"] = [5, 0, 0, 0, 0, 0, 5]
    table["granted"] = [granted_total, 0, 0, 0, 0, 0, granted_total]
    table["unable_not_held"] = [3, 0, 0, 0, 0, 0, 3]
    table["handled_total"] = [5, 0, 0, 0, 0, 0, 5]
    return table


def _base(rid: str, name: str, year: int, edition: str | None, region: dict | None) -> dict:
    return {
        "schema": spec.SCHEMA,
        "id": rid,
        "agency": {
            "name": name,
            "region": region or {"province": None, "city": None, "county": None, "township": None},
        },
        "year": year,
        "edition": edition,
        "title": f"{name}{year}年政府信息公开工作年度报告",
        "published": f"{year + 1}-01-20",
        "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "contact": {
            "address": "伊春市伊美区政府大楼",
            "postcode": "153000",
            "phone": "0458-1234567",
            "email": None,
            "website": None,
        },
        "source": {
            "file": f"reports/{rid}.txt",
            "sha256": "0" * 64,
            "format": "txt",
            "pages": None,
        },
        "sections": {
            "overview": "本机关认真贯彻落实《条例》，做好主动公开和依申请公开工作。\n推进政府信息管理和平台建设。",
            "proactive": "主动公开情况见下表。",
            "requests": "依申请公开情况见下表。",
            "appeals": "本年度发生行政复议、行政诉讼案件1件。",
            "problems": "存在的主要问题是队伍不稳定。",
            "other": "本年度未收取信息处理费。",
        },
        "proactive": {},
        "requests": _requests(edition or "2021"),
        "appeals": {
            "review": {
                "upheld": None,
                "corrected": None,
                "other": None,
                "pending": None,
                "total": None,
            },
            "suit_direct": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1},
            "suit_after_review": {
                "upheld": 0,
                "corrected": 0,
                "other": 0,
                "pending": 0,
                "total": 0,
            },
        },
        "checks": [],
        "parse": {"version": "test", "warnings": []},
    }


YIMEI = {"province": "黑龙江省", "city": "伊春市", "county": "伊美区", "township": None}
HAIDIAN = {"province": "北京市", "city": "北京市", "county": "海淀区", "township": None}


def make_records() -> list[dict]:
    r2021 = _base("yimei-qu-renmin-zhengfu/2021", "伊美区人民政府", 2021, "2021", YIMEI)
    r2021["proactive"] = {
        "rules": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_docs": {"issued": 3, "repealed": 1, "in_force": 12},
        "licensing": {"decisions": 1520},
        "penalty": {"decisions": 37},
        "coercion": {"decisions": 0},
        "fees": {"amount": 1.5},
    }
    r2021["requests"]["granted"][1] = None  # blank in the report: must show "—", never 0
    r2021["parse"]["warnings"] = [
        {
            "code": "blank-cell",
            "message": "单元格为空",
            "line": 42,
            "where": "requests.granted.commercial",
            "text": "",
        }
    ]

    r2020 = _base("yimei-qu-renmin-zhengfu/2020", "伊美区人民政府", 2020, "2019", YIMEI)
    r2020["proactive"] = {
        "rules": {"made": 0, "published": 0, "total_published": 0},
        "normative_docs": {"made": 2, "published": 2, "total_published": 9},
        "licensing": {"previous": 120, "change": -8, "decisions": 1400},
        "other_services": {"previous": 30, "change": 2, "decisions": 77},
        "penalty": {"previous": 10, "change": 0, "decisions": 20},
        "coercion": {"previous": 1, "change": 0, "decisions": 0},
        "fees": {"previous": 0, "change": 0},
        "procurement": {"projects": 4, "amount": 251000},
    }

    r_haidian = _base("haidian-qu-renmin-zhengfu/2021", "海淀区人民政府", 2021, "2021", HAIDIAN)
    r_haidian["requests"] = _requests("2021", granted_total=1)

    hostile = _base("eyi-ju/2022", "恶意局" + HOSTILE, 2022, "2021", None)
    hostile["title"] = "# " + HOSTILE
    hostile["published"] = "<b>2023</b>"
    hostile["contact"]["website"] = "javascript:alert(1)"
    hostile["contact"]["address"] = HOSTILE_LINES
    hostile["sections"] = dict.fromkeys(spec.SECTION_KEYS, HOSTILE_LINES + "\n" + HOSTILE)
    hostile["parse"]["warnings"] = [
        {
            "code": "extra-row",
            "message": HOSTILE,
            "line": 7,
            "where": "requests",
            "text": HOSTILE_LINES,
        }
    ]
    return [r2021, r2020, r_haidian, hostile]


def make_findings() -> dict[str, list[dict]]:
    return {
        "yimei-qu-renmin-zhengfu/2021": [
            {
                "rule": "T3-05",
                "level": "warning",
                "message": "第三部分有 1 个空格",
                "where": "requests.granted.commercial",
                "line": 42,
                "status": "fail",
            },
            {
                "rule": "T3-01",
                "level": "info",
                "message": "商业企业列无法核对：（一）予以公开为空",
                "where": "requests",
                "line": None,
                "status": "not-assessable",
            },
        ],
        "eyi-ju/2022": [
            {
                "rule": "T3-01",
                "level": "error",
                "message": HOSTILE,
                "where": "requests.received.natural_person",
                "line": 3,
                "status": "fail",
            },
            {
                "rule": "ZZ-99",
                "level": "warning",
                "message": "未知规则的发现",
                "where": None,
                "line": None,
                "status": "fail",
            },
        ],
    }


def with_checks(records: list[dict], findings: dict[str, list[dict]]) -> list[dict]:
    out = copy.deepcopy(records)
    for r in out:
        r["checks"] = findings.get(r["id"], [])
    return out


def render_content(
    tmp: Path,
    records: list[dict],
    findings: dict[str, list[dict]],
    failures: list[Failure],
    content: Path | None = None,
) -> Path:
    """Render records (with their findings as `checks`) into tmp/content, as a build does."""
    from generator.render import render_site

    records = with_checks(records, findings)
    findings = {r["id"]: findings.get(r["id"], []) for r in records}
    content = content or tmp / "content"
    render_site(records, findings, failures, RULES, content, make_sources(tmp, records))
    return content


def make_sources(tmp: Path, records: list[dict]) -> dict[str, Path]:
    sources = {}
    for r in records:
        path = tmp / "src" / (str(r["id"]).replace("/", "_").replace(".", "_") + ".txt")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{r['title']}\n原文\n", "utf-8")
        sources[r["id"]] = path
    return sources


FAILURES = [Failure("reports/broken<script>.doc", "doc", "旧版 .doc 文件需要 LibreOffice 才能读取")]
