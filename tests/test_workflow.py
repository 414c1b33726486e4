"""The GitHub Pages workflow is valid (vendored schema, offline) and has the intended shape."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / ".github" / "workflows" / "publish.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def _steps(job: dict, action: str) -> list[dict]:
    return [s for s in job["steps"] if str(s.get("uses", "")).split("@")[0] == action]


def test_schema_valid() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOW),
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
