"""Seeded synthetic healthcare logs, each line labelled with its PHI and look-alikes."""

# Every value is invented: names from hand-made lists, SSNs outside issued
# areas, phone numbers in fiction ranges, e-mail on reserved domains, IPs in
# documentation ranges. Nothing here describes a real person.

from __future__ import annotations

from pipeline.synth.corpus import check_formats, generate
from pipeline.synth.formats import FORMATS, JSON_FORMATS
from pipeline.synth.labels import Label, LabelledLine
from pipeline.synth.lookalikes import KINDS as LOOKALIKE_KINDS

__all__ = [
    "FORMATS",
    "JSON_FORMATS",
    "LOOKALIKE_KINDS",
    "Label",
    "LabelledLine",
    "check_formats",
    "generate",
]
