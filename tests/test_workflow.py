"""The GitHub Pages workflows are valid (vendored schema, offline) and have the intended shape;
the sharded one's commands are run as its jobs would run them and give publish.yml's site."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import make_project

WORKFLOWS = Path(__file__).resolve().parents[1] / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "publish.yml"
SHARDED = WORKFLOWS / "publish-sharded.yml"


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


@pytest.fixture(scope="module")
def workflow() -> dict:
    return _load(WORKFLOW)


@pytest.fixture(scope="module")
def sharded() -> dict:
    return _load(SHARDED)


def _steps(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if str(s.get("uses", "")).split("@")[0] == action]


@pytest.mark.parametrize("path", [WORKFLOW, SHARDED], ids=lambda p: p.name)
def test_schema_valid(path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_triggers(workflow: dict) -> None:
    on = workflow["on"]
    assert "workflow_dispatch" in on
    push = on["push"]
    assert push["branches"] == ["main"]
    for path in ("reports/**", "generator/**", "content/**", "mkdocs.yml", "pyproject.toml"):
        assert path in push["paths"]


def test_permissions_and_concurrency(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"


def test_build_job(workflow: dict) -> None:
    build = workflow["jobs"]["build"]
    checkout = _steps(build, "actions/checkout")[0]
    assert checkout["uses"] == "actions/checkout@v4"
    # the whole history: first-seen dates and silent edits come from git log (issue 17)
    assert checkout["with"]["fetch-depth"] == 0
    python = _steps(build, "actions/setup-python")[0]
    assert python["uses"].endswith("@v5")
    assert python["with"]["python-version"] == "3.11"
    assert python["with"]["cache"] == "pip"
    runs = [s.get("run", "") for s in build["steps"]]
    assert "pip install ." in runs
    assert "nianbao build" in runs
    assert runs.index("pip install .") < runs.index("nianbao build")
    pages = _steps(build, "actions/configure-pages")[0]
    assert pages["uses"].endswith("@v5")
    # the site's address, for the sitemap, feeds and the 404 page under /<repo>/ (issue 14)
    step = next(s for s in build["steps"] if s.get("run") == "nianbao build")
    assert build["steps"].index(pages) < build["steps"].index(step)
    site_url = "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    assert step["env"]["NIANBAO_SITE_URL"] == site_url
    upload = _steps(build, "actions/upload-pages-artifact")[0]
    assert upload["uses"].endswith("@v3")
    assert upload["with"]["path"] == "site"


def test_deploy_job(workflow: dict) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert "page_url" in deploy["environment"]["url"]
    step = _steps(deploy, "actions/deploy-pages")[0]
    assert step["uses"] == "actions/deploy-pages@v4"
    assert step["id"] == "deployment"


VERSION_FILES = (
    "generator/parse/__init__.py",  # PARSER_VERSION
    "generator/ingest/__init__.py",  # OCR_VERSION
    "generator/cache.py",  # CACHE_VERSION
    "generator/render/memo.py",  # RENDER_CACHE_VERSION
)


def test_build_cache_is_kept_between_runs(workflow: dict) -> None:
    """actions/cache restores .cache/nianbao and the previous site before `nianbao build`
    (incremental builds, issue 15), keyed on the files holding the cache versions."""
    build = workflow["jobs"]["build"]
    cache = _steps(build, "actions/cache")
    assert len(cache) == 1
    step = cache[0]
    assert step["uses"] == "actions/cache@v4"
    assert step["with"]["path"].split() == [".cache/nianbao", "site"]
    key, restore = step["with"]["key"], step["with"]["restore-keys"].strip()
    for rel in VERSION_FILES:
        assert f"'{rel}'" in key and f"'{rel}'" in restore
        assert (WORKFLOW.parents[2] / rel).is_file(), rel
    assert key.endswith("-${{ github.sha }}")  # each run saves its own state
    assert key.startswith(restore)  # ... and the newest one of the same versions is restored
    names = {
        "PARSER_VERSION": VERSION_FILES[0],
        "OCR_VERSION": VERSION_FILES[1],
        "CACHE_VERSION": VERSION_FILES[2],
        "RENDER_CACHE_VERSION": VERSION_FILES[3],
    }
    for name, rel in names.items():
        assert f"\n{name} = " in (WORKFLOW.parents[2] / rel).read_text("utf-8"), (name, rel)
    build_step = next(s for s in build["steps"] if s.get("run") == "nianbao build")
    assert build["steps"].index(step) < build["steps"].index(build_step)


# ---- publish-sharded.yml ---------------------------------------------------------------------


def test_sharded_permissions_concurrency_and_trigger(sharded: dict, workflow: dict) -> None:
    assert sharded["permissions"] == workflow["permissions"]
    # one deployment at a time across both workflows
    assert sharded["concurrency"] == workflow["concurrency"]
    # by hand only: publish.yml deploys the pushes (two workflows would deploy them twice)
    assert list(sharded["on"]) == ["workflow_dispatch"]


def test_sharded_jobs_set_up_like_the_publish_build(sharded: dict, workflow: dict) -> None:
    build = workflow["jobs"]["build"]
    for name in ("shard", "merge"):
        job = sharded["jobs"][name]
        checkout = _steps(job, "actions/checkout")[0]
        assert checkout == _steps(build, "actions/checkout")[0]  # fetch-depth: 0 (git dates)
        assert _steps(job, "actions/setup-python") == _steps(build, "actions/setup-python")
        runs = [s.get("run", "") for s in job["steps"]]
        assert "pip install ." in runs
        ocr = next(s for s in build["steps"] if "tesseract-ocr-chi-sim" in s.get("run", ""))
        assert ocr["run"] in runs
        cache = _steps(job, "actions/cache")[0]
        assert cache["uses"] == "actions/cache@v4"
        assert cache["with"]["path"] == ".cache/nianbao"
        assert cache["with"]["key"].startswith(cache["with"]["restore-keys"].strip())


def test_sharded_matrix_numbers_the_shards_one_to_n(sharded: dict) -> None:
    shard = sharded["jobs"]["shard"]
    numbers = shard["strategy"]["matrix"]["shard"]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    command = next(s["run"] for s in shard["steps"] if "--shard" in s.get("run", ""))
    # N is the size of the matrix, so adding a shard needs one edit
    assert "--shard ${{ matrix.shard }}/${{ strategy.job-total }}" in command
    upload = _steps(shard, "actions/upload-artifact")[0]
    assert upload["uses"] == "actions/upload-artifact@v4"
    assert upload["with"]["if-no-files-found"] == "error"


def test_sharded_merge_and_deploy(sharded: dict, workflow: dict) -> None:
    merge = sharded["jobs"]["merge"]
    assert merge["needs"] == "shard"
    download = _steps(merge, "actions/download-artifact")[0]
    assert download["uses"] == "actions/download-artifact@v4"
    pages = _steps(merge, "actions/configure-pages")[0]
    step = next(s for s in merge["steps"] if "nianbao merge" in s.get("run", ""))
    assert merge["steps"].index(download) < merge["steps"].index(step)
    assert merge["steps"].index(pages) < merge["steps"].index(step)
    site_url = "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    assert step["env"]["NIANBAO_SITE_URL"] == site_url
    upload = _steps(merge, "actions/upload-pages-artifact")[0]
    assert upload == _steps(workflow["jobs"]["build"], "actions/upload-pages-artifact")[0]
    assert sharded["jobs"]["deploy"] == {**workflow["jobs"]["deploy"], "needs": "merge"}


EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def _substitute(text: str, values: dict[str, str]) -> str:
    """A workflow string with its ${{ … }} expressions replaced (KeyError for an unknown
    one: the test then says which the workflow started using)."""
    return EXPRESSION.sub(lambda m: values[m.group(1)], text)


def _run_steps(job: dict, cwd: Path, values: dict[str, str]) -> None:
    """Run the job's nianbao commands (the other steps are GitHub's actions and setup) with
    bash, as the runner does, with their env; the installed nianbao first on PATH."""
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    for step in job["steps"]:
        command = step.get("run", "")
        if "nianbao" not in command:
            continue
        env = {**os.environ, "PATH": path}
        env.update({k: _substitute(v, values) for k, v in step.get("env", {}).items()})
        done = subprocess.run(
            ["bash", "-e", "-c", _substitute(command, values)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_sharded_commands_run_and_publish_the_publish_workflows_site(
    sharded: dict, workflow: dict, tmp_path: Path
) -> None:
    """Each shard job's commands in a checkout of its own, its artifact moved as
    upload-artifact / download-artifact move it, the merge job's commands in another: the
    site uploaded equals the one publish.yml's build job uploads."""
    checkout = make_project(tmp_path / "checkout")
    pages = {"steps.pages.outputs.base_url": "https://example.org/nianbao"}
    single = shutil.copytree(checkout, tmp_path / "single")
    _run_steps(workflow["jobs"]["build"], single, pages)
    shard_job, merge_job = sharded["jobs"]["shard"], sharded["jobs"]["merge"]
    numbers = shard_job["strategy"]["matrix"]["shard"]
    upload = _steps(shard_job, "actions/upload-artifact")[0]["with"]
    download = _steps(merge_job, "actions/download-artifact")[0]["with"]
    merge = shutil.copytree(checkout, tmp_path / "merge")
    for number in numbers:
        values = {"matrix.shard": str(number), "strategy.job-total": str(len(numbers))}
        runner = shutil.copytree(checkout, tmp_path / f"runner-{number}")
        _run_steps(shard_job, runner, values)
        name = _substitute(upload["name"], values)
        assert re.fullmatch(download["pattern"].replace("*", ".*"), name)
        shutil.copytree(
            runner / _substitute(upload["path"], values), merge / download["path"] / name
        )
    _run_steps(merge_job, merge, pages)
    site = _steps(merge_job, "actions/upload-pages-artifact")[0]["with"]["path"]
    assert _digest(merge / site) == _digest(single / site)
    assert (merge / site / "sitemap.xml").read_text("utf-8").count("https://example.org/nianbao/")


@pytest.mark.parametrize("path", [WORKFLOW, SHARDED], ids=lambda p: p.name)
def test_a_public_repository_links_its_sources(path: Path) -> None:
    """Both workflows give every job NIANBAO_SOURCES_URL (generator/site.py sources_url):
    the reports folder in this repository when it is public, nothing when it is private."""
    value = _load(path)["env"]["NIANBAO_SOURCES_URL"]
    assert "github.event.repository.private == false" in value
    assert "format('{0}/{1}/blob/{2}/reports/', github.server_url, github.repository" in value
    assert value.strip().endswith("|| '' }}")
