"""The committed configuration files say each setting once: YAML keeps the last of two equal
keys without a word, so a second `exclude_docs:` (or `on:`) would silently drop the first."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CONFIG_FILES = sorted(
    [ROOT / "mkdocs.yml", *(ROOT / ".github" / "workflows").glob("*.yml")], key=str
)


class _StrictLoader(yaml.SafeLoader):
    """Reads MkDocs' tags (!ENV, !!python/...) as plain nodes and refuses a repeated key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise AssertionError(
                    f"key {key!r} twice (lines {seen[key]} and {key_node.start_mark.line + 1})"
                )
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_StrictLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)
_StrictLoader.add_multi_constructor("!", _any_tag)


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda p: p.name)
def test_no_setting_is_given_twice(path: Path) -> None:
    yaml.load(path.read_text("utf-8"), _StrictLoader)  # raises on a repeated key


def test_a_repeated_key_is_caught() -> None:
    with pytest.raises(AssertionError, match="exclude_docs"):
        yaml.load("exclude_docs: a\nnav: []\nexclude_docs: b\n", _StrictLoader)
