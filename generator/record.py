"""The record contract (schema `nianbao/record/1`, ../shared/spec/record.md) as constants,
plus the one YAML/JSON boundary. Keys, row ids and column order are public: never rename.

The stages pass records as `generator.model.Record`; `Record.to_dict` gives the published form
(the keys below, in this order), which is what YAML, JSON and the schema see. The model
imports the constants from here, so this module imports the model only where it is used.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from generator.model import Record

SCHEMA = "nianbao/record/1"

# Top-level key order of a record (record.md "Top level"); `region_source` etc. are extensions.
TOP_LEVEL_KEYS = (
    "schema",
    "id",
    "agency",
    "year",
    "edition",
    "title",
    "published",
    "period",
    "contact",
    "source",
    "sections",
    "proactive",
    "requests",
    "appeals",
    "checks",
    "parse",
)

SECTION_KEYS = ("overview", "proactive", "requests", "appeals", "problems", "other")
"""The six narrative sections 一…六 (format-and-rules.md §1)."""

SECTION_NUMERALS = dict(zip(SECTION_KEYS, "一二三四五六", strict=True))
SECTION_TITLES = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}
"""The official section titles (2021 edition, format-and-rules.md §1)."""

# Section 三 columns, in the public order (record.md).
REQUEST_COLUMNS = (
    "natural_person",
    "commercial",
    "research",
    "nonprofit",
    "legal_service",
    "other_org",
    "total",
)
REQUEST_COLUMN_LABELS = dict(
    zip(
        REQUEST_COLUMNS,
        ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"),
        strict=True,
    )
)

# Section 三 rows, in table order, with their official labels (format-and-rules.md §2.4/2.5).
REQUEST_ROWS_2021 = (
    ("received", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "二、上年结转政府信息公开申请数量"),
    ("granted", "（一）予以公开"),
    ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("denied_state_secret", "1.属于国家秘密"),
    ("denied_law_prohibited", "2.其他法律行政法规禁止公开"),
    ("denied_security", "3.危及“三安全一稳定”"),
    ("denied_third_party", "4.保护第三方合法权益"),
    ("denied_internal", "5.属于三类内部事务信息"),
    ("denied_process", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "7.属于行政执法案卷"),
    ("denied_query", "8.属于行政查询事项"),
    ("unable_not_held", "1.本机关不掌握相关政府信息"),
    ("unable_needs_creation", "2.没有现成信息需要另行制作"),
    ("unable_unclear", "3.补正后申请内容仍不明确"),
    ("rejected_petition", "1.信访举报投诉类申请"),
    ("rejected_repeat", "2.重复申请"),
    ("rejected_publication", "3.要求提供公开出版物"),
    ("rejected_excessive", "4.无正当理由大量反复申请"),
    ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (
        "other_unpaid_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    ("other_misc", "3.其他"),
    ("handled_total", "（七）总计"),
    ("carried_forward", "四、结转下年度继续办理"),
)
# 2019: （六）其他处理 is one row instead of three sub-rows (format-and-rules.md §2.5).
REQUEST_ROWS_2019 = (
    *(row for row in REQUEST_ROWS_2021[:-2] if not row[0].startswith("other_")),
    ("other", "（六）其他处理"),
    *REQUEST_ROWS_2021[-2:],
)

# The 三、本年度办理结果 groups: which result rows belong to which printed group.
REQUEST_GROUPS = (
    ("granted", "（一）予以公开", ("granted",)),
    ("partly_granted", "（二）部分公开", ("partly_granted",)),
    ("denied", "（三）不予公开", tuple(r for r, _ in REQUEST_ROWS_2021 if r.startswith("denied_"))),
    ("unable", "（四）无法提供", tuple(r for r, _ in REQUEST_ROWS_2021 if r.startswith("unable_"))),
    (
        "rejected",
        "（五）不予处理",
        tuple(r for r, _ in REQUEST_ROWS_2021 if r.startswith("rejected_")),
    ),
    ("other", "（六）其他处理", ("other_no_correction", "other_unpaid_fee", "other_misc", "other")),
)

RESULT_ROWS_2021 = tuple(r for r, _ in REQUEST_ROWS_2021[2:-2])
RESULT_ROWS_2019 = tuple(r for r, _ in REQUEST_ROWS_2019[2:-2])

# Section 二 rows and fields per edition (record.md, format-and-rules.md §2.1/2.2).
PROACTIVE_2021 = (
    ("rules", "规章", ("issued", "repealed", "in_force")),
    ("normative_docs", "行政规范性文件", ("issued", "repealed", "in_force")),
    ("licensing", "行政许可", ("decisions",)),
    ("penalty", "行政处罚", ("decisions",)),
    ("coercion", "行政强制", ("decisions",)),
    ("fees", "行政事业性收费", ("amount",)),
)
PROACTIVE_2019 = (
    ("rules", "规章", ("made", "published", "total_published")),
    ("normative_docs", "规范性文件", ("made", "published", "total_published")),
    ("licensing", "行政许可", ("previous", "change", "decisions")),
    ("other_services", "其他对外管理服务事项", ("previous", "change", "decisions")),
    ("penalty", "行政处罚", ("previous", "change", "decisions")),
    ("coercion", "行政强制", ("previous", "change", "decisions")),
    ("fees", "行政事业性收费", ("previous", "change")),
    ("procurement", "政府集中采购", ("projects", "amount")),
)
PROACTIVE_FIELD_LABELS = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "金额",
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "total_published": "对外公开总数量",
    "previous": "上一年项目数量",
    "change": "本年增/减",
    "projects": "采购项目数量",
}
# Cells that hold money (decimals as printed); all other cells are integer counts.
MONEY_FIELDS = {("fees", "amount"), ("procurement", "amount")}

APPEAL_GROUPS = (
    ("review", "行政复议"),
    ("suit_direct", "行政诉讼·未经复议直接起诉"),
    ("suit_after_review", "行政诉讼·复议后起诉"),
)
APPEAL_FIELDS = ("upheld", "corrected", "other", "pending", "total")
APPEAL_FIELD_LABELS = dict(
    zip(APPEAL_FIELDS, ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), strict=True)
)


def request_rows(edition: str | None) -> tuple[tuple[str, str], ...]:
    """Row ids and labels of section 三 for an edition (2021 when unknown)."""
    return REQUEST_ROWS_2019 if edition == "2019" else REQUEST_ROWS_2021


def proactive_rows(edition: str | None) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    return PROACTIVE_2019 if edition == "2019" else PROACTIVE_2021


def result_rows(edition: str | None) -> tuple[str, ...]:
    return RESULT_ROWS_2019 if edition == "2019" else RESULT_ROWS_2021


# ---- the YAML / JSON boundary -------------------------------------------------------------


if TYPE_CHECKING:
    _Dumper = yaml.SafeDumper
else:  # libyaml's dumper when the build has it: ~10x faster, the same output
    _Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _RecordDumper(_Dumper):
    """Block style, Unicode kept, short numeric lists inline so a table row reads as one line."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a record is a tree: never write anchors

    def represent_data(self, data: Any) -> yaml.Node:
        """The nodes PyYAML's representers make, made directly for most of a record (str,
        int, None, list, dict), without its lookup by type and alias bookkeeping (the
        record YAML was 15 % of the render stage under the profiler, bench/README.md).
        Anything else (bool, float), and a mapping when keys are sorted or styles chosen
        per node, takes PyYAML's own path."""
        kind = type(data)
        if kind is str:
            return _represent_str(self, data)
        if kind is int:
            return yaml.ScalarNode("tag:yaml.org,2002:int", str(data), style=self.default_style)
        if data is None:
            return yaml.ScalarNode("tag:yaml.org,2002:null", "null", style=self.default_style)
        if kind is list:
            return _represent_list(self, data)
        if kind is dict and not self.sort_keys and self.default_flow_style is not None:
            pairs = [(self.represent_data(k), self.represent_data(v)) for k, v in data.items()]
            return yaml.MappingNode(
                "tag:yaml.org,2002:map", pairs, flow_style=self.default_flow_style
            )
        return super().represent_data(data)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(v is None or isinstance(v, int | float) for v in data)
    items = [dumper.represent_data(item) for item in data]
    return yaml.SequenceNode("tag:yaml.org,2002:seq", items, flow_style=flow)


_YAML_ONLY_BREAKS = ("\x85", "\u2028", "\u2029")
"""Characters YAML reads as line breaks: written raw in a plain/single-quoted/block scalar they
come back as a newline or a space, so a string holding one is written double-quoted (escaped)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if any(ch in data for ch in _YAML_ONLY_BREAKS) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def yaml_text(data: Any) -> str:
    """The published form (a record's dict, or a list) as YAML, deterministically: key order
    as built, UTF-8, no aliases."""
    return yaml.dump(
        data,
        Dumper=_RecordDumper,
        allow_unicode=True,
        sort_keys=False,
        width=1000,
        default_flow_style=False,
    )


def json_text(data: Any) -> str:
    """The published form as JSON (UTF-8 kept, indented by 2)."""
    return json.dumps(data, ensure_ascii=False, indent=2)


def record_to_yaml(record: Record) -> str:
    return yaml_text(record.to_dict())


def record_from_yaml(text: str) -> Record:
    """A record from its YAML; ValueError or KeyError when the text is not one."""
    from generator.model import Record

    return Record.from_dict(yaml.safe_load(text))


def record_to_json(record: Record | Sequence[Record]) -> str:
    """One record as a JSON object, several as a list."""
    if isinstance(record, Sequence):
        return json_text([r.to_dict() for r in record])
    return json_text(record.to_dict())


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema of a record (generator/schema/record.schema.json)."""
    text = resources.files("generator").joinpath("schema/record.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_record(record: Record | Mapping[str, Any]) -> list[str]:
    """Schema problems of a record (or of its published form) as readable strings
    ("requests.received[3]: ..."); [] if valid."""
    import jsonschema

    data = record if isinstance(record, Mapping) else record.to_dict()
    validator = jsonschema.Draft202012Validator(json_schema())
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        where = ".".join(str(p) for p in error.path) or "(record)"
        problems.append(f"{where}: {error.message}")
    return problems
