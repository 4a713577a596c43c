"""The evaluation and throughput scripts run end to end with a stand-in redactor."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest

# TODO(pytest-config): benchmarks/ is not an installed package, so a bare
# `pytest` cannot import it; `make unit` can (python -m). Drop this once
# pyproject sets pytest's pythonpath to the repository root.
_ROOT = str(Path(__file__).resolve().parents[4])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from benchmarks import evaluate, throughput  # noqa: E402
from pipeline.cli import main as cli_main  # noqa: E402
from pipeline.synth import LabelledLine, generate  # noqa: E402


def _oracle(items: list[LabelledLine]) -> evaluate.RedactFn:
    """Stand-in redactor that replaces exactly the labelled PHI."""
    table: dict[bytes, bytes] = {}
    for item in items:
        line = item.line
        for label in sorted(item.phi, key=lambda label: -label.start):
            line = f"{line[: label.start]}<{label.entity_type}>{line[label.end :]}"
        table[item.line.encode()] = line.encode()
    return table.__getitem__


def _identity(line: bytes) -> bytes:
    return line


def test_evaluate_main_exits_1_when_check_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = evaluate.main(["--count", "40", "--check"], redact_fn=_identity)

    captured = capsys.readouterr()
    assert code == 1
    assert "PERSON" in captured.out
    assert "goal missed: PERSON recall 0.00%" in captured.err


def test_evaluate_main_exits_0_when_oracle_meets_every_goal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus, labels = tmp_path / "corpus.log", tmp_path / "labels.jsonl"
    assert (
        cli_main(
            [
                "generate",
                "--count",
                "120",
                "--phi-ratio",
                "0.5",
                "--labels",
                str(labels),
            ]
        )
        == 0
    )
    corpus.write_text(capsys.readouterr().out, encoding="utf-8")
    oracle = _oracle(list(generate(1, 120, 0.5)))

    argv = ["--input", str(corpus), "--labels", str(labels), "--check", "--json"]
    code = evaluate.main(argv, redact_fn=oracle)

    report = orjson.loads(capsys.readouterr().out)
    assert code == 0
    assert report["lines"] == 120
    assert report["lookalikes_kept"]["rate"] == 1.0
    assert all(tally["rate"] == 1.0 for tally in report["phi"].values())
    assert report["shortfalls"] == []


def test_read_corpus_raises_when_labels_do_not_match_lines(tmp_path: Path) -> None:
    corpus, labels = tmp_path / "corpus.log", tmp_path / "labels.jsonl"
    corpus.write_text("one\ntwo\n", encoding="utf-8")
    labels.write_bytes(b'{"line_no": 1, "format": "x", "phi": [], "lookalikes": []}\n')

    with pytest.raises(ValueError, match="different line counts"):
        list(evaluate.read_corpus(corpus, labels))


def test_evaluate_main_exits_2_when_input_lacks_labels(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        evaluate.main(["--input", "corpus.log"], redact_fn=_identity)

    assert exit_info.value.code == 2


def test_baseline_round_trips_json_and_copies_text_when_measured() -> None:
    assert throughput.baseline(b'{"a": 1}') == b'{"a":1}'
    assert throughput.baseline(b"plain text") == b"plain text"


def test_throughput_run_prints_both_mixes_when_given_a_stand_in() -> None:
    table = throughput.run(seed=1, count=30, repeat=1, redact_fn=_identity)

    rows = table.splitlines()
    assert rows[2].startswith("10% PHI")
    assert rows[3].startswith("100% PHI")


def test_measure_counts_quarantined_when_redactor_raises_record_error() -> None:
    from processors.errors import OversizeError

    def refuse(line: bytes) -> bytes:
        raise OversizeError("stand-in")

    speed = throughput.measure([b"a", b"bb"], refuse, repeat=2)

    assert speed.lines == 2
    assert speed.total_bytes == 3
    assert speed.quarantined == 2
