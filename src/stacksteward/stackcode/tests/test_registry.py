"""The registry of sections: apps declare them, stackcode iterates them in dependency order."""

import ast
from pathlib import Path

import pytest

from stacksteward.stackcode.registry import SECTIONS, dependency_order
from stacksteward.stackcode.schema import Field, Section

DOMAIN_APPS = ("org", "catalog", "intake", "changes", "finance")


def test_every_section_comes_after_the_sections_it_refers_to():
    order = list(SECTIONS)
    for position, section in enumerate(SECTIONS.values()):
        for spec in section.fields:
            if spec.kind in ("ref", "refs") and spec.ref in SECTIONS and spec.ref != section.name:
                assert order.index(spec.ref) < position, (section.name, spec.name)


def test_every_section_declares_its_model_and_services():
    for section in SECTIONS.values():
        assert section.model is not None and section.create is not None, section.name
        assert section.update is not None or section.name == "raci", section.name


def test_ties_go_to_the_section_registered_first_and_cycles_are_refused():
    a = Section("a", (Field("b", "ref", ref="b"),), key=("b",))
    b = Section("b", (Field("slug", "slug"),), key=("slug",))
    c = Section("c", (Field("slug", "slug"),), key=("slug",))
    assert dependency_order({"c": c, "a": a, "b": b}) == ["c", "b", "a"]
    loop = Section("b", (Field("a", "ref", ref="a"),), key=("a",))
    with pytest.raises(ValueError, match="cycle"):
        dependency_order({"a": a, "b": loop})


def test_stackcode_imports_no_domain_app_at_module_level():
    folder = Path(__file__).resolve().parent.parent
    for path in folder.glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not any(node.module.startswith(f"stacksteward.{app}") for app in DOMAIN_APPS), (
                    path.name, node.module)
