"""Keyed fields for structured formats: PHI fields, context fields, key styles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from pipeline.synth.event import Event


@dataclass(frozen=True, slots=True)
class Field:
    """One key and its marked value; ``is_number`` renders it unquoted in JSON."""

    key: str
    value: str
    is_number: bool = False


FieldMaker = Callable[[Event], list[Field]]


def _name(ev: Event) -> list[Field]:
    key = ev.pick("patient_name", "name", "full_name")
    return [Field(key, ev.name())]


def _split_name(ev: Event) -> list[Field]:
    return [Field("first_name", ev.given()), Field("last_name", ev.family())]


def _dob(ev: Event) -> list[Field]:
    return [Field(ev.pick("dob", "date_of_birth", "birth_date"), ev.dob())]


def _age_or_dob(ev: Event) -> list[Field]:
    if ev.is_old():
        return [Field(ev.pick("age", "patient_age"), ev.age(), is_number=True)]
    return _dob(ev)


def _stay(ev: Event) -> list[Field]:
    style = ev.pick("iso", "us", "hl7")
    fields = [Field("admit_date", ev.admitted(style))]
    if ev.rng.random() < 0.5:
        fields.append(Field("discharge_date", ev.discharged(style)))
    return fields


def _address(ev: Event) -> list[Field]:
    if ev.rng.random() < 0.5:
        return [Field(ev.pick("address", "home_address"), ev.address())]
    return [
        Field("street", ev.street()),
        Field("city", ev.city()),
        Field("state", ev.state()),
        Field("zip", ev.zip()),
    ]


def _kin(ev: Event) -> list[Field]:
    return [
        Field("emergency_contact", ev.kin()),
        Field("emergency_phone", ev.kin_phone()),
    ]


def _vehicle(ev: Event) -> list[Field]:
    return [Field("vehicle_vin", ev.vin()), Field("license_plate", ev.plate())]


def _one(keys: tuple[str, ...], value: Callable[[Event], str]) -> FieldMaker:
    def make(ev: Event) -> list[Field]:
        return [Field(ev.rng.choice(keys), value(ev))]

    return make


# (weight, maker): names, birth dates and record numbers are the most logged.
PHI_FIELDS: Final[tuple[tuple[int, FieldMaker], ...]] = (
    (10, _name),
    (4, _split_name),
    (7, _dob),
    (6, _age_or_dob),
    (3, _stay),
    (7, _one(("mrn", "medical_record_number"), Event.mrn)),
    (5, _one(("patient_id", "pid"), Event.patient_id)),
    (4, _one(("ssn", "social_security_number"), Event.ssn)),
    (4, _one(("phone", "phone_number", "mobile"), Event.phone)),
    (2, _one(("fax", "fax_number"), Event.fax)),
    (4, _one(("email", "email_address"), Event.email)),
    (4, _address),
    (2, _one(("zip", "postal_code", "zip_code"), Event.zip)),
    (2, _one(("client_ip", "remote_addr"), Event.ip)),
    (3, _one(("member_id", "subscriber_id"), Event.member_id)),
    (2, _one(("mbi", "medicare_id"), Event.mbi)),
    (2, _one(("account_number", "visit_number"), Event.account)),
    (2, _one(("card_number", "pan"), Event.card)),
    (1, _one(("drivers_license", "dl_number"), Event.license)),
    (1, _vehicle),
    (2, _one(("device_id", "device_serial", "imei"), Event.device)),
    (1, _one(("profile_url", "website"), Event.url)),
    (2, _kin),
)


def phi_fields(ev: Event, count: int) -> list[Field]:
    """Return the fields of ``count`` distinct PHI field makers."""
    makers = list(PHI_FIELDS)
    fields: list[Field] = []
    for _ in range(min(count, len(makers))):
        weights = [weight for weight, _ in makers]
        index = ev.rng.choices(range(len(makers)), weights)[0]
        fields.extend(makers.pop(index)[1](ev))
    return fields


_CONTEXT: Final[tuple[FieldMaker, ...]] = (
    lambda ev: [Field("request_id", ev.look.uuid())],
    lambda ev: [Field("duration_ms", ev.look.duration_ms(), is_number=True)],
    lambda ev: [Field("status", ev.look.status(), is_number=True)],
    lambda ev: [Field("host", ev.look.hostname())],
    lambda ev: [Field("version", ev.look.version())],
    lambda ev: [Field("icd10", ev.look.icd10())],
    lambda ev: [Field("drug", ev.look.drug())],
    lambda ev: [Field("upstream_port", ev.look.port(), is_number=True)],
)


def context_fields(ev: Event) -> list[Field]:
    """Return non-PHI fields most app logs carry, look-alikes marked."""
    look = ev.look
    fields = [Field("trace_id", look.trace_id()), Field("span_id", look.span_id())]
    for make in ev.rng.sample(_CONTEXT, ev.rng.randint(1, 3)):
        fields.extend(make(ev))
    return fields


def camel(key: str) -> str:
    """Return ``key`` in camelCase."""
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def styled(key: str, style: str) -> str:
    """Return ``key`` in a key style: snake, camel, dotted or kebab."""
    if style == "camel":
        return camel(key)
    if style == "dotted":
        return f"patient.{key}"
    if style == "kebab":
        return key.replace("_", "-")
    return key
