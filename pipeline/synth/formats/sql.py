"""SQL statements with literals, as database servers and ORMs log them."""

# ruff: noqa: S608  # the statements are log text to redact, never executed

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pipeline.synth.event import Event
from pipeline.synth.formats.encode import dumps
from processors.entities import EntityType as E


def _quoted(ev: Event, entity_type: E, raw: str) -> str:
    """Return a SQL string literal whose escaped content is marked."""
    return "'" + ev.phi(entity_type, raw.replace("'", "''")) + "'"


def _by_ssn(ev: Event) -> str:
    return f"SELECT id, mrn FROM patients WHERE ssn = '{ev.ssn()}'"


def _by_name(ev: Event) -> str:
    family = _quoted(ev, E.PERSON, ev.patient.name.family)
    return (
        "SELECT * FROM patients WHERE last_name = "
        f"{family} AND dob = '{ev.dob('iso')}' LIMIT 20"
    )


def _update_contact(ev: Event) -> str:
    return (
        f"UPDATE patients SET phone = '{ev.phone()}', email = '{ev.email()}' "
        f"WHERE mrn = '{ev.mrn()}'"
    )


def _insert(ev: Event) -> str:
    given = _quoted(ev, E.PERSON, ev.patient.name.given)
    family = _quoted(ev, E.PERSON, ev.patient.name.family)
    return (
        "insert into patient (first_name, last_name, birth_date, postal_code) "
        f"values ({given}, {family}, '{ev.dob('iso')}', '{ev.zip()}')"
    )


def _coverage(ev: Event) -> str:
    return (
        "SELECT plan_id FROM coverage WHERE member_id = "
        f"'{ev.member_id()}' OR mbi = '{ev.mbi()}'"
    )


def _address(ev: Event) -> str:
    street = _quoted(ev, E.ADDRESS, ev.patient.home.street)
    return f"UPDATE addresses SET line1 = {street} WHERE patient_id = {ev.patient_id()}"


_PHI_STATEMENTS: Final[tuple[Callable[[Event], str], ...]] = (
    _by_ssn,
    _by_name,
    _update_contact,
    _insert,
    _coverage,
    _address,
)


def _clean_statement(ev: Event) -> str:
    look = ev.look
    return ev.pick(
        "SELECT id, status FROM appointments WHERE clinic_id = 42 "
        f"AND slot_start > '{look.ts_space()}'",
        f"UPDATE jobs SET state = 'done' WHERE id = '{look.uuid()}'",
        f"SELECT code, description FROM icd10_codes WHERE code = '{look.icd10()}'",
        f"SELECT rxcui FROM formulary WHERE name ILIKE '{look.drug()}%'",
    )


def _statement(ev: Event) -> str:
    if ev.has_phi:
        return ev.rng.choice(_PHI_STATEMENTS)(ev)
    return _clean_statement(ev)


def _duplicate_detail(ev: Event) -> str:
    column, value = ev.rng.choice(
        (("ssn", ev.ssn), ("email", ev.email), ("mrn", ev.mrn))
    )
    return f"Key ({column})=({value()}) already exists."


def postgres_text(ev: Event) -> str:
    """Render a PostgreSQL stderr log line with a statement."""
    look = ev.look
    pid = ev.rng.randint(100, 60000)
    millis = look.mark("DURATION", f"{ev.rng.uniform(0.05, 900.0):.3f} ms")
    return (
        f"{look.ts_space()} UTC [{pid}] LOG:  duration: {millis}  "
        f"statement: {_statement(ev)}"
    )


def postgres_json(ev: Event) -> str:
    """Render a PostgreSQL ``jsonlog`` line, an error with its detail."""
    look = ev.look
    document = {
        "timestamp": look.ts_space() + " UTC",
        "user": "ehr_app",
        "dbname": "ehr",
        "pid": ev.rng.randint(100, 60000),
        "error_severity": "ERROR",
    }
    if ev.has_phi:
        document["state_code"] = look.mark("ERROR_CODE", "23505")
        document["message"] = 'duplicate key value violates unique constraint "uq"'
        document["detail"] = _duplicate_detail(ev)
        document["statement"] = ev.rng.choice((_insert, _update_contact))(ev)
    else:
        document["state_code"] = look.mark("ERROR_CODE", "57014")
        document["message"] = "canceling statement due to statement timeout"
        document["statement"] = _clean_statement(ev)
    return dumps(document)


def orm_line(ev: Event) -> str:
    """Render an ORM debug line (Hibernate style) with the SQL it ran."""
    look = ev.look
    thread = f"task-{ev.rng.randint(1, 16)}"
    return f"{look.ts_space()} DEBUG [{thread}] org.hibernate.SQL - {_statement(ev)}"


def sql(ev: Event) -> list[str]:
    """Render the ``sql`` format: server text, server JSON or ORM lines."""
    render = ev.rng.choice((postgres_text, postgres_json, orm_line))
    return [render(ev)]
