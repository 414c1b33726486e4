"""The `nianbao` command: parse, check, build (or one shard of a build), merge, serve. Thin:
each command loads settings and calls one library function; errors become one line
(tracebacks only with --debug)."""

from __future__ import annotations

import argparse
import http.server
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from generator import __version__
from generator.errors import NianbaoError, SourceError
from generator.model import LEVELS, Level, count_levels
from generator.model.corpus import Corpus

if TYPE_CHECKING:
    from generator.pipeline import BuildSummary, Settings

T = TypeVar("T")

FAIL_ON = tuple(level.value for level in reversed(LEVELS))
"""--fail-on choices, least serious first (info, warning, error)."""
CACHE_DIR = Path(".cache/nianbao")
"""The parse cache of `check`, `build` and `serve` and the render cache of `build` and `serve`,
relative to the project (current) folder."""


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    from generator.staging import BuildInterrupted

    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BuildInterrupted as error:
        print(f"nianbao: {error}", file=sys.stderr)
        return 143  # 128 + SIGTERM, as if the signal had ended the process
    except (NianbaoError, OSError) as error:
        if args.debug:
            raise
        print(f"nianbao: 错误：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nianbao",
        description="政府信息公开工作年度报告门户：解析、检查并发布年度报告。",
    )
    parser.add_argument("--version", action="version", version=f"nianbao {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--debug", action="store_true", help="出错时显示完整的调用栈（默认只显示一行说明）"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", parents=[common], help="输出每个报告文件解析得到的记录")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument(
        "--format", choices=("json", "yaml"), default="json", help="输出格式（默认 json）"
    )
    p.set_defaults(run=_parse)

    reports = argparse.ArgumentParser(add_help=False)
    reports.add_argument(
        "--reports",
        type=Path,
        default=Path("reports"),
        metavar="DIR",
        help="年度报告所在的文件夹（默认 reports/）",
    )
    reports.add_argument(
        "--levels",
        type=Path,
        default=None,
        metavar="FILE",
        help="改写检查规则级别的文件（格式见 generator/check/levels.yml）",
    )
    reports.add_argument(
        "--no-cache",
        action="store_true",
        help=f"重新解析（和生成）每份报告，不使用 {CACHE_DIR}/ 中的缓存",
    )

    c = sub.add_parser(
        "check", parents=[common, reports], help="列出每份报告的合规检查结果和无法读取的文件"
    )
    c.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="存在该级别（或更严重）的问题时以状态 1 退出，用于把关新报告",
    )
    c.set_defaults(run=_check)

    def site_out(help_text: str = "网站输出文件夹（默认 site/）") -> argparse.ArgumentParser:
        out = argparse.ArgumentParser(add_help=False)
        out.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help=help_text)
        return out

    b = sub.add_parser(
        "build",
        parents=[common, reports, site_out("网站输出文件夹（默认 site/；分片构建时为分片文件夹）")],
        help="解析、检查、生成页面并构建网站",
    )
    b.add_argument(
        "--shard",
        default=None,
        metavar="K/N",
        help="只解析第 K 片（共 N 片，按报告所在文件夹划分），写入 --out 文件夹，"
        "供 nianbao merge 合并",
    )
    b.set_defaults(run=_build)

    m = sub.add_parser(
        "merge",
        parents=[common, reports, site_out()],
        help="把 nianbao build --shard 生成的全部分片合并成一个网站",
    )
    m.add_argument("shards", nargs="+", type=Path, metavar="DIR", help="分片文件夹（全部 N 片）")
    m.set_defaults(run=_merge)

    s = sub.add_parser(
        "serve", parents=[common, reports, site_out()], help="构建后在 http://127.0.0.1:8000 预览"
    )
    s.add_argument("--port", type=int, default=8000, help="预览端口（默认 8000）")
    s.set_defaults(run=_serve)
    return parser


def _parse(args: argparse.Namespace) -> int:
    from generator.model import Failure
    from generator.pipeline import check_report, process_report
    from generator.record import record_to_json, record_to_yaml

    records = []
    for path in args.files:
        if not path.is_file():
            raise SourceError(path, "文件不存在")
        result = process_report(path, str(path))
        if isinstance(result, Failure):
            raise SourceError(path, result.reason)
        records.append(check_report(result))
    if args.format == "yaml":
        sys.stdout.write("---\n".join(record_to_yaml(r) for r in records))
    else:
        sys.stdout.write(record_to_json(records[0] if len(records) == 1 else records) + "\n")
    return 0


def _progress(paths: Iterable[T]) -> Iterable[T]:
    """A progress bar over the reports (reports/s shown); the pipeline passes an iterable with
    a length, also in the parallel path, so the bar advances as each report is done."""
    from tqdm import tqdm

    return tqdm(paths, desc="parsing", unit="report", file=sys.stderr, disable=None, leave=False)


def _cache_dir(args: argparse.Namespace) -> Path | None:
    return None if args.no_cache else CACHE_DIR


INPUT_FINDINGS = {
    # code: (level, label) for what is wrong with the inputs themselves (not a format rule)
    "IN-01": (Level.ERROR, "无法读取"),
    "IN-02": (Level.ERROR, "更正未应用"),
    "IN-03": (Level.INFO, "已忽略"),
    "IN-04": (Level.ERROR, "名单有误"),
}
"""IN-04: a problem of reports/agencies.yml (an entry that is skipped is an error, one that is
kept with a doubt a warning)."""


def input_findings(corpus: Corpus) -> list[tuple[str, str, Level, str]]:
    """(file or record, code, level, message) for every input problem: unreadable files,
    corrections that were not applied, files ignored on purpose."""
    rows = []
    for failure in corpus.failures:
        code = "IN-01" if failure.kind == "unreadable" else "IN-03"
        rows.append((failure.file, code, INPUT_FINDINGS[code][0], failure.reason))
    for record in corpus.records:
        for rejected in record.corrections_rejected:
            entry = f"第 {rejected.entry} 条" if rejected.entry else "整个文件"
            rows.append(
                (
                    rejected.sidecar,
                    "IN-02",
                    INPUT_FINDINGS["IN-02"][0],
                    f"{entry}未应用：{rejected.problem}",
                )
            )
    if corpus.agencies is not None:
        for problem in corpus.agencies.problems:
            level = Level.ERROR if problem.severity == "error" else Level.WARNING
            rows.append((corpus.agencies.source, "IN-04", level, problem.message))
    return sorted(rows)


def _check(args: argparse.Namespace) -> int:
    from generator.pipeline import check_corpus_records, load_corpus

    corpus = load_corpus(args.reports, _progress, cache_dir=_cache_dir(args))
    corpus = check_corpus_records(corpus, args.levels)
    rows = [
        (record.key, f.rule, f.level, f.message)
        for record in corpus.records
        for f in record.checks
        if f.failed
    ]
    inputs = input_findings(corpus)
    print(f"{'报告或文件':<40} {'规则':<6} {'级别':<4} 说明")
    for where, rule, level, message in rows + inputs:
        print(f"{where:<44} {rule:<7} {level.label:<5} {message}")
    counts = count_levels(f for record in corpus.records for f in record.checks)
    rejected = sum(1 for row in inputs if row[1] == "IN-02")
    print(
        f"\n检查了 {len(corpus.records)} 份报告：错误 {counts[Level.ERROR]}、"
        f"警告 {counts[Level.WARNING]}、提示 {counts[Level.INFO]}；"
        f"{len(corpus.unreadable)} 个输入文件无法读取，"
        f"{rejected} 条更正未应用，{len(corpus.ignored)} 个文件已忽略，"
        f"{len(corpus.superseded)} 份报告被新版本取代"
    )
    if args.fail_on:
        threshold = Level(args.fail_on)
        if any(row[2].at_least(threshold) for row in rows + inputs):
            return 1
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    from generator.pipeline import Settings

    return Settings(
        project_dir=Path("."),
        reports_dir=args.reports,
        site_dir=args.out,
        levels_file=args.levels,
        cache_dir=_cache_dir(args),
    )


def _build(args: argparse.Namespace) -> int:
    from generator.pipeline import build_site

    if getattr(args, "shard", None) is not None:  # (serve has no --shard)
        return _build_shard(args)
    _print_summary(build_site(_settings(args), _progress), args)
    return 0


def _build_shard(args: argparse.Namespace) -> int:
    from generator.shard import build_shard, parse_spec

    spec = parse_spec(args.shard)
    shard = build_shard(args.reports, args.out, spec, _progress, cache_dir=_cache_dir(args))
    print(
        f"nianbao: 第 {shard.spec} 片：解析了全部 {shard.total} 个报告文件中的 {shard.files} 个"
        f"（{shard.records} 份记录，{shard.unreadable} 个无法读取）；分片在 {args.out}/，"
        "全部分片生成后用 nianbao merge 合并",
        file=sys.stderr,
    )
    return 0


def _merge(args: argparse.Namespace) -> int:
    from generator.shard import merge_shards

    _print_summary(merge_shards(_settings(args), args.shards), args)
    return 0


def _print_summary(summary: BuildSummary, args: argparse.Namespace) -> None:
    f = summary.findings
    print(
        f"nianbao: 读取 {summary.inputs} 个输入文件：发布 {summary.records} 份报告，"
        f"{summary.superseded} 份被新版本取代，{summary.unreadable} 个无法读取，"
        f"{summary.ignored} 个已忽略；合规检查：错误 {f[Level.ERROR]}、"
        f"警告 {f[Level.WARNING]}、提示 {f[Level.INFO]}；网站在 {args.out}/",
        file=sys.stderr,
    )
    for problem in summary.list_problems:
        print(f"nianbao: {problem}", file=sys.stderr)


def _utf8_handler() -> type[http.server.SimpleHTTPRequestHandler]:
    class Utf8Handler(http.server.SimpleHTTPRequestHandler):
        """Text downloads (the source .txt, YAML records, CSV) are UTF-8: say so, or browsers
        guess a legacy encoding and show the Chinese as mojibake."""

        # typeshed declares this an instance variable, so it is not a ClassVar here (mypy)
        extensions_map = {  # noqa: RUF012
            **http.server.SimpleHTTPRequestHandler.extensions_map,
            ".txt": "text/plain; charset=utf-8",
            ".md": "text/plain; charset=utf-8",
            ".yml": "text/plain; charset=utf-8",
            ".yaml": "text/plain; charset=utf-8",
            ".csv": "text/csv; charset=utf-8",
            ".json": "application/json; charset=utf-8",
            ".xml": "application/atom+xml; charset=utf-8",
        }

    return Utf8Handler


def _serve(args: argparse.Namespace) -> int:
    import functools

    _build(args)
    handler = functools.partial(_utf8_handler(), directory=str(args.out))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as server:
        print(
            f"正在 http://127.0.0.1:{args.port}/ 预览 {args.out}/（按 Ctrl+C 停止）",
            file=sys.stderr,
        )
        server.serve_forever()
    return 0
