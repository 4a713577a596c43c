"""``phirewall generate`` writes lines to stdout and matching label rows."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from pipeline.cli import main
from pipeline.synth import generate


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["generate", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_generate_writes_n_lines_and_n_label_rows_when_labels_path_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels_path = tmp_path / "labels.jsonl"

    code, out, _ = _run(["--count", "25", "--labels", str(labels_path)], capsys)

    lines = out.split("\n")
    assert code == 0
    assert lines[-1] == ""
    assert len(lines) == 26
    rows = [orjson.loads(row) for row in labels_path.read_bytes().splitlines()]
    assert [row["line_no"] for row in rows] == list(range(1, 26))
    for line, row in zip(lines, rows, strict=False):
        for label in row["phi"] + row["lookalikes"]:
            assert line[label["start"] : label["end"]] == label["value"]
        assert set(row) == {"line_no", "format", "phi", "lookalikes"}


def test_generate_writes_same_lines_as_library_when_seed_and_format_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["--seed", "7", "--count", "10", "--format", "hl7", "--format", "sql"]

    code, out, _ = _run(argv, capsys)

    expected = [item.line for item in generate(7, 10, 0.1, ["hl7", "sql"])]
    assert code == 0
    assert out.splitlines() == expected


def test_generate_reads_defaults_from_environment_when_flags_are_absent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PHIREWALL_SEED", "3")
    monkeypatch.setenv("PHIREWALL_COUNT", "12")
    monkeypatch.setenv("PHIREWALL_PHI_RATIO", "1.0")
    monkeypatch.setenv("PHIREWALL_FORMAT", "logfmt, fhir")

    code, out, _ = _run([], capsys)

    expected = [item.line for item in generate(3, 12, 1.0, ["logfmt", "fhir"])]
    assert code == 0
    assert out.splitlines() == expected


def test_generate_exits_2_when_environment_names_unknown_format(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PHIREWALL_FORMAT", "yaml")

    code, out, err = _run(["--count", "3"], capsys)

    assert code == 2
    assert out == ""
    assert "unknown format yaml" in err


@pytest.mark.parametrize(
    "argv",
    [["--phi-ratio", "1.5"], ["--count", "-1"], ["--format", "yaml"]],
    ids=["ratio-above-one", "negative-count", "unknown-format"],
)
def test_generate_exits_2_when_a_flag_is_invalid(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", *argv])

    assert exit_info.value.code == 2
    assert capsys.readouterr().out == ""


def test_generate_help_names_every_environment_variable_when_asked(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["generate", "--help"])

    text = " ".join(capsys.readouterr().out.split())
    for name in ("SEED", "COUNT", "PHI_RATIO", "FORMAT", "LABELS"):
        assert f"PHIREWALL_{name}" in text
    assert "default: 1000" in text
