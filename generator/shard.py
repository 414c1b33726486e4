"""Sharded builds: `nianbao build --shard K/N` parses one share of the reports, `nianbao merge`
builds the one site from all shares, byte-identical to `nianbao build` of the same reports.

What a shard does without knowing the others, and what waits for the merge:

    shard   gather the whole reports/ tree (one walk, file sizes only), take its share, then
            read, parse and OCR those files (through the parse cache), read their git
            history (`git log --follow`, 8 ms a file) and parse the earlier contents of those
            edited under their name. This is the expensive, embarrassingly parallel part: a
            scanned page costs 2.5 s of OCR.
    merge   checks that the shards fit together and cover every report exactly once, then
            everything that needs the whole corpus or the final page set, as `nianbao
            build` does it: corrections, namesakes told apart, versions merged, the dated
            edits (from the shards' git history when the merge is at their commit, else
            from git), every check (report rules and cross-year, near-copy, hierarchy,
            region rules), the analyses, render, MkDocs and the Pagefind index.

Rendering stays in the merge because nothing a shard could render is final: a report page
shows its findings, some of which come from other reports (cross-year, near-copy, hierarchy);
every HTML page carries the site's nav and links to pages other shards would make; and the
search index is cut into parts by size over the sorted pages of the whole site, so one bundle
per shard (Pagefind mergeIndex) would not be the index a one-machine build writes.

The share: report files are grouped by the folder they are in (the deepest region folder:
the report's place), so an agency's years and versions of one report (same agency, year and
place) are always in one shard; groups are dealt out largest first (by bytes, a proxy for the
reading work: scans are large) to the shard with the least so far. Every shard and the merge
compute the same deal from the same tree; a province's reports, all under one top folder,
are still spread over every shard.

A shard folder holds `shard.json` (which share, of what tree and commit, by which parser,
each file's sha256 and its failure when it could not be read), `records/`, entries of the
parse cache (generator/cache.py) for its records and the earlier contents of edited files,
and `history/`, its files' committed versions (generator/sources.py). The merge
refuses shards that do not fit together, naming the folder and what to do.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from generator import __version__
from generator.batch import Progress, parse_reports
from generator.cache import RecordCache, file_sha256, parser_version
from generator.errors import NianbaoError
from generator.inputs import Inputs, gather_inputs
from generator.memos import loaded_memos
from generator.model import Failure, Record
from generator.sources import HISTORY_DIR

if TYPE_CHECKING:
    from generator.model.corpus import Corpus
    from generator.pipeline import BuildSummary, Settings

SHARD_FILE = "shard.json"
SHARD_FORMAT = 1
"""Of shard.json and the folder's layout (a merge reads only its own format)."""
SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True, slots=True)
class ShardSpec:
    index: int
    """K, from 1."""
    count: int
    """N."""

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_spec(text: str) -> ShardSpec:
    """'K/N' (1 <= K <= N) -> ShardSpec; NianbaoError in Chinese otherwise."""
    match = SPEC.match(text)
    if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise NianbaoError(
            f"--shard {text}：应写成 K/N（第 K 片，共 N 片，1 ≤ K ≤ N），例如 --shard 2/3"
        )
    return ShardSpec(int(match.group(1)), int(match.group(2)))


def relative(reports_dir: Path, path: Path) -> str:
    return path.relative_to(reports_dir).as_posix()


def _size(path: Path) -> int:
    try:
        return max(1, path.stat().st_size)
    except OSError:
        return 1


def plan_shards(
    reports_dir: Path, reports: Sequence[Path], count: int
) -> tuple[tuple[str, ...], ...]:
    """The report files (paths under reports/) of each of `count` shards: grouped by their
    folder, groups dealt largest first (bytes, then folder name) to the least loaded shard
    (then the lowest number). The same tree gives the same deal on every machine."""
    groups: dict[str, list[str]] = {}
    weights: dict[str, int] = {}
    for path in reports:
        rel = relative(reports_dir, path)
        folder = PurePosixPath(rel).parent.as_posix()
        groups.setdefault(folder, []).append(rel)
        weights[folder] = weights.get(folder, 0) + _size(path)
    loads = [0] * count
    shares: list[list[str]] = [[] for _ in range(count)]
    for folder in sorted(groups, key=lambda f: (-weights[f], f)):
        target = min(range(count), key=lambda k: (loads[k], k))
        loads[target] += weights[folder]
        shares[target] += groups[folder]
    return tuple(tuple(sorted(share)) for share in shares)


def tree_fingerprint(reports_dir: Path, reports: Sequence[Path]) -> str:
    """Of the report files' paths and sizes: what the deal is made from (the contents are
    compared file by file at the merge)."""
    digest = hashlib.sha256()
    for path in reports:
        digest.update(f"{relative(reports_dir, path)}\0{_size(path)}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class ShardSummary:
    spec: ShardSpec
    files: int
    """Report files of this shard."""
    total: int
    """Report files in the whole tree."""
    records: int
    unreadable: int


def build_shard(
    reports_dir: Path,
    out_dir: Path,
    spec: ShardSpec,
    progress: Progress | None = None,
    *,
    cache_dir: Path | None = None,
    workers: int | None = None,
) -> ShardSummary:
    """Parse shard K of N of reports_dir into out_dir (see the module doc). out_dir is
    written whole or not at all: built beside it, then swapped in for an earlier shard's."""
    from generator.pipeline import parse_report

    _check_out(out_dir)  # before any work
    inputs = gather_inputs(reports_dir)
    share = set(plan_shards(reports_dir, inputs.reports, spec.count)[spec.index - 1])
    mine = [p for p in inputs.reports if relative(reports_dir, p) in share]
    cache = RecordCache(cache_dir) if cache_dir is not None else None
    parsed = parse_reports(mine, reports_dir, parse_report, progress, cache=cache, workers=workers)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        summary = _write_shard(staging, reports_dir, inputs, mine, parsed, spec)
        _check_out(out_dir)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return summary


def _write_shard(
    out_dir: Path,
    reports_dir: Path,
    inputs: Inputs,
    mine: Sequence[Path],
    parsed: Sequence[Record | Failure],
    spec: ShardSpec,
) -> ShardSummary:
    from generator.analysis.edits import head_commit
    from generator.pipeline import parse_report
    from generator.sources import attach_history

    out = RecordCache(out_dir)
    files: list[dict[str, Any]] = []
    records: list[Record] = []
    for path, outcome in zip(mine, parsed, strict=True):
        rel = relative(reports_dir, path)
        if isinstance(outcome, Record):
            sha = outcome.source.sha256
            out.put(sha or "", rel, outcome)
            records.append(outcome)
            files.append({"file": rel, "sha256": sha, "failure": None})
        else:
            files.append({"file": rel, "sha256": _sha_or_none(path), "failure": outcome.to_dict()})
    # Each file's committed versions (git log, into out/history/) and the earlier contents
    # of files edited under their name, parsed into out/records/: the merge finds both in
    # its caches (when its HEAD is the shards').
    attach_history(
        records,
        {r.source.file: r for r in records},
        reports_dir,
        parse_report,
        out,
        out_dir / HISTORY_DIR,
    )
    manifest = {
        "format": SHARD_FORMAT,
        "shard": spec.index,
        "of": spec.count,
        "parser": parser_version(),
        "nianbao": __version__,
        "tree": tree_fingerprint(reports_dir, inputs.reports),
        "head": head_commit(reports_dir),
        "files": files,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (out_dir / SHARD_FILE).write_text(text, "utf-8")
    return ShardSummary(
        spec,
        len(mine),
        len(inputs.reports),
        len(records),
        sum(1 for f in files if f["failure"] is not None),
    )


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def _check_out(out_dir: Path) -> None:
    """out_dir may be replaced: it does not exist, is empty, or is an earlier shard."""
    if out_dir.exists() and (
        not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / SHARD_FILE).is_file())
    ):
        raise NianbaoError(
            f"分片输出文件夹 {out_dir} 已存在，且不是分片文件夹：请换一个不存在的文件夹"
            "（它会被整个替换）"
        )


# ---- the merge -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shard:
    folder: Path
    spec: ShardSpec
    parser: str
    tree: str
    head: str | None
    """The commit the shard's reports were checked out at (None outside git)."""
    files: tuple[dict[str, Any], ...]


def read_shard(folder: Path) -> Shard:
    """A shard folder's manifest; NianbaoError naming the folder when it is not one."""
    again = "请用 nianbao build --shard K/N --out 该文件夹 重新生成"
    try:
        data = json.loads((folder / SHARD_FILE).read_text("utf-8"))
    except FileNotFoundError as error:
        raise NianbaoError(f"{folder}：不是分片文件夹（没有 {SHARD_FILE}）：{again}") from error
    except (OSError, ValueError) as error:
        raise NianbaoError(f"{folder}/{SHARD_FILE}：无法读取（{error}）：{again}") from error
    if not isinstance(data, dict) or data.get("format") != SHARD_FORMAT:
        raise NianbaoError(
            f"{folder}：分片格式不是本程序的（{data.get('format') if isinstance(data, dict) else '?'}，"
            f"应为 {SHARD_FORMAT}）：请用同一版本的 nianbao 重新生成全部分片"
        )
    try:
        spec = ShardSpec(int(data["shard"]), int(data["of"]))
        files = tuple(
            {"file": str(f["file"]), "sha256": f["sha256"], "failure": f["failure"]}
            for f in data["files"]
        )
        head = data.get("head")
        return Shard(
            folder,
            spec,
            str(data["parser"]),
            str(data["tree"]),
            str(head) if head is not None else None,
            files,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise NianbaoError(f"{folder}/{SHARD_FILE}：内容不完整（{error}）：{again}") from error


def check_shards(shards: Sequence[Shard], reports_dir: Path, inputs: Inputs) -> None:
    """NianbaoError (Chinese, naming the folder and what to do) unless the shards are shares
    1..N of one deal of this reports tree, made by this parser."""
    if not shards:
        raise NianbaoError("没有给出分片文件夹：用法 nianbao merge 分片1 分片2 … --out 网站文件夹")
    version = parser_version()
    for shard in shards:
        if shard.parser != version:
            raise NianbaoError(
                f"{shard.folder}：分片由解析器版本 {shard.parser} 生成，本程序是 {version}："
                "请用同一版本的 nianbao 重新生成全部分片，再合并"
            )
    first = shards[0]
    for shard in shards:
        if shard.spec.count != first.spec.count:
            raise NianbaoError(
                f"{shard.folder}：是第 {shard.spec} 片，而 {first.folder} 是第 {first.spec} 片："
                "所有分片须按同一个片数 N 生成；请用相同的 --shard K/N 重新生成"
            )
    count = first.spec.count
    seen: dict[int, Shard] = {}
    for shard in shards:
        if shard.spec.index > count or shard.spec.index < 1:
            raise NianbaoError(f"{shard.folder}：片号 {shard.spec} 无效：请重新生成该分片")
        if shard.spec.index in seen:
            raise NianbaoError(
                f"{shard.folder} 与 {seen[shard.spec.index].folder} 都是第 {shard.spec} 片："
                "请只给出其中一个（同一片不能合并两次）"
            )
        seen[shard.spec.index] = shard
    missing = [k for k in range(1, count + 1) if k not in seen]
    if missing:
        names = "、".join(f"{k}/{count}" for k in missing)
        raise NianbaoError(
            f"缺少第 {names} 片（共 {count} 片，已给出 {len(shards)} 片）："
            f"请用 nianbao build --shard {missing[0]}/{count} 生成后一并合并"
        )
    tree = tree_fingerprint(reports_dir, inputs.reports)
    plan = plan_shards(reports_dir, inputs.reports, count)
    for shard in shards:
        got = tuple(f["file"] for f in shard.files)
        expected = plan[shard.spec.index - 1]
        if shard.tree != tree or got != expected:
            differs = sorted(set(got) ^ set(expected))
            example = f"（如 {differs[0]}）" if differs else ""
            raise NianbaoError(
                f"{shard.folder}：第 {shard.spec} 片读取的报告文件夹与 {reports_dir} "
                f"不同{example}：请在与合并相同的提交上重新生成全部分片"
            )


def merged_outcomes(
    shards: Sequence[Shard], reports_dir: Path, inputs: Inputs
) -> list[Record | Failure]:
    """Each report's parse outcome from its shard, in the order of inputs.reports; a file
    whose content is not what its shard parsed is refused."""
    by_file: dict[str, tuple[Shard, dict[str, Any]]] = {
        entry["file"]: (shard, entry) for shard in shards for entry in shard.files
    }
    outcomes: list[Record | Failure] = []
    for path in inputs.reports:
        rel = relative(reports_dir, path)
        shard, entry = by_file[rel]
        sha = entry["sha256"]
        if sha is not None and _sha_or_none(path) != sha:
            raise NianbaoError(
                f"{shard.folder}：{rel} 的内容与第 {shard.spec} 片解析时不同："
                "请在与合并相同的提交上重新生成全部分片"
            )
        if entry["failure"] is not None:
            outcomes.append(_failure(shard, entry["failure"]))
            continue
        record = RecordCache(shard.folder).get(sha or "", rel)
        if record is None:
            raise NianbaoError(
                f"{shard.folder}：缺少 {rel} 的解析记录（records/ 不完整）："
                f"请用 nianbao build --shard {shard.spec} 重新生成该分片"
            )
        outcomes.append(record)
    return outcomes


def _failure(shard: Shard, data: Any) -> Failure:
    try:
        return Failure(
            str(data["file"]),
            str(data["format"]),
            str(data["reason"]),
            data["kind"],
            str(data["stage"]),
        )
    except (KeyError, TypeError) as error:
        raise NianbaoError(
            f"{shard.folder}/{SHARD_FILE}：无法读取的文件记录不完整（{error}）："
            f"请用 nianbao build --shard {shard.spec} 重新生成该分片"
        ) from error


def merge_shards(settings: Settings, folders: Sequence[Path]) -> BuildSummary:
    """The site of all shards (see the module doc): byte-identical to build_site(settings)."""
    from generator.pipeline import publish_corpus
    from generator.staging import recover_site

    recover_site(settings.site_dir.resolve())  # what a killed build left, before anything else
    shards = [read_shard(Path(folder)) for folder in folders]
    inputs = gather_inputs(settings.reports_dir)
    check_shards(shards, settings.reports_dir, inputs)
    with loaded_memos(settings.cache_dir):
        # (passed on, not kept here: publish_corpus lets the records' memory go before MkDocs)
        return publish_corpus(settings, load_merged(shards, inputs, settings))


def load_merged(shards: Sequence[Shard], inputs: Inputs, settings: Settings) -> Corpus:
    """The corpus load_corpus would give, from the shards' parses. The shards' cache entries
    (their records, the earlier contents of edited files) go into the merge's parse cache
    (a temporary one with --no-cache), where the history step finds them, and so do the
    committed versions the shards' git log found, when the merge is at the shards' HEAD."""
    from generator.pipeline import assemble_corpus

    parsed = merged_outcomes(shards, settings.reports_dir, inputs)
    with tempfile.TemporaryDirectory(prefix="nianbao-merge-") as temporary:
        cache_dir = settings.cache_dir if settings.cache_dir is not None else Path(temporary)
        seed_cache(shards, cache_dir)
        seed_shard_history(shards, settings.reports_dir, cache_dir / HISTORY_DIR)
        return assemble_corpus(settings.reports_dir, inputs, parsed, cache_dir=cache_dir)


def seed_shard_history(shards: Sequence[Shard], reports_dir: Path, history_dir: Path) -> None:
    """The committed versions the shards' git log found, into the merge's history cache,
    when the merge's reports are at the shards' commit (else the merge asks git itself)."""
    from generator.analysis.edits import head_commit
    from generator.sources import read_history_folder, seed_history

    heads = {shard.head for shard in shards}
    if None in heads or heads != {head_commit(reports_dir)}:
        return
    known = {}
    for shard in shards:
        known.update(read_history_folder(shard.folder / HISTORY_DIR))
    seed_history(history_dir, reports_dir, known)


def seed_cache(shards: Sequence[Shard], cache_dir: Path) -> None:
    """Copy the shards' parse cache entries into cache_dir (entries already there are kept:
    an entry's name is the hash of what it was parsed from)."""
    target = RecordCache(cache_dir).folder
    target.mkdir(parents=True, exist_ok=True)
    for shard in shards:
        for entry in sorted(RecordCache(shard.folder).folder.glob("*.json")):
            destination = target / entry.name
            if not destination.exists():
                shutil.copyfile(entry, destination)
