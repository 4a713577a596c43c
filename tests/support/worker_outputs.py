"""Read a worker test's output topics and check the pipeline's guarantees."""

from __future__ import annotations

import base64
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import orjson
from confluent_kafka import Message

import schemas
from tests.support.worker_harness import PipelineTopics, read_committed, seq_of
from tests.support.worker_inputs import InputRecord


@dataclass(frozen=True)
class Outputs:
    """Every committed message on the four output topics."""

    sanitized: list[Message]
    restricted: list[Message]
    audit: list[Message]
    quarantine: list[Message]

    @classmethod
    def read(cls, bootstrap_servers: str, topics: PipelineTopics) -> Outputs:
        """Read all four topics to their ends with a read_committed reader."""
        return cls(
            sanitized=read_committed(bootstrap_servers, topics.sanitized),
            restricted=read_committed(bootstrap_servers, topics.restricted),
            audit=read_committed(bootstrap_servers, topics.audit),
            quarantine=read_committed(bootstrap_servers, topics.quarantine),
        )


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    """Return a validator of schema `name`, built once (building is slow)."""
    schema = schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _json(msg: Message) -> dict[str, Any]:
    record: dict[str, Any] = orjson.loads(msg.value() or b"null")
    return record


def assert_each_input_once(records: Sequence[InputRecord], outputs: Outputs) -> None:
    """Each input is in sanitized or quarantine, exactly once, as it should be."""
    sanitized = Counter(seq_of(m) for m in outputs.sanitized)
    quarantined = Counter(seq_of(m) for m in outputs.quarantine)
    doubled = sorted(s for s, n in (sanitized + quarantined).items() if n > 1)
    both = sorted(set(sanitized) & set(quarantined))
    assert not doubled, f"seqs output more than once: {doubled[:10]}"
    assert not both, f"seqs both sanitized and quarantined: {both[:10]}"

    expected_quarantine = {r.seq for r in records if r.reason is not None}
    expected_sanitized = {r.seq for r in records if r.reason is None}
    assert set(quarantined) == expected_quarantine, _diff(
        "quarantine", expected_quarantine, set(quarantined)
    )
    assert set(sanitized) == expected_sanitized, _diff(
        "sanitized", expected_sanitized, set(sanitized)
    )


def assert_quarantine_holds_originals(
    records: Sequence[InputRecord], outputs: Outputs
) -> None:
    """Quarantine records hold the input whole, with the expected reason."""
    by_seq = {r.seq: r for r in records}
    validator = _validator("quarantine.v1")
    for msg in outputs.quarantine:
        record = _json(msg)
        validator.validate(record)
        expected = by_seq[seq_of(msg)]
        assert record["reason"] == expected.reason, record["source"]
        assert base64.b64decode(record["original_b64"]) == expected.value
        assert msg.key() == expected.key


def assert_side_outputs_agree(
    records: Sequence[InputRecord],
    where: dict[int, tuple[int, int]],
    raw_topic: str,
    outputs: Outputs,
) -> None:
    """Restricted and audit records pair up, once per part with PHI, valid."""
    restricted = _by_part(outputs.restricted, "restricted.v1")
    audit = _by_part(outputs.audit, "audit.v1")
    assert restricted.keys() == audit.keys()
    for part, records_of_part in restricted.items():
        assert len(records_of_part) == 1, f"restricted {part} written twice"
        tokens = [f["token"] for f in records_of_part[0]["findings"]]
        assert tokens == [f["token"] for f in audit[part][0]["findings"]]
        assert all("value" not in f for f in audit[part][0]["findings"])

    with_phi = {(raw_topic, *where[r.seq]) for r in records if r.phi and not r.reason}
    seen = {(topic, partition, offset) for topic, partition, offset, _ in restricted}
    assert seen == with_phi, _diff("restricted", with_phi, seen)


def _by_part(
    messages: Sequence[Message], schema_name: str
) -> dict[tuple[str, int, int, str], list[dict[str, Any]]]:
    validator = _validator(schema_name)
    parts: dict[tuple[str, int, int, str], list[dict[str, Any]]] = defaultdict(list)
    for msg in messages:
        record = _json(msg)
        validator.validate(record)
        source = record["source"]
        coordinates = f"{source['topic']}/{source['partition']}/{source['offset']}"
        assert msg.key() == coordinates.encode()
        part = f"{source['part']}:{source.get('header', '')}"
        parts[(source["topic"], source["partition"], source["offset"], part)].append(
            record
        )
    return parts


def assert_no_phi_in_sanitized(
    records: Sequence[InputRecord], outputs: Outputs
) -> None:
    """No PHI value that went in appears in any sanitized value, key or header."""
    canaries = {value for r in records for value in r.phi}
    leaks = []
    for msg in outputs.sanitized:
        headers = msg.headers() or []
        pairs = headers.items() if isinstance(headers, dict) else headers
        values = [v if isinstance(v, bytes) else b"" for _, v in pairs]
        blob = b"\n".join([msg.value() or b"", msg.key() or b"", *values])
        leaks += [c for c in canaries if c in blob]
    assert not leaks, f"{len(leaks)} PHI values leaked to sanitized"


def assert_clean_records_unchanged(
    records: Sequence[InputRecord], outputs: Outputs
) -> None:
    """Records without PHI reach sanitized byte for byte, key and headers too."""
    by_seq = {seq_of(m): m for m in outputs.sanitized}
    for record in records:
        if record.phi or record.reason:
            continue
        msg = by_seq[record.seq]
        assert msg.value() == record.value
        assert msg.key() == record.key
        assert (msg.headers() or []) == record.wire_headers()


def assert_partition_order(where: dict[int, tuple[int, int]], outputs: Outputs) -> None:
    """Sanitized partition p holds raw partition p's records in offset order."""
    by_partition: dict[int, list[int]] = defaultdict(list)
    for msg in outputs.sanitized:
        seq = seq_of(msg)
        assert msg.partition() == where[seq][0], f"seq {seq} changed partition"
        by_partition[msg.partition() or 0].append(where[seq][1])
    for partition, offsets in by_partition.items():
        assert offsets == sorted(offsets), f"partition {partition} out of order"


def assert_key_placement(outputs: Outputs) -> None:
    """All sanitized records with one (tokenized) key share one partition."""
    partitions_by_key: dict[bytes, set[int]] = defaultdict(set)
    for msg in outputs.sanitized:
        partitions_by_key[msg.key() or b""].add(msg.partition() or 0)
    assert partitions_by_key
    split = [key for key, parts in partitions_by_key.items() if len(parts) > 1]
    assert not split, f"{len(split)} keys spread over several partitions"


def _diff(what: str, expected: set[Any], actual: set[Any]) -> str:
    missing = sorted(expected - actual)[:10]
    extra = sorted(actual - expected)[:10]
    return f"{what}: missing {missing}, unexpected {extra}"
