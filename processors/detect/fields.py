"""Field rules: keys and paths that always hold PHI, or never do.

Keys are compared in a normalized form (lowercase, letters and digits only),
so ``first_name``, ``firstName`` and ``First-Name`` are one key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from processors.entities import EntityType

E = EntityType

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

_PHI_KEY_WORDS: Mapping[EntityType, str] = {
    E.PERSON: (
        "first_name f_name given_name given last_name l_name surname family_name "
        "family middle_name full_name patient_name pt_name patient member_name "
        "subscriber_name guarantor_name insured_name policy_holder_name "
        "mothers_maiden_name maiden_name next_of_kin kin emergency_contact "
        "emergency_contact_name caregiver caregiver_name guardian guardian_name "
        "spouse spouse_name contact_name patient_full_name patient_first_name "
        "patient_last_name legal_name preferred_name nick_name physician "
        "physician_name attending_physician referring_physician provider_name "
        "doctor doctor_name nurse nurse_name signed_by recipient_name "
        "parent_name mother_name father_name"
    ),
    E.SSN: (
        "ssn social_security_number social_security social_security_no "
        "ss_number patient_ssn ssn_last4 tax_id tin itin"
    ),
    E.MRN: (
        "mrn medical_record_number medical_record_no medical_record patient_id "
        "patient_number patient_no pt_id chart_number chart_no ehr_id empi "
        "patient_mrn mr_number person_id"
    ),
    E.DATE: (
        "dob date_of_birth birth_date birthday birth_dt dod date_of_death "
        "death_date deceased_date deceased_date_time admit_date admission_date "
        "admitted_at admit_date_time admission_date_time discharge_date "
        "discharged_at discharge_date_time service_date date_of_service dos "
        "visit_date appointment_date appointment_date_time appt_date "
        "encounter_date surgery_date procedure_date patient_dob birth_date_time"
    ),
    E.PHONE: (
        "phone phone_number telephone tel mobile mobile_phone cell cell_phone "
        "home_phone work_phone contact_phone phone_no mobile_number msisdn "
        "patient_phone primary_phone emergency_phone"
    ),
    E.FAX: "fax fax_number fax_no",
    E.EMAIL: "email email_address e_mail mail contact_email patient_email user_email",
    E.ADDRESS: (
        "address street_address street address_line1 address_line2 addr "
        "home_address mailing_address patient_address residence city town "
        "county street_line"
    ),
    E.ZIP: "zip zip_code postal_code post_code zip5 zip4",
    E.IP_ADDRESS: (
        "ip ip_address client_ip remote_addr remote_ip source_ip src_ip "
        "x_forwarded_for x_real_ip client_address peer_ip user_ip"
    ),
    E.MEMBER_ID: (
        "member_id member_number member_no subscriber_id subscriber_number "
        "insurance_id insurance_number policy_number policy_no policy_id "
        "group_number health_plan_id beneficiary_id medicaid_id medicaid_number "
        "plan_member_id"
    ),
    E.MBI: "mbi medicare_id medicare_number medicare_beneficiary_identifier hicn",
    E.ACCOUNT: (
        "account_number account_no acct_num acct_no bank_account "
        "bank_account_number iban billing_account routing_number visit_number "
        "encounter_number account_id billing_account_number"
    ),
    E.CREDIT_CARD: "credit_card credit_card_number card_number cc_number cc_num pan",
    E.LICENSE: (
        "drivers_license driver_license dl dl_number license_number license_no "
        "license npi dea dea_number certificate_number"
    ),
    E.VIN: "vin vehicle_id",
    E.PLATE: "plate license_plate plate_no plate_number",
    E.URL: (
        "profile_url personal_url homepage home_page website personal_website "
        "social_url linkedin facebook twitter"
    ),
    E.DEVICE_ID: (
        "device_id imei serial_number serial_no device_serial udi mac_address "
        "mac hardware_id"
    ),
}
"""Keys whose whole value is PHI, written with their word breaks so the
spellings ``first_name``, ``firstName`` and ``first-name`` all match."""

PHI_KEY_SPELLINGS: tuple[str, ...] = tuple(
    key for words in _PHI_KEY_WORDS.values() for key in words.split()
)

PHI_KEYS: Mapping[str, EntityType] = {
    key.replace("_", ""): entity_type
    for entity_type, words in _PHI_KEY_WORDS.items()
    for key in words.split()
}
"""Keys whose whole value is PHI of one entity type."""

NEVER_KEYS = frozenset(
    [
        "traceid",
        "spanid",
        "parentid",
        "parentspanid",
        "requestid",
        "correlationid",
        "traceparent",
        "tracestate",
        "xrequestid",
        "xb3traceid",
        "xb3spanid",
        "ddtraceid",
        "ddspanid",
        "uuid",
        "guid",
        "messageid",
        "eventid",
        "timestamp",
        "time",
        "ts",
        "datetime",
        "eventtime",
        "logtime",
        "level",
        "severity",
        "loglevel",
        "levelname",
        "logger",
        "loggername",
        "thread",
        "threadname",
        "threadid",
        "host",
        "hostname",
        "pod",
        "podname",
        "podid",
        "namespace",
        "container",
        "containername",
        "containerid",
        "service",
        "servicename",
        "app",
        "application",
        "env",
        "environment",
        "version",
        "build",
        "buildnumber",
        "commit",
        "sha",
        "gitsha",
        "hash",
        "checksum",
        "digest",
        "etag",
        "durationms",
        "duration",
        "latency",
        "latencyms",
        "elapsed",
        "elapsedms",
        "tookms",
        "status",
        "statuscode",
        "httpstatus",
        "method",
        "httpmethod",
        "port",
        "partition",
        "offset",
        "topic",
        "region",
        "zone",
        "cluster",
        "node",
        "nodename",
        "image",
        "imagetag",
        "stream",
        "file",
        "filename",
        "line",
        "lineno",
        "function",
        "funcname",
        "module",
        "class",
        "classname",
        "component",
        "icd10",
        "icd",
        "icdcode",
        "diagnosiscode",
        "cpt",
        "cptcode",
        "ndc",
        "loinc",
        "errorcode",
        "code",
        "kind",
        "type",
    ]
)
"""Keys whose values are never PHI: detection skips them entirely."""

PERSON_PARENTS = frozenset(
    [
        "patient",
        "member",
        "subscriber",
        "guarantor",
        "insured",
        "policyholder",
        "nextofkin",
        "kin",
        "emergencycontact",
        "contact",
        "person",
        "beneficiary",
        "guardian",
        "caregiver",
        "spouse",
        "mother",
        "father",
        "parent",
        "child",
        "dependent",
        "resident",
        "client",
        "customer",
        "user",
        "practitioner",
        "physician",
        "provider",
        "doctor",
        "nurse",
    ]
)
"""Parents under which ``name``/``id``/``dob``-like generic keys are PHI."""

_CHILD_OF_PERSON: Mapping[str, EntityType] = {
    "name": E.PERSON,
    "first": E.PERSON,
    "last": E.PERSON,
    "middle": E.PERSON,
    "given": E.PERSON,
    "family": E.PERSON,
    "display": E.PERSON,
    "displayname": E.PERSON,
    "text": E.PERSON,
    "prefix": E.PERSON,
    "suffix": E.PERSON,
    "id": E.MRN,
    "pid": E.MRN,
    "number": E.MRN,
    "identifier": E.MRN,
    "birth": E.DATE,
    "age": E.AGE,
}

_ADDRESS_PARENT_KEYS: Mapping[str, EntityType] = {
    "line": E.ADDRESS,
    "line1": E.ADDRESS,
    "line2": E.ADDRESS,
    "street": E.ADDRESS,
    "city": E.ADDRESS,
    "district": E.ADDRESS,
    "county": E.ADDRESS,
    "text": E.ADDRESS,
    "postalcode": E.ZIP,
    "zip": E.ZIP,
}

CHILD_KEYS = frozenset({*_CHILD_OF_PERSON, *_ADDRESS_PARENT_KEYS, "value"})
"""Keys that are PHI only under a parent key, as in ``patient.id``."""

AMBIGUOUS_NAME_KEYS = frozenset(
    [
        "name",
        "fullname",
        "displayname",
        "contact",
        "user",
        "username",
        "owner",
        "requester",
        "requestedby",
        "createdby",
        "updatedby",
    ]
)
"""Keys whose value is a person's name only when it looks like one."""

CUE_KEYS = frozenset({*PERSON_PARENTS, *AMBIGUOUS_NAME_KEYS, *CHILD_KEYS})
"""Keys that the gate may match only as a cue for their value: a string
under them is searched whole even when the record matched nothing else."""

AGE_KEYS = frozenset(["age", "patientage", "ageyears"])

TYPED_VALUE_KEYS: Mapping[str, EntityType] = {
    "phone": E.PHONE,
    "mobile": E.PHONE,
    "home": E.PHONE,
    "work": E.PHONE,
    "sms": E.PHONE,
    "fax": E.FAX,
    "email": E.EMAIL,
    "ssn": E.SSN,
    "mrn": E.MRN,
    "mr": E.MRN,
    "mbi": E.MBI,
    "npi": E.LICENSE,
    "dl": E.LICENSE,
    "memberid": E.MEMBER_ID,
    "url": E.URL,
}
"""Values typed by a sibling: FHIR ``{"system": "phone", "value": "..."}``
and ``{"type": "SSN", "value": "..."}``; the sibling's value, normalized, is
looked up here. System URIs count by their last path part (``.../us-ssn``)."""

TYPE_SIBLINGS = ("system", "type", "kind", "use", "code")
PERSON_RESOURCES = frozenset(["patient", "person", "relatedperson", "practitioner"])
"""FHIR resource types whose own ``id`` identifies a person."""


@dataclass(frozen=True, slots=True)
class FieldRule:
    """What the key path of a value says about it."""

    entity_type: EntityType | None = None
    """Set when the whole value is PHI of this type."""
    is_never: bool = False
    """True when the value must not be searched at all."""
    is_ambiguous_name: bool = False
    """True when the value is a name if it looks like one."""
    is_age: bool = False
    """True when the value is an age: PHI only past 89."""


NEUTRAL = FieldRule()
NEVER = FieldRule(is_never=True)


@lru_cache(maxsize=8192)
def normalize_key(key: str) -> str:
    """Return ``key`` lowercased with everything but letters and digits removed."""
    return _NON_ALNUM.sub("", key.lower())


SUFFIX_SPELLINGS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "full_name",
    "middle_name",
    "surname",
    "maiden_name",
    "ssn",
    "dob",
    "date_of_birth",
    "birth_date",
    "email_address",
    "email",
    "phone_number",
    "phone",
    "fax_number",
    "street_address",
    "home_address",
    "zip_code",
    "postal_code",
    "mrn",
    "member_id",
    "subscriber_id",
)
"""Key endings that mark PHI whatever comes before (``guarantorPhone``)."""

_PHI_SUFFIXES: tuple[tuple[str, EntityType], ...] = tuple(
    (s.replace("_", ""), PHI_KEYS[s.replace("_", "")]) for s in SUFFIX_SPELLINGS
)


def _child_rule(key: str, parent: str) -> FieldRule | None:
    """Rules for generic keys that are PHI under a person or an address."""
    if parent in PERSON_PARENTS or parent == "name":
        child = _CHILD_OF_PERSON.get(key)
        if child is EntityType.AGE:
            return FieldRule(is_age=True)
        if child is not None:
            return FieldRule(entity_type=child)
    if parent in ("address", "homeaddress", "mailingaddress", "addr"):
        child = _ADDRESS_PARENT_KEYS.get(key)
        if child is not None:
            return FieldRule(entity_type=child)
    if parent == "identifier" and key == "value":
        return FieldRule(entity_type=EntityType.MRN)
    return None


def _suffix_rule(key: str) -> FieldRule | None:
    for suffix, suffix_type in _PHI_SUFFIXES:
        if key.endswith(suffix):
            return FieldRule(entity_type=suffix_type)
    return None


@lru_cache(maxsize=4096)
def classify(key: str, parent: str = "", extra: tuple[str, ...] = ()) -> FieldRule:
    """Classify a value by its normalized key and its parent's normalized key.

    Args:
        key: the normalized key holding the value.
        parent: the normalized key of the enclosing object, or "".
        extra: normalized keys the policy adds as identifiers (type ID).
    """
    if key in extra:
        return FieldRule(entity_type=EntityType.ID)
    if key in AGE_KEYS:
        return FieldRule(is_age=True)
    entity_type = PHI_KEYS.get(key)
    if entity_type is not None:
        return FieldRule(entity_type=entity_type)
    rule = _child_rule(key, parent)
    if rule is not None:
        return rule
    if key in NEVER_KEYS:
        return NEVER
    rule = _suffix_rule(key)
    if rule is not None:
        return rule
    if key in AMBIGUOUS_NAME_KEYS:
        return FieldRule(is_ambiguous_name=True)
    return NEUTRAL


def classify_path(path: Sequence[str], extra: tuple[str, ...] = ()) -> FieldRule:
    """Classify a value by the raw keys of its path (array indexes skipped)."""
    keys = [normalize_key(p) for p in path if not p.isdigit()]
    if not keys:
        return NEUTRAL
    return classify(keys[-1], keys[-2] if len(keys) > 1 else "", extra)
