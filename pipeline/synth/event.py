"""One log event being rendered: its time, patient and marked values."""

from __future__ import annotations

from datetime import date, datetime
from random import Random

from pipeline.synth import values
from pipeline.synth.labels import Marks
from pipeline.synth.lookalikes import SERVICES, Lookalikes
from pipeline.synth.names import FAMILY_FIRST
from pipeline.synth.patient import Patient, new_patient
from processors.entities import EntityType as E

_NAME_WEIGHTS = (40, 8, 8, 14, 8, 6, 4)


class Event:
    """Hand out marked PHI and look-alike values to the renderer of one event.

    Every PHI accessor raises on an event drawn without PHI, so a renderer
    cannot leak a value into a line the labels say is clean.
    """

    def __init__(
        self, rng: Random, when: datetime, has_phi: bool, marks: Marks | None = None
    ) -> None:
        self.rng = rng
        self.when = when
        self.has_phi = has_phi
        self.marks = marks or Marks()
        self.look = Lookalikes(rng, self.marks, when)
        self.service = rng.choice(SERVICES)
        self._patient = new_patient(rng, when.date()) if has_phi else None

    @property
    def patient(self) -> Patient:
        """The event's patient; only events with PHI have one."""
        if self._patient is None:
            raise RuntimeError("a renderer asked for PHI on an event without PHI")
        return self._patient

    def another(self) -> Event:
        """Return an event about another patient, labelled in the same lines."""
        return Event(self.rng, self.when, self.has_phi, self.marks)

    def phi(self, entity_type: E, value: str) -> str:
        """Return ``value`` marked as PHI of ``entity_type``."""
        if self._patient is None:
            raise RuntimeError("a renderer marked PHI on an event without PHI")
        return self.marks.phi(entity_type.value, value)

    def pick(self, *options: str) -> str:
        """Return one of ``options``."""
        return self.rng.choice(options)

    def name_text(self, style: str | None = None) -> str:
        """Return the patient's name as one source system writes it, unmarked."""
        name = self.patient.name
        if style is None:
            style = self.rng.choices(values.NAME_STYLES, _NAME_WEIGHTS)[0]
            if name.origin in FAMILY_FIRST and self.rng.random() < 0.3:
                style = "family_given"
        return values.name_text(name, style)

    def name(self, style: str | None = None) -> str:
        """Return the patient's full name, marked."""
        return self.phi(E.PERSON, self.name_text(style))

    def title(self) -> str:
        """Return the patient's title (not PHI alone, so not marked)."""
        return self.patient.name.title

    def given(self) -> str:
        """Return the patient's given name, marked."""
        return self.phi(E.PERSON, self.patient.name.given)

    def family(self) -> str:
        """Return the patient's family name, marked."""
        return self.phi(E.PERSON, self.patient.name.family)

    def kin(self) -> str:
        """Return the next of kin's full name, marked."""
        kin = self.patient.kin
        return self.phi(E.PERSON, values.name_text(kin, "given_family"))

    def _date(self, day: date, style: str | None) -> str:
        return self.phi(
            E.DATE, values.date_text(day, style or self.rng.choice(values.DATE_STYLES))
        )

    def dob(self, style: str | None = None) -> str:
        """Return the date of birth, marked."""
        return self._date(self.patient.born, style)

    def admitted(self, style: str | None = None) -> str:
        """Return the admission date, marked."""
        return self._date(self.patient.admitted, style)

    def discharged(self, style: str | None = None) -> str:
        """Return the discharge date, marked."""
        return self._date(self.patient.discharged, style)

    def is_old(self) -> bool:
        """Return True when the patient's age is itself PHI (90 or older)."""
        return self.patient.age >= 90

    def age(self) -> str:
        """Return the age in years, marked; only for patients 90 or older."""
        if not self.is_old():
            raise RuntimeError("an age under 90 is not PHI and must not be labelled")
        return self.phi(E.AGE, str(self.patient.age))

    def ssn(self) -> str:
        """Return the SSN, marked."""
        return self.phi(E.SSN, self.patient.ssn)

    def mrn(self) -> str:
        """Return the medical record number, marked."""
        return self.phi(E.MRN, self.patient.mrn)

    def patient_id(self) -> str:
        """Return the application's patient id, marked."""
        return self.phi(E.ID, self.patient.patient_id)

    def phone(self) -> str:
        """Return the patient's phone number, marked."""
        return self.phi(E.PHONE, values.phone_text(self.patient.phone, self.rng))

    def kin_phone(self) -> str:
        """Return the next of kin's phone number, marked."""
        return self.phi(E.PHONE, values.phone_text(self.patient.kin_phone, self.rng))

    def fax(self) -> str:
        """Return a fax number on file for the patient, marked."""
        return self.phi(E.FAX, values.phone_text(self.patient.fax, self.rng))

    def email(self) -> str:
        """Return the e-mail address, marked."""
        return self.phi(E.EMAIL, self.patient.email)

    def address(self) -> str:
        """Return the whole home address on one line, marked."""
        return self.phi(E.ADDRESS, values.address_text(self.patient.home))

    def street(self) -> str:
        """Return the street line of the address, marked."""
        return self.phi(E.ADDRESS, self.patient.home.street)

    def city(self) -> str:
        """Return the city of the address, marked."""
        return self.phi(E.ADDRESS, self.patient.home.city)

    def state(self) -> str:
        """Return the state, unmarked: Safe Harbor keeps states."""
        return self.patient.home.state

    def zip(self) -> str:
        """Return the ZIP code, marked."""
        return self.phi(E.ZIP, self.patient.home.zip_code)

    def ip(self) -> str:
        """Return the patient's IP address, marked."""
        return self.phi(E.IP_ADDRESS, self.patient.ip)

    def member_id(self) -> str:
        """Return the health plan member id, marked."""
        return self.phi(E.MEMBER_ID, self.patient.member_id)

    def mbi(self) -> str:
        """Return the Medicare Beneficiary Identifier, marked."""
        return self.phi(E.MBI, self.patient.mbi)

    def account(self) -> str:
        """Return the account number, marked."""
        return self.phi(E.ACCOUNT, self.patient.account)

    def card(self) -> str:
        """Return the payment card number, marked."""
        return self.phi(E.CREDIT_CARD, self.patient.card)

    def license(self) -> str:
        """Return the driver's license number, marked."""
        return self.phi(E.LICENSE, self.patient.license)

    def vin(self) -> str:
        """Return the vehicle identification number, marked."""
        return self.phi(E.VIN, self.patient.vin)

    def plate(self) -> str:
        """Return the license plate, marked."""
        return self.phi(E.PLATE, self.patient.plate)

    def device(self) -> str:
        """Return the device identifier, marked."""
        return self.phi(E.DEVICE_ID, self.patient.device)

    def url(self) -> str:
        """Return the personal web address, marked."""
        return self.phi(E.URL, self.patient.url)
