"""Free-text log messages, with PHI or with look-alikes only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pipeline.synth.event import Event

Template = Callable[[Event], str]


def _check_in(ev: Event) -> str:
    when = ev.admitted(ev.pick("us", "us_padded", "iso"))
    return f"Patient {ev.name()} (MRN {ev.mrn()}) checked in at {when}"


def _discharge_fax(ev: Event) -> str:
    name = ev.name("family_comma_given")
    return f"Discharge summary for {name} DOB {ev.dob()} faxed to {ev.fax()}"


def _admitted_old(ev: Event) -> str:
    if not ev.is_old():
        return _check_in(ev)
    age = ev.age()
    sex = "female" if ev.patient.sex == "F" else "male"
    phrase = ev.pick(f"{age}-year-old {sex}", f"{age} y/o {sex[0].upper()}", f"{age}yo")
    return f"{phrase} admitted with {ev.look.icd10()} on {ev.look.drug()}"


def _voicemail(ev: Event) -> str:
    _, lab, _ = ev.look.lab()
    who = f"{ev.title()} {ev.name('given_family')}"
    return f"Called {who} at {ev.phone()} re: {lab} result; left voicemail"


def _eligibility(ev: Event) -> str:
    return (
        f"Eligibility check failed for member {ev.member_id()} "
        f"(MBI {ev.mbi()}), patient {ev.name()}: {ev.look.error_code()}"
    )


def _rx(ev: Event) -> str:
    return f"Rx {ev.look.drug()} sent to pharmacy for {ev.name()}, DOB {ev.dob()}"


def _address(ev: Event) -> str:
    return f"Updated address for MRN {ev.mrn()}: {ev.address()}"


def _summary_email(ev: Event) -> str:
    return f"Emailed visit summary to {ev.email()} for {ev.name()}"


def _card(ev: Event) -> str:
    return (
        f"Payment declined for card {ev.card()} on account {ev.account()}: "
        f"{ev.look.error_code()}"
    )


def _parking(ev: Event) -> str:
    return f"Parking permit issued to {ev.name()}: plate {ev.plate()}, VIN {ev.vin()}"


def _license(ev: Event) -> str:
    return f"Identity verified with driver's license {ev.license()} for {ev.name()}"


def _device(ev: Event) -> str:
    return f"Glucometer {ev.device()} paired to patient {ev.patient_id()}"


def _portal(ev: Event) -> str:
    return f"Portal login for {ev.email()} from {ev.ip()} ({ev.look.status()})"


def _ssn(ev: Event) -> str:
    return f"SSN {ev.ssn()} does not match records for {ev.name()}"


def _kin(ev: Event) -> str:
    return (
        f"Emergency contact {ev.kin()} ({ev.kin_phone()}) notified for "
        f"{ev.name()}, MRN {ev.mrn()}"
    )


def _stay(ev: Event) -> str:
    style = ev.pick("month_day_year", "us", "day_mon_year")
    return (
        f"Patient {ev.name()} admitted {ev.admitted(style)}, discharged "
        f"{ev.discharged(style)} ({ev.look.icd10()})"
    )


def _profile(ev: Event) -> str:
    return f"Profile {ev.url()} linked to patient {ev.patient_id()}"


def _lab_flag(ev: Event) -> str:
    code, lab, unit = ev.look.lab()
    return f"{lab} ({code}) 9.8 {unit} for pt {ev.name()} (DOB {ev.dob()}) flagged high"


def _zip(ev: Event) -> str:
    return f"ZIP {ev.zip()} outside service area for patient {ev.patient_id()}"


PHI_TEMPLATES: Final[tuple[Template, ...]] = (
    _admitted_old,
    _check_in,
    _discharge_fax,
    _admitted_old,
    _voicemail,
    _eligibility,
    _rx,
    _address,
    _summary_email,
    _card,
    _parking,
    _license,
    _device,
    _portal,
    _ssn,
    _kin,
    _stay,
    _profile,
    _lab_flag,
    _zip,
)


def _cache(ev: Event) -> str:
    return f"Cache warmed in {ev.look.duration()}"


def _batch(ev: Event) -> str:
    count = ev.rng.randint(2, 900)
    return f"Eligibility batch {ev.look.uuid()} completed: {count} members"


def _formulary(ev: Event) -> str:
    return f"Formulary sync for {ev.look.drug()} completed in {ev.look.duration()}"


def _lab_ingest(ev: Event) -> str:
    code, name, _ = ev.look.lab()
    return f"Lab result {name} ingested (LOINC {code})"


def _upstream(ev: Event) -> str:
    look = ev.look
    return (
        f"Upstream {look.hostname()}:{look.port()} returned "
        f"{look.status(is_error=True)} after {look.duration()}"
    )


def _retry(ev: Event) -> str:
    return f"Retrying claim submission, attempt 2 of 5 ({ev.look.error_code()})"


def _deploy(ev: Event) -> str:
    return f"Deployed {ev.service} {ev.look.version()} ({ev.look.image_digest()})"


def _hcc(ev: Event) -> str:
    return f"Diagnosis code {ev.look.icd10()} mapped for batch {ev.look.uuid()}"


def _reminders(ev: Event) -> str:
    count = ev.rng.randint(2, 900)
    return f"Appointment reminders sent: {count} SMS in {ev.look.duration()}"


def _export(ev: Event) -> str:
    return f"Audit export {ev.look.digest()} written, {ev.rng.randint(2, 900)} rows"


def _request(ev: Event) -> str:
    return f"Processed request traceparent={ev.look.traceparent()}"


CLEAN_TEMPLATES: Final[tuple[Template, ...]] = (
    _cache,
    _batch,
    _formulary,
    _lab_ingest,
    _upstream,
    _retry,
    _deploy,
    _hcc,
    _reminders,
    _export,
    _request,
)


def phi_message(ev: Event) -> str:
    """Return a message carrying PHI of the event's patient, marked."""
    return ev.rng.choice(PHI_TEMPLATES)(ev)


def clean_message(ev: Event) -> str:
    """Return a message with look-alikes and no PHI, marked."""
    return ev.rng.choice(CLEAN_TEMPLATES)(ev)


def message(ev: Event) -> str:
    """Return a message fit for the event: with PHI when it has PHI."""
    return phi_message(ev) if ev.has_phi else clean_message(ev)
