"""FHIR R4 resources logged as JSON: Patient and Observation with PHI."""

from __future__ import annotations

from typing import Any

from pipeline.synth.event import Event
from pipeline.synth.formats.encode import dumps, number
from pipeline.synth.lookalikes import DRUGS
from processors.entities import EntityType as E


def _meta(ev: Event) -> dict[str, Any]:
    return {"versionId": str(ev.rng.randint(1, 9)), "lastUpdated": ev.look.ts_iso()}


def _human_name(ev: Event) -> dict[str, Any]:
    given = [ev.given()]
    if ev.patient.name.middle:
        given.append(ev.phi(E.PERSON, ev.patient.name.middle))
    return {"use": "official", "family": ev.family(), "given": given}


def patient(ev: Event) -> dict[str, Any]:
    """Return a Patient resource carrying the event's patient."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": ev.patient_id(),
        "meta": _meta(ev),
        "identifier": [
            {"system": "http://hospital.example.org/mrn", "value": ev.mrn()},
        ],
        "name": [_human_name(ev)],
        "gender": "female" if ev.patient.sex == "F" else "male",
        "birthDate": ev.dob("iso"),
    }
    if ev.rng.random() < 0.4:
        system = ev.pick(
            "http://hl7.org/fhir/sid/us-ssn", "http://hl7.org/fhir/sid/us-mbi"
        )
        value = ev.ssn() if system.endswith("ssn") else ev.mbi()
        resource["identifier"].append({"system": system, "value": value})
    if ev.rng.random() < 0.6:
        resource["telecom"] = [
            {"system": "phone", "value": ev.phone(), "use": "home"},
            {"system": "email", "value": ev.email()},
        ]
    if ev.rng.random() < 0.5:
        resource["address"] = [
            {
                "line": [ev.street()],
                "city": ev.city(),
                "state": ev.state(),
                "postalCode": ev.zip(),
            }
        ]
    return resource


def observation(ev: Event) -> dict[str, Any]:
    """Return an Observation whose subject names the patient."""
    code, lab, unit = ev.look.lab()
    return {
        "resourceType": "Observation",
        "status": "final",
        "meta": _meta(ev),
        "code": {
            "coding": [{"system": "http://loinc.org", "code": code, "display": lab}]
        },
        "subject": {"reference": f"Patient/{ev.patient_id()}", "display": ev.name()},
        "valueQuantity": {
            "value": number(f"{ev.rng.uniform(0.5, 250):.1f}"),
            "unit": unit,
        },
    }


def _clean(ev: Event) -> dict[str, Any]:
    if ev.rng.random() < 0.5:
        return {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": "processing",
                    "diagnostics": f"Unknown code {ev.look.icd10()} in ValueSet "
                    f"({ev.look.error_code()})",
                }
            ],
        }
    drug = ev.look.mark("DRUG", ev.rng.choice(DRUGS))
    return {
        "resourceType": "Medication",
        "id": ev.look.uuid(),
        "meta": _meta(ev),
        "code": {
            "coding": [
                {
                    "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                    "display": drug,
                }
            ]
        },
    }


def fhir(ev: Event) -> list[str]:
    """Render the ``fhir`` format: a resource alone or inside an app log."""
    if ev.has_phi:
        resource = patient(ev) if ev.rng.random() < 0.6 else observation(ev)
    else:
        resource = _clean(ev)
    if ev.rng.random() < 0.5:
        return [dumps(resource)]

    wrapper = {
        "ts": ev.look.ts_iso(),
        "level": "DEBUG",
        "msg": ev.pick("fhir write", "fhir read", "subscription notification"),
        "traceparent": ev.look.traceparent(),
        "resource": resource,
    }
    return [dumps(wrapper)]
