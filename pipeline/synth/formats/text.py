"""Plain-text logs: syslog, Python logging, logfmt and clinical-ops messages."""

from __future__ import annotations

from pipeline.synth.event import Event
from pipeline.synth.fields import Field, context_fields, phi_fields
from pipeline.synth.formats.encode import logfmt
from pipeline.synth.messages import message


def syslog_line(ev: Event) -> str:
    """Render one syslog line, BSD (RFC 3164) or RFC 5424."""
    look = ev.look
    priority = ev.pick("<134>", "<131>", "<14>")
    pid = ev.rng.randint(100, 32000)
    if ev.rng.random() < 0.5:
        host = look.hostname()
        return f"{priority}{look.ts_syslog()} {host} {ev.service}[{pid}]: {message(ev)}"
    return (
        f"{priority}1 {look.ts_iso()} {look.hostname()} {ev.service} {pid} - "
        f'[origin x-trace="{look.trace_id()}"] {message(ev)}'
    )


def _repr_field(field: Field) -> str:
    if field.is_number:
        return f"'{field.key}': {field.value}"
    quote = '"' if "'" in field.value else "'"
    return f"'{field.key}': {quote}{field.value}{quote}"


def python_line(ev: Event) -> str:
    """Render one Python ``logging`` line, sometimes with a dict repr payload."""
    look = ev.look
    level = ev.pick("INFO", "WARNING", "DEBUG", "ERROR")
    logger = f"{ev.service.replace('-', '_')}.{ev.pick('tasks', 'views', 'client')}"
    text = message(ev)
    if ev.has_phi and ev.rng.random() < 0.4:
        fields = phi_fields(ev, ev.rng.randint(1, 3))
        text += " payload={" + ", ".join(_repr_field(f) for f in fields) + "}"
    suffix = f" [trace_id={look.trace_id()} span_id={look.span_id()}]"
    return f"{look.ts_space(',')} {level} [{logger}] {text}{suffix}"


def logfmt_line(ev: Event) -> str:
    """Render one logfmt line, as Go and Heroku-style loggers write it."""
    pairs = [
        ("time", ev.look.ts_iso()),
        ("level", ev.pick("info", "warn", "debug")),
        ("msg", message(ev)),
    ]
    fields = context_fields(ev)
    if ev.has_phi and ev.rng.random() < 0.6:
        fields = phi_fields(ev, ev.rng.randint(1, 4)) + fields
    pairs.extend((field.key, field.value) for field in fields)
    return logfmt(pairs)


def clinical_line(ev: Event) -> str:
    """Render a free-text clinical-ops message behind a short prefix."""
    look = ev.look
    desk = ev.pick("front-desk", "nursing", "pharmacy", "billing", "transport")
    level = ev.pick("INFO", "NOTICE", "WARN")
    if ev.rng.random() < 0.5:
        return f"{look.ts_iso()} {desk} {level} {message(ev)}"
    return f"[{look.ts_space()}] [{desk}] {message(ev)} (ref {look.uuid()})"


def syslog(ev: Event) -> list[str]:
    """Render the ``syslog`` format."""
    return [syslog_line(ev)]


def python(ev: Event) -> list[str]:
    """Render the ``python`` format."""
    return [python_line(ev)]


def logfmt_format(ev: Event) -> list[str]:
    """Render the ``logfmt`` format."""
    return [logfmt_line(ev)]


def clinical(ev: Event) -> list[str]:
    """Render the ``clinical`` format."""
    return [clinical_line(ev)]
