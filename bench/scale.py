"""Scale benchmark: N synthetic reports through the real build, stage by stage.

    python bench/scale.py --reports N [--keep DIR] [--seed S]

Writes N realistic text reports (agencies in region folders, years 2019-2024; 2019/2020 use the
2019-edition tables of the 伊家乡 sample, 2021 on the 2021-edition tables of the other samples;
the narrative sections 一、五、六 are a sample report's own, at its real length, with the names
and years moved to the synthetic agency)
into a temp project laid out like tests/test_e2e.py's make_project, then times each stage:
ingest+parse (load_corpus), check, render, MkDocs and the Pagefind search index. Numbers vary per
report but keep the §三 identities (新收+结转 = 总计+结转下年度, result rows sum to 总计, columns
sum to 总计); about 3 % are deliberately broken (wrong totals, wrong edition, missing table).

The build uses the project's cache folder (.cache/nianbao) as the CLI does. Then every page
of the built site goes, as plain text Markdown, into a bare MkDocs project with the same theme
settings and navigation (no hooks, no Markdown extensions), timed with `mkdocs build` and one
`pagefind` run (the "bare" rows and the ratio; --no-bare leaves them out). Afterwards one more
report is written (the next year of the first agency) and `nianbao build` runs end to end in a
new process with the warm cache and the previous site ("one report added" rows), then once
more with nothing changed (--no-incremental leaves both out). The "size" rows say what the
site consists of.
Prints one table; nothing is asserted (goals live in bench/README.md, not in tests).
"""

from __future__ import annotations

import argparse
import functools
import html
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.errors import NianbaoError  # noqa: E402
from generator.memos import loaded_memos  # noqa: E402
from generator.model import Level, count_levels  # noqa: E402
from generator.model.corpus import Corpus  # noqa: E402
from generator.pipeline import check_corpus_records, load_corpus  # noqa: E402
from generator.render.memo import ENTRY_SUFFIX  # noqa: E402
from generator.site import SEARCH_CACHE, copy_site_config  # noqa: E402

# --- places and agencies ---------------------------------------------------------------------

TOWNSHIP_STEMS = (
    "东风镇",
    "红旗乡",
    "新兴镇",
    "城关镇",
    "南关街道",
    "北山乡",
    "西河镇",
    "太平镇",
    "安乐乡",
    "和平街道",
    "长青镇",
    "石桥乡",
    "永安镇",
    "青山乡",
    "金星镇",
    "白云街道",
    "凤凰镇",
    "龙泉乡",
    "杏花街道",
    "柳河镇",
)
MORE_TOWNSHIP_STEMS = tuple(
    a + b
    for a in ("新华", "建设", "胜利", "光明", "前进", "团结", "幸福", "解放", "朝阳", "红星")
    for b in ("镇", "乡", "街道")
)
"""Townships used only past the first list's 11,410 reports (a province-sized run, issue 15:
20,000 reports), so that every smaller run writes the same reports as before."""
PLACES = {
    ("黑龙江省", "伊春市"): [
        "伊美区",
        "乌翠区",
        "友好区",
        "金林区",
        "汤旺县",
        "丰林县",
        "大箐山县",
        "南岔县",
    ],
    ("黑龙江省", "双鸭山市"): [
        "尖山区",
        "岭东区",
        "四方台区",
        "宝山区",
        "集贤县",
        "友谊县",
        "宝清县",
        "饶河县",
    ],
    ("河南省", "洛阳市"): [
        "宜阳县",
        "新安县",
        "栾川县",
        "嵩县",
        "汝阳县",
        "洛宁县",
        "伊川县",
        "孟津区",
    ],
    ("河南省", "平顶山市"): [
        "卫东区",
        "新华区",
        "湛河区",
        "石龙区",
        "宝丰县",
        "叶县",
        "鲁山县",
        "郏县",
    ],
    ("福建省", "三明市"): [
        "建宁县",
        "泰宁县",
        "将乐县",
        "沙县区",
        "尤溪县",
        "大田县",
        "宁化县",
        "清流县",
    ],
    ("浙江省", "丽水市"): [
        "莲都区",
        "青田县",
        "缙云县",
        "遂昌县",
        "松阳县",
        "云和县",
        "庆元县",
        "景宁畲族自治县",
    ],
    ("四川省", "绵阳市"): [
        "涪城区",
        "游仙区",
        "安州区",
        "三台县",
        "盐亭县",
        "梓潼县",
        "北川羌族自治县",
        "平武县",
    ],
    ("湖南省", "常德市"): [
        "武陵区",
        "鼎城区",
        "安乡县",
        "汉寿县",
        "澧县",
        "临澧县",
        "桃源县",
        "石门县",
    ],
    ("甘肃省", "天水市"): [
        "秦州区",
        "麦积区",
        "清水县",
        "秦安县",
        "甘谷县",
        "武山县",
        "张家川回族自治县",
    ],
    ("江西省", "赣州市"): [
        "章贡区",
        "南康区",
        "赣县区",
        "信丰县",
        "大余县",
        "上犹县",
        "崇义县",
        "安远县",
    ],
}
AGENCY_TYPES = [
    "人民政府",
    "人民政府办公室",
    "发展和改革局",
    "财政局",
    "教育局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "卫生健康局",
    "市场监督管理局",
    "农业农村局",
    "民政局",
    "人力资源和社会保障局",
    "应急管理局",
    "水利局",
]
YEARS = list(range(2019, 2025))

# --- narrative: the sample reports' own, at their real length --------------------------------

SAMPLE_REPORTS = (
    # (path under reports/, the names of the sample's agency and place its text uses)
    ("河南省/平顶山市/卫东区/卫东区政府办-2021年报.txt", ("卫东区政府办", "卫东区")),
    ("河南省/洛阳市/宜阳县/宜阳县人民政府办公室-2021年报.txt", ("宜阳县人民政府办公室", "宜阳县")),
    ("福建省/三明市/建宁县/伊家乡/伊家乡人民政府-2020年报.txt", ("伊家乡人民政府", "伊家乡")),
    ("黑龙江省/伊春市/伊美区/伊美区人民政府-2021年报.txt", ("伊美区人民政府", "伊美区")),
    ("黑龙江省/双鸭山市/尖山区/尖山区人民政府-2021年报.txt", ("尖山区人民政府", "尖山区")),
)
NARRATIVE_SECTIONS = ("overview", "problems", "other")


@functools.cache
def sample_narratives() -> tuple[tuple[int, tuple[str, ...], dict[str, str]], ...]:
    """(year, names, {section: text}) of each sample report: its narrative sections (一、五、六)
    as the parser reads them, so a synthetic report is as long as a real one."""
    from generator.ingest import read_document
    from generator.parse import parse_document

    out = []
    for relative, names in SAMPLE_REPORTS:
        record = parse_document(read_document(ROOT / "reports" / relative, relative))
        texts = record.sections.to_dict()
        assert record.year is not None
        out.append((record.year, names, {key: texts[key] or "" for key in NARRATIVE_SECTIONS}))
    return tuple(out)


def narrative(rng: random.Random, agency: str, place: str, year: int) -> dict[str, str]:
    """The narrative sections of one synthetic report: one sample's, chosen at random, with the
    sample's agency and place names and its years moved to this agency and year."""
    sample_year, names, texts = rng.choice(sample_narratives())

    def moved(text: str) -> str:
        for old, new in zip(names, (agency, place), strict=True):
            text = text.replace(old, new)
        for offset in (1, 0, -1, -2):  # placeholders first: 2021 -> 2023 must not become 2025
            text = text.replace(str(sample_year + offset), f"\0{offset}\0")
        for offset in (1, 0, -1, -2):
            text = text.replace(f"\0{offset}\0", str(year + offset))
        return text

    return {key: moved(text) for key, text in texts.items()}


HEADER_2019 = (
    "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t\t申请人情况\t\t\t\t\t\t\t\n"
    "\t\t自然人\t法人或其他组织\t\t\t\t\t总计\t\n"
    "\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\t\n"
)
ROWS = [  # (key, label cells); 2019 has one （六） row, 2021 three
    ("received", ["一、本年新收政府信息公开申请数量", ""]),
    ("carried_over", ["二、上年结转政府信息公开申请数量", ""]),
    ("granted", ["三、本年度办理结果", "(一) 予以公开"]),
    ("partly_granted", ["", "(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)"]),
    ("denied_state_secret", ["", "(三) 不予公开", "1. 属于国家秘密"]),
    ("denied_law_prohibited", ["", "", "2. 其他法律行政法规禁止公开"]),
    ("denied_security", ["", "", "3. 危及“三安全一稳定”"]),
    ("denied_third_party", ["", "", "4. 保护第三方合法权益"]),
    ("denied_internal", ["", "", "5. 属于三类内部事务信息"]),
    ("denied_process", ["", "", "6. 属于四类过程性信息"]),
    ("denied_enforcement_file", ["", "", "7. 属于行政执法案卷"]),
    ("denied_query", ["", "", "8. 属于行政查询事项"]),
    ("unable_not_held", ["", "(四) 无法提供", "1. 本机关不掌握相关政府信息"]),
    ("unable_needs_creation", ["", "", "2. 没有现成信息需要另行制作"]),
    ("unable_unclear", ["", "", "3. 补正后申请内容仍不明确"]),
    ("rejected_petition", ["", "(五) 不予处理", "1. 信访举报投诉类申请"]),
    ("rejected_repeat", ["", "", "2. 重复申请"]),
    ("rejected_publication", ["", "", "3. 要求提供公开出版物"]),
    ("rejected_excessive", ["", "", "4. 无正当理由大量反复申请"]),
    ("rejected_confirmation", ["", "", "5. 要求行政机关确认或重新出具已获取信息"]),
    ("other", ["", "(六) 其他处理", ""]),
    (
        "other_no_correction",
        ["", "(六) 其他处理", "1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
    ),
    (
        "other_unpaid_fee",
        ["", "", "2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"],
    ),
    ("other_misc", ["", "", "3. 其他"]),
    ("handled_total", ["", "(七) 总计", ""]),
    ("carried_forward", ["四、结转下年度继续办理", "", ""]),
]
RESULTS_2019 = [k for k, _ in ROWS[2:-2] if not k.startswith("other_")]
RESULTS_2021 = [k for k, _ in ROWS[2:-2] if k != "other"]
COLUMNS = 6  # 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他 (+ 总计)


def _requests(rng: random.Random, edition: str) -> dict[str, list[int]]:
    """Section 三 numbers per row (6 columns + total), identities kept."""
    results = RESULTS_2019 if edition == "2019" else RESULTS_2021
    weights = {
        "granted": 8,
        "partly_granted": 2,
        "unable_not_held": 4,
        "rejected_repeat": 1,
        "denied_process": 1,
    }
    scale = rng.choice([0, 1, 3, 10, 40, 150])
    rows: dict[str, list[int]] = {k: [0] * COLUMNS for k in results}
    carried_over, carried_forward = [0] * COLUMNS, [0] * COLUMNS
    for column in range(COLUMNS):
        share = 1.0 if column == 0 else rng.choice([0, 0, 0, 0.1, 0.3])
        for key in results:
            mean = scale * share * weights.get(key, 0.2) / 10
            rows[key][column] = (
                int(rng.expovariate(1 / mean)) if mean > 0 and rng.random() < 0.7 else 0
            )
        carried_over[column] = rng.choice([0, 0, 0, 1, 2]) if scale else 0
        carried_forward[column] = rng.choice([0, 0, 0, 1, 3]) if scale else 0
    handled = [sum(rows[k][c] for k in results) for c in range(COLUMNS)]
    carried_over = [
        min(o, h + f) for o, h, f in zip(carried_over, handled, carried_forward, strict=True)
    ]
    received = [h + f - o for h, f, o in zip(handled, carried_forward, carried_over, strict=True)]
    table = {
        "received": received,
        "carried_over": carried_over,
        **rows,
        "handled_total": handled,
        "carried_forward": carried_forward,
    }
    return {k: [*v, sum(v)] for k, v in table.items()}


def _requests_table(table: dict[str, list[int]], edition: str, broken: str | None) -> str:
    lines = [HEADER_2019]
    for key, labels in ROWS:
        if key not in table:
            continue
        values = list(table[key])
        if broken == "total" and key == "handled_total":
            values[-1] += 7
        cells = (labels + [""] * 3)[:3] if len(labels) == 3 else labels
        lines.append("\t".join(cells + [str(v) for v in values]) + "\n")
    return "".join(lines)


def _proactive_table(rng: random.Random, edition: str, state: dict) -> str:
    r = rng.randint
    if edition == "2019":
        made = r(0, 12)
        return (
            "第二十条第（一）项\t\t\t\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
            f"规章\t0\t0\t0\n规范性文件\t{made}\t{made}\t{made + r(0, 60)}\n"
            "第二十条第（五）项\t\t\t\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
            f"行政许可\t{r(0, 300)}\t{r(-5, 5)}\t{r(0, 9000)}\n其他对外管理服务事项\t{r(0, 50)}\t0\t{r(0, 500)}\n"
            "第二十条第（六）项\t\t\t\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n"
            f"行政处罚\t{r(0, 400)}\t{r(-5, 5)}\t{r(0, 2000)}\n行政强制\t{r(0, 40)}\t0\t{r(0, 100)}\n"
            "第二十条第（八）项\t\t\t\n信息内容\t上一年项目数量\t本年增/减\t\n"
            f"行政事业性收费\t{r(0, 30)}\t{r(-2, 2)}\t\n"
            "第二十条第（九）项\t\t\t\n信息内容\t采购项目数量\t采购总金额\t\n"
            f"政府集中采购\t{r(0, 80)}\t{r(0, 50000) / 10:.1f}\t\n"
        )
    issued, repealed = r(0, 15), r(0, 10)
    state["in_force"] = max(state.get("in_force", r(20, 80)) + issued - repealed, 0)
    return (
        "第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n"
        f"规章\t0\t0\t0\n行政规范性文件\t{issued}\t{repealed}\t{state['in_force']}\n"
        "第二十条第（五）项\t\t\t\n信息内容\t本年处理决定数量\t\t\n"
        f"行政许可\t{r(0, 9000)}\t\t\n"
        "第二十条第（六）项\t\t\t\n信息内容\t本年处理决定数量\t\t\n"
        f"行政处罚\t{r(0, 2000)}\t\t\n行政强制\t{r(0, 100)}\t\t\n"
        "第二十条第（八）项\t\t\t\n信息内容\t本年收费金额（单位：万元）\t\t\n"
        f"行政事业性收费\t{r(0, 500000) / 100:.2f}\t\t\n"
    )


def _appeals_table(rng: random.Random) -> str:
    groups = []
    for _ in range(3):
        parts = [rng.choice([0, 0, 0, 1, 2]) for _ in range(4)]
        groups.extend([*parts, sum(parts)])
    return (
        "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t\n"
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t\n"
        "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        + "\t".join(map(str, groups))
        + "\n"
    )


def report_text(
    rng: random.Random, agency: str, place: str, year: int, broken: str | None, state: dict
) -> str:
    edition = "2019" if year <= 2020 else "2021"
    if broken == "edition":
        edition = "2021" if edition == "2019" else "2019"
    table = _requests(rng, edition)
    texts = narrative(rng, agency, place, year)
    sections = [
        f"{agency}{year}年政府信息公开工作年度报告\n\n"
        f"本报告依据《中华人民共和国政府信息公开条例》要求编制，数据统计期限自{year}年1月1日起至{year}年12月31日止。",
        "一、总体情况\n\n" + texts["overview"],
        "二、主动公开政府信息情况\n\n" + _proactive_table(rng, edition, state),
        "三、收到和处理政府信息公开申请情况\n\n" + _requests_table(table, edition, broken),
        "四、政府信息公开行政复议、行政诉讼情况\n\n"
        + ("" if broken == "appeals" else _appeals_table(rng)),
        "五、存在的主要问题及改进情况\n\n" + texts["problems"],
        "六、其他需要报告的事项\n\n" + texts["other"],
        f"{agency}\n\n{year + 1}年1月{rng.randint(5, 28)}日",
    ]
    return "\n\n".join(sections) + "\n"


def _townships(stems: Sequence[str]) -> list[tuple[tuple[str, ...], str]]:
    """(region folders, agency name) of a township government per stem under every county."""
    return [
        ((province, city, county, county[:2] + stem), county[:2] + stem + "人民政府")
        for (province, city), counties in PLACES.items()
        for county in counties
        for stem in stems
    ]


def write_reports(reports: Path, n: int, seed: int) -> None:
    """n reports: agencies in region folders, consecutive years each, ~3 % broken."""
    rng = random.Random(seed)
    agencies = [
        ((province, city, county), county + kind)
        for (province, city), counties in PLACES.items()
        for county in counties
        for kind in AGENCY_TYPES
    ]
    # Townships (乡/镇/街道) under every county: a province has thousands of them.
    agencies += _townships(TOWNSHIP_STEMS)
    rng.shuffle(agencies)
    more = _townships(MORE_TOWNSHIP_STEMS)
    random.Random(seed + 1).shuffle(more)
    agencies += more  # after the others: a run of up to 11,410 reports never reaches them
    written = 0
    for folders, agency in agencies:
        span = rng.randint(2, len(YEARS))
        start = rng.randint(YEARS[0], YEARS[-1] - span + 1)
        folder = reports.joinpath(*folders)
        folder.mkdir(parents=True, exist_ok=True)
        state: dict = {}
        for year in range(start, start + span):
            if written == n:
                return
            broken = rng.choice(["total", "edition", "appeals"]) if rng.random() < 0.03 else None
            (folder / f"{agency}-{year}年报.txt").write_text(
                report_text(rng, agency, folders[-1], year, broken, state), "utf-8"
            )
            written += 1
    raise SystemExit(f"only {written} reports possible with the built-in agency list")


def add_next_year(corpus: Corpus, seed: int) -> Path:
    """Write the next year's report of the corpus's first agency (a new agency-year)."""
    first = corpus.records[0]
    year = max(r.report_year for r in corpus.records if r.slug == first.slug) + 1
    path = corpus.sources[first.key].with_name(f"{first.agency_name}-{year}年报.txt")
    agency = first.agency_name
    place = path.parent.name
    path.write_text(report_text(random.Random(seed), agency, place, year, None, {}), "utf-8")
    return path


def _cache_entries(folder: Path, pattern: str) -> set[str]:
    return {p.name for p in folder.glob(pattern)} if folder.is_dir() else set()


def time_before_mkdocs(
    project: Path, cache: Path, rules: Sequence
) -> tuple[dict[str, float], Corpus]:
    """load_corpus + check + render_site with the cache, as `nianbao build` runs them."""
    from generator.render import render_site
    from generator.site import portal_url, sources_url

    times: dict[str, float] = {}
    start = time.perf_counter()
    corpus = load_corpus(project / "reports", cache_dir=cache)
    times["ingest+parse"] = time.perf_counter() - start
    start = time.perf_counter()
    corpus = check_corpus_records(corpus, None, cache_dir=cache)
    times["check"] = time.perf_counter() - start
    start = time.perf_counter()
    render_site(
        corpus,
        rules,
        project / "content",
        cache_dir=cache,
        base_url=portal_url(project),
        sources_url=sources_url(project),
    )
    times["render"] = time.perf_counter() - start
    return times, corpus


def incremental_rows(project: Path, cache: Path, seed: int) -> list[tuple[str, str]]:
    """Add one report to the built project and run `nianbao build` (a new process, as a
    person or CI runs it, with the project's cache and the previous site), then once more
    with nothing changed: wall time, and what was built again."""
    corpus = load_corpus(project / "reports", cache_dir=cache)
    added = add_next_year(corpus, seed + 1)
    del corpus
    parsed_before = _cache_entries(cache / "records", "*.json")
    rendered_before = _cache_entries(cache / "render", f"*{ENTRY_SUFFIX}")
    rows = [("incremental: added", added.relative_to(project / "reports").as_posix())]
    for case in ("one report added", "nothing changed"):
        site = project / "site"
        started = time.time()
        seconds, peak = _cli_build(project)
        pages = [p for p in site.rglob("*.html") if not p.is_relative_to(site / "pagefind")]
        built = sum(1 for p in pages if p.stat().st_mtime >= started)
        parts = list((site / "pagefind" / "parts").iterdir())
        indexed = sum(1 for d in parts if (d / "pagefind-entry.json").stat().st_mtime >= started)
        rows += [
            (f"{case}: nianbao build s", f"{seconds:.1f}"),
            (f"{case}: peak RSS MB", f"{peak:.0f}"),
            (f"{case}: pages built / all", f"{built} / {len(pages)}"),
            (f"{case}: index parts made / all", f"{indexed} / {len(parts)}"),
        ]
        if case == "one report added":
            parsed = len(_cache_entries(cache / "records", "*.json") - parsed_before)
            rendered = len(_cache_entries(cache / "render", f"*{ENTRY_SUFFIX}") - rendered_before)
            rows.append((f"{case}: parsed / rendered", f"{parsed} / {rendered}"))
    return rows


def _cli_build(project: Path) -> tuple[float, float]:
    """`nianbao build` in project (its .cache/nianbao, reports/ and site/): wall s, peak MB."""
    script = (
        "import resource, sys\n"
        "from generator.cli import main\n"
        "code = main(['build'])\n"
        "own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(max(own, kids) / 1024, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"nianbao build failed: {result.stderr[-2000:]}")
    return seconds, float(result.stderr.split()[-1])


# --- bare MkDocs + Material + one Pagefind run on the same pages, as plain text ---------------

BLOCK_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>", re.S)
H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.S)


def plain_markdown(page_html: str) -> str:
    """The text of a built page's body as plain Markdown: its title as a heading, then one
    paragraph per line of text (tags dropped; inline tags join, the others break lines)."""
    from generator.search import BODY_END, BODY_START, INLINE

    data = page_html.encode("utf-8")
    start = BODY_START.search(data)
    body = data[start.end() : data.rfind(BODY_END)].decode("utf-8") if start else page_html
    heading = H1.search(body)

    def tag(match: re.Match[str]) -> str:
        name = match.group(2)
        return "" if name and name.lower() in INLINE else "\n"

    lines = [" ".join(line.split()) for line in html.unescape(BLOCK_TAG.sub(tag, body)).split("\n")]
    paragraphs = [line.replace("<", "&lt;") for line in lines if line]
    if heading:
        title = " ".join(html.unescape(BLOCK_TAG.sub("", heading.group(1))).split())
        paragraphs = ["# " + title.replace("¶", "").strip(), *paragraphs[1:]]
    return "\n\n".join(paragraphs) + "\n"


def bare_mkdocs(project: Path, tmp: Path) -> dict[str, float]:
    """Every page of nianbao's site (content/*.md) as plain Markdown in a bare MkDocs project
    with the portal's theme settings and navigation, no hooks or extensions; timed: `mkdocs
    build` and one `pagefind` run over its site, each as its own process."""
    import yaml

    bare = tmp / "bare"
    shutil.rmtree(bare, ignore_errors=True)
    docs = bare / "docs"
    content = project / "content"
    for page in sorted(content.rglob("*.md")):
        rel = page.relative_to(content).as_posix()
        if any(part.startswith(".") for part in page.relative_to(content).parts):
            continue
        stem = rel[: -len(".md")]
        built = (
            project
            / "site"
            / (
                stem + ".html"
                if stem == "index" or stem.endswith("/index")
                else stem + "/index.html"
            )
        )
        text = plain_markdown(built.read_text("utf-8")) if built.is_file() else "# -\n"
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    own = yaml.safe_load(
        re.sub(r"!!python/\S+|!ENV", "", (project / "mkdocs.yml").read_text("utf-8"))
    )
    config = {
        "site_name": own["site_name"],
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": True,
        "theme": {k: v for k, v in own["theme"].items() if k != "custom_dir"},
        "plugins": [],
        "nav": own["nav"],
        "not_in_nav": own["not_in_nav"],
    }
    (bare / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    times = {}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(bare / "mkdocs.yml")],
        check=True,
    )
    times["bare mkdocs s"] = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(bare / "site"), "--quiet"], check=True
    )
    times["bare pagefind s"] = time.perf_counter() - start
    return times


# --- what the site consists of ---------------------------------------------------------------


def page_type(rel: str) -> str:
    """The kind of a site file, for the size table."""
    parts = rel.split("/")
    if parts[0] == "pagefind":
        return "search index (pagefind/)"
    if parts[0] == "assets":
        return "theme and portal CSS/JS (assets/)"
    if parts[0] == "reports":
        if rel.endswith(".html"):
            return "report pages" if len(parts) == 4 else "agency pages"
        return f"report downloads (*{Path(rel).suffix})"
    if parts[0] == "data" and not rel.endswith(".html"):
        return "data downloads (data/)"
    if parts[0] == "feeds":
        return "feeds (feeds/)"
    if rel.endswith(".html"):
        return f"{parts[0] if len(parts) > 1 else 'top'} pages"
    return "other"


def size_rows(site: Path, reports: int) -> list[tuple[str, str]]:
    """Site MB by kind of file, the largest data downloads, and bytes per report."""
    kinds: dict[str, int] = {}
    data: dict[str, int] = {}
    total = 0
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        size = path.stat().st_size
        total += size
        kinds[page_type(rel)] = kinds.get(page_type(rel), 0) + size
        if rel.startswith("data/") and not rel.endswith(".html"):
            data[rel] = size
    rows = [(f"size: {kind} MB", f"{size / 1e6:.1f}") for kind, size in sorted(kinds.items())]
    largest = sorted(data.items(), key=lambda item: -item[1])[:6]
    rows += [(f"size: {rel} MB", f"{size / 1e6:.2f}") for rel, size in largest]
    rows.append(("site KB per report", f"{total / 1e3 / reports:.1f}"))
    return rows


SOURCES_URL = "https://github.com/org/portal/blob/main/reports/"
"""--sources-linked: the reports folder's address in a repository (mkdocs.yml extra:
sources_url), as a large portal is configured: the sources are linked, not copied."""


def make_project(tmp: Path, sources_linked: bool = False) -> Path:
    """The committed site configuration and an empty reports/, as tests/test_e2e.py builds;
    with sources_linked, extra: sources_url set."""
    project = copy_site_config(ROOT, tmp / "project")
    (project / "reports").mkdir()
    if sources_linked:
        config = project / "mkdocs.yml"
        text = config.read_text("utf-8")
        if "\nextra:\n" not in text:
            raise SystemExit("mkdocs.yml has no extra: section for sources_url")
        config.write_text(
            text.replace("\nextra:\n", f"\nextra:\n  sources_url: {SOURCES_URL}\n", 1), "utf-8"
        )
    return project


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


INDEX_SCRIPT = """
import resource, sys
from pathlib import Path
from generator.search import build_search_index
build_search_index(Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""


def index_in_small_process(site: Path, cache: Path) -> float:
    """Build the search index from a fresh Python process and return the largest Pagefind
    process's peak RSS in MB (children forked from this big process would count its pages)."""
    result = subprocess.run(
        [sys.executable, "-c", INDEX_SCRIPT, str(site), str(cache)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(result.stdout.split()[-1])


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: KiB


def cold_build(
    project: Path, cache: Path, site: Path
) -> tuple[dict[str, float], tuple[int, int, int], str, float]:
    """A first build of project (no cache, no site), timed stage by stage as `nianbao build`
    runs the stages: the times, (records, unreadable, error findings), a note when the strict
    build failed, and the largest Pagefind process's peak RSS in MB."""
    from generator.check import RULES
    from generator.site import release_memory, run_mkdocs

    with loaded_memos(cache):  # as build_site: the slug and similarity memos kept
        times, corpus = time_before_mkdocs(project, cache, RULES)
    counts = (
        len(corpus.records),
        len(corpus.failures),
        count_levels(f for r in corpus.records for f in r.checks)[Level.ERROR],
    )
    del corpus  # as build_site: MkDocs does not run beside the records
    start = time.perf_counter()
    strict_note = ""
    try:  # with the cache, as build_mkdocs: the next build can reuse the pages
        run_mkdocs(project, site, strict=True, cache_dir=cache)
    except NianbaoError as error:  # still measure; say so in the table
        strict_note = f"strict build failed, timed non-strict: {error}"
        print(strict_note, file=sys.stderr, flush=True)
        start = time.perf_counter()
        run_mkdocs(project, site, strict=False, cache_dir=cache)
    times["mkdocs"] = time.perf_counter() - start
    release_memory()  # as build_mkdocs, before the index
    start = time.perf_counter()
    indexer_mb = index_in_small_process(site, cache / SEARCH_CACHE)
    times["search index"] = time.perf_counter() - start
    return times, counts, strict_note, indexer_mb


def repeated_ratios(project: Path, tmp: Path, repeats: int, first: float) -> list[tuple[str, str]]:
    """The first build and bare build again, `repeats` times in turn, each from nothing
    (the generated content, the cache and the site deleted first): on this machine the
    ratio of one pair of runs moved by ±0.15 (bench/README.md, fifth pass)."""
    rows = []
    ratios = [first]
    for turn in range(1, repeats + 1):
        cache = project / ".cache" / "nianbao"
        for folder in (cache, project / "site", project / "content"):
            shutil.rmtree(folder, ignore_errors=True)
        fresh = copy_site_config(ROOT, tmp / "fresh")  # content/about.md, content/assets
        shutil.move(fresh / "content", project / "content")
        shutil.rmtree(fresh)
        times = cold_build(project, cache, project / "site")[0]
        bare = sum(bare_mkdocs(project, tmp).values())
        ratios.append(sum(times.values()) / bare)
        rows.append((f"repeat {turn}: nianbao / bare s", f"{sum(times.values()):.1f} / {bare:.1f}"))
    rows += [
        ("ratios, first run and repeats", " ".join(f"{r:.2f}" for r in ratios)),
        ("median ratio", f"{statistics.median(ratios):.2f}"),
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="number of reports (default 200)")
    parser.add_argument(
        "--keep", type=Path, help="build here and keep the project (default: a temp dir)"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--no-bare", action="store_true", help="leave out bare MkDocs + Pagefind on the same pages"
    )
    parser.add_argument(
        "--no-incremental", action="store_true", help="leave out the incremental rebuilds"
    )
    parser.add_argument(
        "--sources-linked",
        action="store_true",
        help=f"set mkdocs.yml extra: sources_url ({SOURCES_URL}): link the sources, no copies",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=0,
        help="after the rows, build cold and bare again this many times, in turn (the ratio's"
        " spread on a noisy machine)",
    )
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="nianbao-scale-")) if args.keep is None else args.keep
    if args.keep is not None:
        shutil.rmtree(tmp / "project", ignore_errors=True)
        tmp.mkdir(parents=True, exist_ok=True)
    try:
        project = make_project(tmp, args.sources_linked)
        write_reports(project / "reports", args.reports, args.seed)
        site = project / "site"
        cache = project / ".cache" / "nianbao"  # as the CLI: parse and render caches, cold here
        times, counts, strict_note, indexer_mb = cold_build(project, cache, site)

        pages = list(site.rglob("*.html"))
        report_pages = sorted(p for p in site.glob("reports/*/*/index.html"))
        typical = report_pages[len(report_pages) // 2] if report_pages else None
        search_dirs = [d for d in (site / "pagefind", site / "search") if d.is_dir()]
        nianbao_total = sum(times.values())
        rows = [
            ("reports written", f"{args.reports}"),
            ("records / unreadable", f"{counts[0]} / {counts[1]}"),
            ("error findings", f"{counts[2]}"),
            *((f"{stage} s", f"{seconds:.1f}") for stage, seconds in times.items()),
            ("total s", f"{nianbao_total:.1f}"),
            ("peak RSS self MB", f"{_rss_mb(resource.RUSAGE_SELF):.0f}"),
            # a forked child counts the parent's pages: this is at least "self"
            ("peak RSS children MB", f"{_rss_mb(resource.RUSAGE_CHILDREN):.0f}"),
            ("peak RSS Pagefind MB", f"{indexer_mb:.0f}"),
            ("HTML pages", f"{len(pages)}"),
            ("site MB", f"{_size(site) / 1e6:.1f}"),
            *((f"{d.name}/ MB", f"{_size(d) / 1e6:.1f}") for d in search_dirs),
            ("typical report page KB", f"{typical.stat().st_size / 1024:.1f}" if typical else "-"),
            *size_rows(site, counts[0]),
        ]
        if not args.no_bare:
            bare = bare_mkdocs(project, tmp)
            bare_total = sum(bare.values())
            rows += [
                *((name, f"{seconds:.1f}") for name, seconds in bare.items()),
                ("bare total s", f"{bare_total:.1f}"),
                ("ratio nianbao / bare", f"{nianbao_total / bare_total:.2f}"),
            ]
        if not args.no_incremental:
            rows += incremental_rows(project, cache, args.seed)
        if args.repeat and not args.no_bare:
            rows += repeated_ratios(project, tmp, args.repeat, nianbao_total / bare_total)
        print(
            f"\nnianbao scale benchmark, N={args.reports}"
            + (f", project kept in {project}" if args.keep else "")
        )
        print(f"{'measure':<44} {'value':>12}")
        for name, value in rows:
            print(f"{name:<44} {value:>12}")
        if typical:
            print(f"(typical page: {typical.relative_to(site)})")
        if strict_note:
            print(f"NOTE: {strict_note[:300]}")
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
