"""Shipper envelopes: Vector and Fluent Bit records around an inner line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from pipeline.synth.event import Event
from pipeline.synth.formats.access import access_line
from pipeline.synth.formats.encode import dumps
from pipeline.synth.formats.java import java_joined
from pipeline.synth.formats.jsonlog import flat
from pipeline.synth.formats.sql import postgres_text
from pipeline.synth.formats.text import clinical_line, logfmt_line, python_line

# What containers write to stdout; a Java trace arrives joined when the
# shipper runs a multiline rule, which is how most clusters are set up.
_INNER: Final[tuple[Callable[[Event], str], ...]] = (
    flat,
    flat,
    logfmt_line,
    python_line,
    clinical_line,
    access_line,
    java_joined,
    postgres_text,
)

_NAMESPACES: Final = ("ehr-prod", "billing", "integrations")


def _kubernetes(ev: Event, is_fluent_bit: bool) -> dict[str, Any]:
    look = ev.look
    namespace = ev.rng.choice(_NAMESPACES)
    image = f"registry.example.com/ehr/{ev.service}:{look.version()}"
    if is_fluent_bit:
        return {
            "pod_name": look.pod(ev.service),
            "namespace_name": namespace,
            "pod_id": look.uuid(),
            "labels": {"app": ev.service},
            "host": look.hostname(),
            "container_name": ev.service,
            "docker_id": look.digest(),
            "container_image": image,
        }
    return {
        "pod_name": look.pod(ev.service),
        "pod_namespace": namespace,
        "pod_uid": look.uuid(),
        "pod_labels": {"app.kubernetes.io/name": ev.service},
        "node_name": look.hostname(),
        "container_name": ev.service,
        "container_image": image,
        "container_image_id": look.image_digest(),
    }


def vector(ev: Event) -> list[str]:
    """Render the ``vector`` format: ``message`` holds the escaped inner line."""
    inner = ev.rng.choice(_INNER)(ev)
    document = {
        "file": f"/var/log/pods/{ev.service}/0.log",
        "kubernetes": _kubernetes(ev, is_fluent_bit=False),
        "message": inner,
        "source_type": "kubernetes_logs",
        "stream": ev.pick("stdout", "stderr"),
        "timestamp": ev.look.ts_iso(),
    }
    return [dumps(document)]


def fluent_bit(ev: Event) -> list[str]:
    """Render the ``fluentbit`` format: ``log`` holds the inner line."""
    inner = ev.rng.choice(_INNER)(ev)
    if ev.rng.random() < 0.5:
        inner += "\n"
    document = {
        "log": inner,
        "stream": "stdout",
        "time": ev.look.ts_iso(),
        "kubernetes": _kubernetes(ev, is_fluent_bit=True),
    }
    return [dumps(document)]
