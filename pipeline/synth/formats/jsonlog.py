"""JSON application logs: flat, nested, with stack traces, JSON inside JSON."""

from __future__ import annotations

from typing import Any, Final

from pipeline.synth.event import Event
from pipeline.synth.fields import context_fields, phi_fields
from pipeline.synth.formats.encode import dumps, number, put
from pipeline.synth.formats.java import exception_lines
from pipeline.synth.messages import message

# Key style -> (time, level, logger, message) keys, as common loggers name them.
_ENVELOPE_KEYS: Final = {
    "snake": ("timestamp", "level", "logger", "message"),
    "camel": ("@timestamp", "level", "loggerName", "msg"),
    "dotted": ("@timestamp", "log.level", "log.logger", "message"),
    "kebab": ("time", "severity", "logger-name", "msg"),
}
_LEVELS: Final = ("info", "INFO", "debug", "WARN", "warning")


def _stamp(ev: Event) -> Any:
    if ev.rng.random() < 0.2:
        return number(ev.look.ts_epoch())
    return ev.look.ts_iso()


def flat(ev: Event) -> str:
    """Render a flat JSON log line in one of the common key styles."""
    style = ev.rng.choice(tuple(_ENVELOPE_KEYS))
    time_key, level_key, logger_key, message_key = _ENVELOPE_KEYS[style]
    document: dict[str, Any] = {
        time_key: _stamp(ev),
        level_key: ev.rng.choice(_LEVELS),
        logger_key: f"{ev.service}.{ev.pick('api', 'worker', 'jobs')}",
        message_key: message(ev),
    }
    if ev.has_phi and ev.rng.random() < 0.7:
        put(document, phi_fields(ev, ev.rng.randint(1, 4)), style)
    put(document, context_fields(ev), "snake" if style == "dotted" else style)
    return dumps(document)


def logstash(ev: Event) -> str:
    """Render a Logback JSON line whose ``stack_trace`` holds the trace."""
    document = {
        "@timestamp": ev.look.ts_iso(),
        "@version": "1",
        "message": ev.pick("Request failed", "Unhandled exception in handler"),
        "logger_name": "com.example.ehr.web.ErrorHandler",
        "thread_name": f"http-nio-{ev.look.port()}-exec-{ev.rng.randint(1, 9)}",
        "level": "ERROR",
        "level_value": 40000,
        "stack_trace": "\n".join(exception_lines(ev)),
        "trace_id": ev.look.trace_id(),
    }
    return dumps(document)


def json_flat(ev: Event) -> list[str]:
    """Render the ``json`` format: flat app logs, some with stack traces."""
    return [logstash(ev) if ev.rng.random() < 0.15 else flat(ev)]


def _patient_object(ev: Event) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "name": {"given": ev.given(), "family": ev.family()},
        "mrn": ev.mrn(),
        "dob": ev.dob(ev.pick("iso", "us")),
    }
    if ev.is_old():
        patient["age"] = number(ev.age())
    if ev.rng.random() < 0.5:
        patient["address"] = {
            "line": [ev.street()],
            "city": ev.city(),
            "state": ev.state(),
            "postalCode": ev.zip(),
        }
    if ev.rng.random() < 0.6:
        patient["contacts"] = [
            {"type": "phone", "value": ev.phone()},
            {"type": "email", "value": ev.email()},
        ]
    if ev.rng.random() < 0.4:
        patient["identifiers"] = [
            {"system": "SSN", "value": ev.ssn()},
            {"system": "MBI", "value": ev.mbi()},
        ]
    return patient


def _members(ev: Event) -> list[dict[str, Any]]:
    people = [ev] + [ev.another() for _ in range(ev.rng.randint(0, 2))]
    return [
        {"member_id": who.member_id(), "name": who.name(), "dob": who.dob("iso")}
        for who in people
    ]


def nested(ev: Event) -> list[str]:
    """Render the ``json_nested`` format: nested objects and arrays of objects."""
    look = ev.look
    document: dict[str, Any] = {
        "time": look.ts_iso(),
        "severity": ev.pick("INFO", "NOTICE", "DEBUG"),
        "service": {"name": ev.service, "version": look.version()},
        "trace": {"id": look.trace_id(), "span_id": look.span_id()},
    }
    if not ev.has_phi:
        code, lab, unit = look.lab()
        document["event"] = "lab.catalog.refreshed"
        document["tests"] = [{"loinc": code, "name": lab, "unit": unit}]
        document["http"] = {"status": number(look.status()), "took": look.duration()}
    elif ev.rng.random() < 0.35:
        document["event"] = "eligibility.batch.checked"
        document["members"] = _members(ev)
    else:
        document["event"] = ev.pick("appointment.booked", "patient.updated")
        document["patient"] = _patient_object(ev)
        document["encounter"] = {"id": look.uuid(), "diagnosis": look.icd10()}
    return [dumps(document)]


def _inner_payload(ev: Event) -> str:
    inner: dict[str, Any] = {"requestId": ev.look.uuid()}
    if ev.has_phi:
        put(inner, phi_fields(ev, ev.rng.randint(1, 4)), ev.pick("camel", "snake"))
    else:
        inner["drug"] = ev.look.drug()
        inner["icd10"] = ev.look.icd10()
    return dumps(inner)


def json_in_json(ev: Event) -> list[str]:
    """Render the ``json_in_json`` format: a JSON document in a string value."""
    key = ev.pick("body", "payload", "data", "request_body")
    document: dict[str, Any] = {
        "ts": ev.look.ts_iso(),
        "level": "debug",
        "msg": ev.pick("outbound request", "queue message received", "webhook"),
        key: _inner_payload(ev),
        "span_id": ev.look.span_id(),
    }
    if ev.rng.random() < 0.3:
        document = {"schema": {"type": "string"}, "payload": dumps(document)}
    return [dumps(document)]
