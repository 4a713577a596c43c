"""Scoring counts PHI found and look-alikes kept, on a hand-checked corpus."""

from __future__ import annotations

import pytest

from pipeline.synth import Label, LabelledLine
from pipeline.synth.score import Report, Tally, evaluate
from processors.errors import DecodeError

# Invented people and numbers; the SSN area is one no SSN was issued from.
_LINES = (
    (
        "2024-03-14T10:22:01Z INFO Patient Ana Kowalczyk ssn=219-45-6789 "
        "trace_id=4bf92f3577b34da6a3ce929d0e0e4736",
        [("PERSON", "Ana Kowalczyk"), ("SSN", "219-45-6789")],
        [
            ("TIMESTAMP", "2024-03-14T10:22:01Z"),
            ("TRACE_ID", "4bf92f3577b34da6a3ce929d0e0e4736"),
        ],
    ),
    (
        "2024-03-14T10:22:02Z INFO callback 617-555-0142 for MRN 00482913 status=200",
        [("PHONE", "617-555-0142"), ("MRN", "00482913")],
        [("TIMESTAMP", "2024-03-14T10:22:02Z"), ("HTTP_STATUS", "200")],
    ),
    (
        "2024-03-14T10:22:03Z WARN bad record for Ana Kowalczyk",
        [("PERSON", "Ana Kowalczyk")],
        [("TIMESTAMP", "2024-03-14T10:22:03Z")],
    ),
)


def _label(line: str, kind: str, value: str) -> Label:
    start = line.index(value)
    return Label(kind, value, start, start + len(value))


def _corpus(
    rows: tuple[tuple[str, list[tuple[str, str]], list[tuple[str, str]]], ...],
) -> list[LabelledLine]:
    return [
        LabelledLine(
            line,
            "test",
            tuple(_label(line, kind, value) for kind, value in phi),
            tuple(_label(line, kind, value) for kind, value in lookalikes),
        )
        for line, phi, lookalikes in rows
    ]


def _sloppy(line: bytes) -> bytes:
    """Stand-in redactor: partial, normalizing, over-eager, and picky."""
    if b"bad record" in line:
        raise DecodeError("stand-in refuses this record")
    return (
        line.replace(b"Ana Kowalczyk", b"<PERSON> Kowalczyk")
        .replace(b"219-45-6789", b"219456789")
        .replace(b"617-555-0142", b"<PHONE>")
        .replace(b"2024-03-14T10:22:02Z", b"<DATE>")
    )


@pytest.fixture(name="report")
def report_fixture() -> Report:
    return evaluate(_corpus(_LINES), _sloppy)


def test_evaluate_counts_name_missed_when_a_name_part_is_left(report: Report) -> None:
    assert report.phi["PERSON"] == Tally(total=2, hits=1)


def test_evaluate_counts_ssn_missed_when_only_digits_are_left(report: Report) -> None:
    assert report.phi["SSN"] == Tally(total=1, hits=0)


def test_evaluate_counts_found_when_value_is_replaced(report: Report) -> None:
    assert report.phi["PHONE"] == Tally(total=1, hits=1)
    assert report.phi["MRN"] == Tally(total=1, hits=0)


def test_evaluate_counts_lookalikes_lost_when_replaced_or_quarantined(
    report: Report,
) -> None:
    assert report.lookalikes["TIMESTAMP"] == Tally(total=3, hits=1)
    assert report.lookalikes["TRACE_ID"] == Tally(total=1, hits=1)
    assert report.lookalikes["HTTP_STATUS"] == Tally(total=1, hits=1)
    assert report.lookalikes_kept == Tally(total=5, hits=3)


def test_evaluate_counts_quarantine_when_redactor_raises_record_error(
    report: Report,
) -> None:
    assert report.lines == 3
    assert report.quarantined == 1
    assert report.phi_by_format["test"] == Tally(total=5, hits=2)


def test_evaluate_lists_misses_when_values_are_left(report: Report) -> None:
    missed = {(miss.line_no, miss.entity_type) for miss in report.missed}

    assert missed == {(1, "PERSON"), (1, "SSN"), (2, "MRN")}
    assert {miss.line_no for miss in report.lost} == {2, 3}


def test_evaluate_reports_shortfalls_when_goals_are_missed(report: Report) -> None:
    shortfalls = report.shortfalls()

    assert any(text.startswith("PERSON recall 50.00%") for text in shortfalls)
    assert any(text.startswith("look-alikes kept 60.00%") for text in shortfalls)
    assert not any(text.startswith("PHONE") for text in shortfalls)


def test_evaluate_counts_found_when_value_survives_only_as_part_of_a_lookalike() -> (
    None
):
    line = "host=db-02139.internal zip=02139 span=9a92f0e1c2d3b4a5 age=92"
    zip_start = line.index("zip=") + len("zip=")
    item = LabelledLine(
        line,
        "test",
        (
            Label("ZIP", "02139", zip_start, zip_start + len("02139")),
            Label("AGE", "92", len(line) - len("92"), len(line)),
        ),
        (_label(line, "HOSTNAME", "db-02139.internal"),),
    )

    def redact(raw: bytes) -> bytes:
        return raw.replace(b"zip=02139", b"zip=<ZIP>").replace(b"age=92", b"age=<AGE>")

    report = evaluate([item], redact)

    assert report.phi["ZIP"] == Tally(total=1, hits=1)
    assert report.phi["AGE"] == Tally(total=1, hits=1)
    assert report.lookalikes_kept == Tally(total=1, hits=1)


def test_evaluate_counts_missed_when_value_is_only_lowercased() -> None:
    item = _corpus(_LINES[:1])[0]

    report = evaluate(
        [item], lambda raw: raw.replace(b"Ana Kowalczyk", b"ana kowalczyk")
    )

    assert report.phi["PERSON"] == Tally(total=1, hits=0)
