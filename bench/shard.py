"""Sharded build benchmark: N shards + merge against one `nianbao build`, same reports.

    python bench/shard.py [--reports 300] [--shards 3] [--scans 0] [--seed S]

Writes the reports of bench/scale.py (region folders; plus, with --scans, that many scanned
PDFs of the format fixtures, read by OCR) into a project committed to git (the history step
runs, as in CI), then times with the CLI, each in its own copy of the project and with a cold
cache, as separate machines would run them:

    one      nianbao build
    shard K  nianbao build --shard K/N   one after another (each alone on this machine: what
             a runner of its own would take), and all at once (sharing these cores)
    merge    nianbao merge of the shards

and checks that the merged site equals the one-machine site byte for byte. On GitHub Actions
the wall time of a sharded build is the slowest shard plus the merge (plus each job's setup:
checkout, pip install, artifact upload and download), against one build. Prints one table;
nothing is asserted (goals live in bench/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import make_project, write_reports  # noqa: E402

NIANBAO = Path(sys.executable).parent / "nianbao"


def _load(name: str):
    path = ROOT / "tests" / "fixtures" / "formats" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return sys.modules[name]


def write_scans(reports: Path, count: int) -> None:
    """count scanned reports (image-only PDFs of the format fixtures), each in a folder of its
    own, named after the agency the fixture is a report of."""
    seeds = ("000", "001", "002", "003", "004")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _load("make_fixtures").build_all(out)
        scans = _load("make_scans").build_scans(out, out / "scans", seeds)
        for index in range(count):
            folder = reports / "扫描件" / f"第{index + 1}组"
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy(scans[seeds[index % len(seeds)]], folder / f"扫描{index + 1}.pdf")


def git(project: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": "2026-01-05T09:00:00+08:00",
        "GIT_COMMITTER_DATE": "2026-01-05T09:00:00+08:00",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", "-c", "commit.gpgsign=false", *args], cwd=project, env=env, check=True)


def run(cwd: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([str(NIANBAO), *args], cwd=cwd, check=True, capture_output=True, text=True)
    return time.perf_counter() - start


def digest(folder: Path) -> str:
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            total.update(path.relative_to(folder).as_posix().encode() + b"\0")
            total.update(hashlib.sha256(path.read_bytes()).digest())
    return total.hexdigest()


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--scans", type=int, default=0, help="scanned PDFs added (OCR)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    before = uptime()
    tmp = Path(tempfile.mkdtemp(prefix="nianbao-shard-bench-"))
    try:
        checkout = make_project(tmp)
        write_reports(checkout / "reports", args.reports, args.seed)
        if args.scans:
            write_scans(checkout / "reports", args.scans)
        git(checkout, "init", "-q")
        git(checkout, "add", "-A")
        git(checkout, "commit", "-q", "-m", "reports")

        def machine(name: str) -> Path:
            return Path(shutil.copytree(checkout, tmp / name, symlinks=True))

        one = machine("one")
        rows = [("one: nianbao build s", run(one, "build", "--out", "site"))]
        count = args.shards
        alone = []
        for k in range(1, count + 1):
            runner = machine(f"runner-{k}")
            alone.append(run(runner, "build", "--shard", f"{k}/{count}", "--out", "shard"))
            rows.append((f"shard {k}/{count} alone s", alone[-1]))
        start = time.perf_counter()
        together = [
            subprocess.Popen(
                [str(NIANBAO), "build", "--shard", f"{k}/{count}", "--out", "again"],
                cwd=machine(f"together-{k}"),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for k in range(1, count + 1)
        ]
        for process in together:
            process.wait()
        rows.append((f"{count} shards at once (wall) s", time.perf_counter() - start))
        merge = machine("merge")
        shards = [str(tmp / f"runner-{k}" / "shard") for k in range(1, count + 1)]
        rows.append(("merge s", run(merge, "merge", *shards, "--out", "site")))
        rows.append(("slowest shard alone + merge s", max(alone) + rows[-1][1]))
        identical = digest(one / "site") == digest(merge / "site")
        print(
            f"\nnianbao sharded build benchmark: {args.reports} reports"
            + (f" + {args.scans} scans" if args.scans else "")
            + f", {count} shards"
        )
        print(f"{'measure':<34} {'value':>10}")
        for name, seconds in rows:
            print(f"{name:<34} {seconds:>10.1f}")
        print(f"{'merged site = one-machine site':<34} {'yes' if identical else 'NO':>10}")
        print(f"before: {before}\nafter:  {uptime()}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
