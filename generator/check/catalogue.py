"""The rule catalogue: every rule of format-and-rules.md §5, in catalogue order (the table of contents).

Each entry names the pure function that implements it (generator/check/rules/). Levels here are
the catalogue's suggested defaults; generator/check/levels.yml may override them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from generator.check.rules import (
    appeals_table,
    artefacts,
    continuity,
    edition,
    metadata,
    narrative,
    narrative_numbers,
    proactive_table,
    requests_table,
    similarity,
    structure,
)


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    """Stable catalogue id, e.g. T3-01."""
    title: str
    """Short Chinese title for pages."""
    family: str
    """STR, ED, T2, T3, T4, TX, MD or PR."""
    level: str
    """Default level (the catalogue's suggestion): error, warning or info."""
    scope: str
    """"report" (one record) or "corpus" (the records of one agency)."""
    what: str
    """One sentence: what the rule checks."""
    basis: str
    """Legal basis or table instruction, quoted from format-and-rules.md, with its source."""
    certainty: str
    """The catalogue's tag: V (seen in a source), D (inferred), U (unconfirmed), S (seeds only)."""
    check: Callable[..., Iterable[Any]]


_F = "format-and-rules.md"

RULES: tuple[Rule, ...] = (
    Rule("STR-01", "六个部分齐全", "STR", "error", "report",
         "一至六部分都在且标题可识别；缺失为错误，标题无法识别（按内容定位）为警告；"
         "二、三、四部分连表格也没有时由 STR-03 报告。",
         "《条例》第五十条（一）至（五）项；六部分结构见两版格式 [V]（" + _F + " §1、§5）", "V",
         structure.sections_present),
    Rule("STR-02", "各部分顺序", "STR", "warning", "report",
         "各部分标题按一至六顺序出现（重复标题不算乱序）。",
         "两版格式的六部分顺序 [V]（" + _F + " §1）", "V", structure.sections_in_order),
    Rule("STR-03", "三张表格齐全", "STR", "error", "report",
         "第二、三、四部分各有一张能读出数字的表格。",
         "30号规定的表格格式 [V]（" + _F + " §2、§5）", "V", structure.tables_present),
    Rule("STR-04", "标题规范", "STR", "warning", "report",
         "标题写明机关名称、年份和“政府信息公开工作年度报告”（正则 (\\d{4})年(度)?政府信息公开工作年度报告）。",
         "《条例》第四十九、五十条；“工作报告”写法曾被通报为不规范 [V]（" + _F + " §5、§6）", "V",
         structure.title_standard),
    Rule("ED-01", "格式版本与年度相符", "ED", "error", "report",
         "2020年及以前的年报用2019年版格式，2021年起用2021年版格式。",
         "国办公开办函〔2019〕60号、〔2021〕30号及地方通知 [V]（" + _F + " §1）", "V",
         edition.edition_matches_year),
    Rule("ED-02", "不混用两版格式", "ED", "warning", "report",
         "表格中不同时出现两版格式的特征栏目（如本年制发件数与政府集中采购）。",
         "由两版格式的差异推断 [D]（" + _F + " §1、§5）", "D", edition.no_hybrid),
    Rule("ED-03", "行与栏目完整", "ED", "error", "report",
         "表格的行与所用版本一致：缺行为错误，多出的行为警告。",
         "两版格式的表格行 [V]（" + _F + " §2）", "V", edition.rows_match_edition),
    Rule("T3-01", "申请数勾稽关系", "T3", "error", "report",
         "第三部分每一列：第一项+第二项=第三项（七）总计+第四项，容差0。",
         "表头原文：“（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）”[V]"
         "（两版格式第三部分表头，" + _F + " §2.3、§4）", "V", requests_table.ledger_balances),
    Rule("T3-02", "办理结果合计", "T3", "error", "report",
         "第三部分每一列：（七）总计=（一）至（六）各项之和（2019年版（六）为单行）。",
         "“区分处理的，只计这一情形，不计其他情形”，每件申请只计入一种结果；由表格设计推断 [D]"
         "（" + _F + " §4 推论1）", "D", requests_table.results_add_up),
    Rule("T3-03", "申请人合计", "T3", "error", "report",
         "第三部分每一行：总计列=六类申请人之和。",
         "由表格设计推断 [D]（" + _F + " §4 推论2）", "D", requests_table.columns_add_up),
    Rule("T3-04", "件数为非负整数", "T3", "error", "report",
         "第三部分每个单元格是非负整数。",
         "由表格设计推断 [D]（" + _F + " §4 推论4）", "D", requests_table.counts_are_integers),
    Rule("T3-05", "无空白单元格", "T3", "warning", "report",
         "第三部分没有空白或占位符（/、-、—、无）单元格；空白不等于0，相关勾稽关系无法核对。",
         "实践中常见空白表格 [V]（熊县、岳阳南湖等年报，" + _F + " §4）", "V",
         requests_table.no_blank_cells),
    Rule("T3-06", "（六）其他处理的行数", "T3", "error", "report",
         "2021年版（六）其他处理分3个子项，2019年版为单行。",
         "两版格式第三部分 [V]（" + _F + " §2.4、§2.5）", "V", requests_table.other_rows_shape),
    Rule("T3-07", "跨年度结转衔接", "T3", "warning", "corpus",
         "本年“上年结转”每列等于同一机关上一年报告的“结转下年度继续办理”；"
         "2021年版另核对现行有效件数=上年现行有效+本年制发−本年废止（提示）。",
         "由表格设计推断 [D]（" + _F + " §4 推论5、6）", "D",
         continuity.carried_over_matches_previous),
    Rule("T3-08", "逾期未缴费须说明信息处理费", "T3", "warning", "report",
         "（六）2.逾期未缴纳费用的申请数大于0时，第六部分应提到信息处理费。",
         "推断 [D]；《政府信息公开信息处理费管理办法》国办函〔2020〕109号 [V]（" + _F + " §3、§5）",
         "D", requests_table.unpaid_fee_explained),
    Rule("T4-01", "复议诉讼合计", "T4", "error", "report",
         "第四部分三组各自：总计=结果维持+结果纠正+其他结果+尚未审结。",
         "由表格设计推断 [D]（" + _F + " §4 推论3）", "D", appeals_table.totals_add_up),
    Rule("T4-02", "复议诉讼表格填写完整", "T4", "warning", "report",
         "第四部分15个单元格都填写非负整数：空白为警告，非法数值为错误。",
         "推断 [D]；样本000行政复议栏空白 [S]（" + _F + " §5）", "D", appeals_table.cells_filled),
    Rule("T2-01", "第二部分数值合法（2021年版）", "T2", "error", "report",
         "2021年版第二部分件数为非负整数，行政事业性收费为以万元计的非负数。",
         "表头“本年收费金额（单位：万元）”[V]（" + _F + " §2.1、§4）", "V",
         proactive_table.values_valid_2021),
    Rule("T2-02", "收费金额单位", "T2", "info", "report",
         "2021年版行政事业性收费带“元”后缀，或县级及以下机关填报≥10000万元，疑为单位错误。",
         "推断 [D]；实例“251000元”[V]（" + _F + " §4、§5）", "D", proactive_table.fee_unit_plausible),
    Rule("T2-03", "负数只见于本年增/减（2019年版）", "T2", "error", "report",
         "2019年版第二部分只有“本年增/减”可以为负数。",
         "湖北注释：“减用负值表示，如-8”[V]（" + _F + " §2.2、§4）", "V",
         proactive_table.negatives_only_in_change),
    Rule("T2-04", "制发件数与现行有效件数", "T2", "info", "report",
         "2021年版：本年制发件数不大于现行有效件数（加本年废止件数）。",
         "推断 [D]；样本002制发1、现行有效0 [S]（" + _F + " §5）", "D",
         proactive_table.issued_within_in_force),
    Rule("T2-05", "新公开数量与公开总数（2019年版）", "T2", "info", "report",
         "2019年版：本年新公开数量不大于对外公开总数量。",
         "推断 [D]（" + _F + " §5）", "D", proactive_table.published_within_total),
    Rule("T2-06", "规章行与制定权限", "T2", "info", "report",
         "规章行不为0时，机关应有规章制定权（国务院部门，省级、设区的市、自治州人民政府）；按名称判断。",
         "湖北注释：规章“设区的市、自治州人民政府应提供相关数据”[V]（" + _F + " §2.2）", "V",
         proactive_table.rules_row_needs_power),
    Rule("TX-01", "正文数字与表格一致", "TX", "warning", "report",
         "正文中的申请件数（收到/受理/办理…N件）、规范性文件制发/废止/现行有效件数、"
         "“未发生行政复议/行政诉讼”与表格一致。",
         "30号：“发布内容不准确”；地方通知：“确保逻辑关系对应一致”[V]（" + _F + " §5、§6）", "V",
         narrative_numbers.narrative_matches_tables),
    Rule("TX-02", "总体情况五个方面", "TX", "warning", "report",
         "第一部分写到主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面。",
         "30号：“主要包括主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障”[V]"
         "（" + _F + " §1）", "V", narrative.overview_covers_areas),
    Rule("TX-03", "政府年报的考核评议追责", "TX", "warning", "report",
         "人民政府本级年报在第一或第五部分写到工作考核、社会评议、责任追究（每缺一项一条）。",
         "《条例》第五十条第（四）项：“各级人民政府的…年度报告还应当包括工作考核、社会评议和责任追究结果情况”"
         "[V]（" + _F + " §3）", "V", narrative.government_duties_reported),
    Rule("TX-04", "问题与改进有实质内容", "TX", "warning", "report",
         "第五部分不是“无”，也不少于30个字。",
         "《条例》第五十条第（四）项“存在的主要问题及改进情况”[V]（" + _F + " §3）", "V",
         narrative.problems_substantive),
    Rule("TX-05", "说明信息处理费（2021年起）", "TX", "warning", "report",
         "2021年起的年报在第六部分写明信息处理费收取情况（提到“信息处理费”或“109号”）。",
         "30号对第六部分的要求未能核实 [U]；国办函〔2020〕109号 [V]（" + _F + " §1、§10）", "U",
         narrative.fee_statement),
    Rule("TX-06", "其他需要报告的事项不为空", "TX", "info", "report",
         "第六部分不为空；只写“无”仅2019年版可接受。",
         "《条例》第五十条第（五）项；推断 [D]（" + _F + " §5）", "D", narrative.other_not_empty),
    Rule("TX-07", "不照搬上年报告", "TX", "warning", "corpus",
         "与同一机关上一年报告相比，去除数字后5字片段的Jaccard相似度≥0.9视为照搬。",
         "30号：“内容雷同、敷衍塞责”；地方通知：“不得出现敷衍、雷同现象”[V]（" + _F + " §5、§6）",
         "V", similarity.not_copied),
    Rule("MD-01", "按时公布", "MD", "error", "report",
         "发布或落款日期不晚于法定时限：部门次年1月31日，政府本级次年3月31日；乡镇/街道无全国时限；日期未知不作判断。",
         "《条例》第四十九条：“县级以上人民政府部门应当在每年1月31日前…”“…在每年3月31日前向社会公布本级政府上一年度"
         "政府信息公开工作年度报告”[V]（" + _F + " §3）", "V", metadata.published_on_time),
    Rule("MD-02", "年份一致", "MD", "error", "report",
         "标题年份、统计期限与报告年度一致，发布日期在报告年度之后。",
         "推断 [D]（" + _F + " §5）", "D", metadata.years_consistent),
    Rule("MD-03", "统计期限和联系方式", "MD", "info", "report",
         "引言写明统计期限，并提供联系方式。",
         "四川 DB51/T 2660—2019 §2.1：“统计时间段为上一年度1月1日至12月31日”[V]（" + _F + " §5）",
         "V", metadata.period_and_contact),
    Rule("MD-04", "机关类型", "MD", "info", "report",
         "按标题和机关名称判断机关类型（政府本级/部门/乡镇街道），决定 MD-01 时限和 TX-03 要求；"
         "无法判断或两者不一致时提示。",
         "《条例》第四十九条 [V]；“XX区政府办”按部门处理为推断 [D]（" + _F + " §3、§7）", "V",
         metadata.agency_type_known),
    Rule("MD-05", "只保留一份规范副本", "MD", "info", "corpus",
         "同一 id 或同一来源文件不出现两条记录。",
         "中国社科院2016评估：“发布后有变动”“多平台发布”“可获取性不强”[V]（" + _F + " §5、§6）", "V",
         metadata.single_copy),
    Rule("PR-01", "转换残留已清除", "PR", "info", "report",
         "解析时清除的残留（[bookmark: …]、&nbsp;、页码等）和按标准标签读取的非标准标签。",
         "样本004 [S]（" + _F + " §8）", "S", artefacts.artefacts_removed),
)

