"""Web server access lines (nginx, Apache) whose URLs carry identifiers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final
from urllib.parse import quote, quote_plus

from pipeline.synth import values
from pipeline.synth.event import Event
from pipeline.synth.lookalikes import DRUGS
from processors.entities import EntityType as E

_AGENTS: Final = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/122.0",
    "okhttp/4.12.0",
    "python-requests/2.31.0",
)


def _encoded_name(ev: Event) -> str:
    return ev.phi(E.PERSON, quote_plus(ev.name_text("given_family")))


def _search(ev: Event) -> str:
    return f"/api/v1/patients/search?patient_id={ev.patient_id()}&dob={ev.dob('iso')}"


def _record(ev: Event) -> str:
    return f"/portal/records?mrn={ev.mrn()}&name={_encoded_name(ev)}&tab=labs"


def _eligibility(ev: Event) -> str:
    return (
        f"/api/v2/eligibility?member_id={ev.member_id()}&first_name={ev.given()}"
        f"&last_name={ev.family()}&dob={ev.dob(ev.pick('iso', 'hl7'))}"
    )


def _fhir_ssn(ev: Event) -> str:
    bar = ev.pick("|", "%7C")
    return f"/fhir/Patient?identifier=http://hl7.org/fhir/sid/us-ssn{bar}{ev.ssn()}"


def _fhir_name(ev: Event) -> str:
    return f"/fhir/Patient?family={ev.family()}&birthdate={ev.dob('iso')}"


def _notify(ev: Event) -> str:
    phone = quote(values.phone_text(ev.patient.phone, ev.rng), safe="")
    email = quote(ev.patient.email, safe="")
    return (
        f"/api/v1/notify?phone={ev.phi(E.PHONE, phone)}"
        f"&email={ev.phi(E.EMAIL, email)}&channel=sms"
    )


def _reset(ev: Event) -> str:
    return f"/account/reset?email={ev.email()}&token={ev.look.digest()}"


def _ssn_path(ev: Event) -> str:
    return f"/api/v1/patients/by-ssn/{ev.ssn()}"


def _mrn_path(ev: Event) -> str:
    return f"/api/v1/patients/{ev.mrn()}/appointments?include=coverage"


_PHI_PATHS: Final[tuple[Callable[[Event], str], ...]] = (
    _search,
    _record,
    _eligibility,
    _fhir_ssn,
    _fhir_name,
    _notify,
    _reset,
    _ssn_path,
    _mrn_path,
)


def _clean_path(ev: Event) -> str:
    look = ev.look
    drug = look.mark("DRUG", quote_plus(ev.rng.choice(DRUGS)))
    return ev.pick(
        "/healthz",
        f"/static/js/app.{look.digest()}.js",
        f"/api/v1/drugs?q={drug}&limit=20",
        f"/api/v1/labs/{look.lab()[0]}",
        f"/api/v1/requests/{look.uuid()}",
        f"/api/v1/codes/icd10/{look.icd10()}",
    )


def access_line(ev: Event) -> str:
    """Render one access line, nginx combined or Apache common."""
    look = ev.look
    user = "-"
    if ev.has_phi:
        path = ev.rng.choice(_PHI_PATHS)(ev)
        client = ev.ip() if ev.rng.random() < 0.6 else "10.42.3.17"
        if ev.rng.random() < 0.15:
            user = ev.email()
    else:
        path = _clean_path(ev)
        client = ev.pick("10.42.3.17", "10.0.8.2", "127.0.0.1")
    method = ev.pick("GET", "GET", "POST")
    request = f'"{method} {path} HTTP/1.1" {look.status()} {ev.rng.randint(2, 90000)}'
    head = f"{client} - {user} [{look.ts_apache()}] {request}"
    if ev.rng.random() < 0.3:
        return f"{head} {look.mark('DURATION', str(ev.rng.randint(300, 900000)))}"

    referer = ev.pick('"-"', '"https://portal.example.org/"')
    agent = ev.rng.choice(_AGENTS)
    upstream = f"{look.pod(ev.service)}:{look.port()}"
    seconds = look.mark("DURATION", f"{ev.rng.uniform(0.001, 3.0):.3f}")
    return f'{head} {referer} "{agent}" rt={seconds} upstream={upstream}'


def access(ev: Event) -> list[str]:
    """Render the ``access`` format."""
    return [access_line(ev)]
