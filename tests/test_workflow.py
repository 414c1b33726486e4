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
