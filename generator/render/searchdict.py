"""The jieba user dictionary for Material's search index (`search.jieba_dict_user`).

jieba's accurate mode keeps compounds such as 年度报告 whole, and lunr only matches prefixes,
so the query 报告 would miss them (design/mkdocs-notes.md §0.2). Frequency 0 splits such
compounds; a high frequency keeps agency and place names and the domain's key terms whole.
"""

from __future__ import annotations

from collections.abc import Iterable

KEEP_FREQUENCY = 100000
# Domain terms searched on their own: keep them as single tokens.
KEEP_TERMS = (
    "依申请公开", "主动公开", "信息公开", "政府信息", "行政复议", "行政诉讼", "行政许可",
    "行政处罚", "行政强制", "规范性文件", "行政规范性文件", "信息处理费", "不予公开",
    "部分公开", "予以公开", "无法提供", "不予处理", "年报",
)
# Compounds jieba keeps whole that people search by their parts: split them.
SPLIT_TERMS = (
    "年度报告", "工作年度报告", "中华人民共和国政府", "政府信息公开条例", "信息公开工作",
)


def user_dictionary(names: Iterable[str]) -> str:
    """Dictionary text, one `word frequency` a line, sorted; `names` are agency/place names."""
    words = dict.fromkeys(KEEP_TERMS, KEEP_FREQUENCY)
    for name in names:
        word = "".join(str(name).split())
        # jieba's format is space separated: a name can never contain white space here.
        if len(word) >= 2:
            words[word] = KEEP_FREQUENCY
    for word in SPLIT_TERMS:
        words[word] = 0
    return "".join(f"{word} {freq}\n" for word, freq in sorted(words.items()))
