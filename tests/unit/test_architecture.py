"""The architecture rule: processors/ is pure domain logic and imports no wiring."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROCESSORS = ROOT / "processors"
FORBIDDEN = frozenset({"confluent_kafka", "faust", "prometheus_client", "pipeline"})
_DYNAMIC_IMPORTERS = frozenset({"import_module", "__import__"})


def imported_roots(source: str) -> set[str]:
    """Return the top-level packages ``source`` imports, statically or by name."""
    roots: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            first = node.args[0] if node.args else None
            if (
                name in _DYNAMIC_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                roots.add(first.value.split(".")[0])
    return roots


def processor_files() -> list[Path]:
    return sorted(PROCESSORS.rglob("*.py"))


def test_processors_import_no_kafka_faust_metrics_or_pipeline_when_parsed() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            imported_roots(path.read_text("utf-8")) & FORBIDDEN
        )
        for path in processor_files()
    }

    assert {path: roots for path, roots in offenders.items() if roots} == {}


def test_processor_files_include_every_package_when_listed() -> None:
    # Guards the rule above against a wrong root, which would check nothing.
    names = {str(p.relative_to(PROCESSORS)) for p in processor_files()}

    assert {
        "engine.py",
        "tokens.py",
        "detect/keyvalue.py",
        "operators/mask.py",
    } <= names


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import confluent_kafka", {"confluent_kafka"}, id="import"),
        pytest.param("import faust.app as f", {"faust"}, id="import-dotted"),
        pytest.param("from pipeline.cli import main", {"pipeline"}, id="from-import"),
        pytest.param(
            "def f():\n    from prometheus_client import Counter\n",
            {"prometheus_client"},
            id="function-level",
        ),
        pytest.param(
            "import importlib\nimportlib.import_module('pipeline.settings')",
            {"importlib", "pipeline"},
            id="import-module",
        ),
        pytest.param("__import__('faust')", {"faust"}, id="dunder-import"),
        pytest.param("from . import spans", set(), id="relative"),
    ],
)
def test_imported_roots_finds_import_when_written_any_way(
    source: str, expected: set[str]
) -> None:
    assert imported_roots(source) == expected
