"""One synthetic patient: every PHI value an event about them may log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random

from pipeline.synth import identifiers, values
from pipeline.synth.values import Address, Name, Phone


@dataclass(frozen=True, slots=True)
class Patient:
    """Raw PHI values of one synthetic patient, rendered per format later."""

    name: Name
    kin: Name
    sex: str
    born: date
    age: int
    admitted: date
    discharged: date
    ssn: str
    mrn: str
    patient_id: str
    phone: Phone
    kin_phone: Phone
    fax: Phone
    email: str
    home: Address
    ip: str
    member_id: str
    mbi: str
    account: str
    card: str
    license: str
    vin: str
    plate: str
    device: str
    url: str


def new_patient(rng: Random, today: date) -> Patient:
    """Make a patient seen around ``today``; some are 90 or older."""
    name = values.person(rng)
    born = values.birth_date(rng, today, is_old=rng.random() < 0.2)
    admitted = today - timedelta(days=rng.randint(0, 6))
    handle = values.ascii_fold(name.given + name.family).lower() or "patient"
    return Patient(
        name=name,
        kin=values.person(rng),
        sex=rng.choice("FM"),
        born=born,
        age=values.age_on(born, today),
        admitted=admitted,
        discharged=admitted + timedelta(days=rng.randint(1, 9)),
        ssn=identifiers.ssn(rng),
        mrn=identifiers.mrn(rng),
        patient_id=identifiers.patient_id(rng),
        phone=values.phone(rng),
        kin_phone=values.phone(rng),
        fax=values.phone(rng),
        email=values.email(name, rng, born),
        home=values.address(rng),
        ip=values.ip_address(rng),
        member_id=identifiers.member_id(rng),
        mbi=identifiers.mbi(rng),
        account=identifiers.account(rng),
        card=identifiers.credit_card(rng),
        license=identifiers.drivers_license(rng),
        vin=identifiers.vin(rng),
        plate=identifiers.plate(rng),
        device=identifiers.device_id(rng),
        url=identifiers.personal_url(rng, handle[:12]),
    )
