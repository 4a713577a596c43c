"""Field rules: keys and paths that always hold PHI, or never do.

Keys are compared in a normalized form (lowercase, letters and digits only),
so ``first_name``, ``firstName`` and ``First-Name`` are one key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from processors.detect.lexicon import NEVER_KEYS, PHI_KEY_SPELLINGS, PHI_KEYS
from processors.entities import EntityType

E = EntityType

__all__ = [
    "AGE_KEYS",
    "AMBIGUOUS_NAME_KEYS",
    "CHILD_KEYS",
    "CUE_KEYS",
    "NEVER",
    "NEVER_KEYS",
    "NEUTRAL",
    "PERSON_PARENTS",
    "PERSON_RESOURCES",
    "PHI_KEYS",
    "PHI_KEY_SPELLINGS",
    "SUFFIX_SPELLINGS",
    "TYPED_VALUE_KEYS",
    "TYPE_SIBLINGS",
    "MIN_PHI_AGE",
    "FieldRule",
    "classify",
    "classify_path",
    "normalize_key",
    "value_entity",
]

_NON_ALNUM = re.compile(r"[^0-9a-z]+")

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


MIN_PHI_AGE = 90
"""Safe Harbor lets ages up to 89 stand; older ones identify."""


def value_entity(
    rule: FieldRule, value: str, is_person_name: Callable[[str], bool] | None
) -> EntityType | None:
    """Return the entity type of a whole value under ``rule``, or None.

    Ages count from :data:`MIN_PHI_AGE`; values under ambiguous keys count
    when ``is_person_name`` says they are a name.
    """
    if rule.is_age:
        stripped = value.strip()
        is_old = stripped.isdigit() and int(stripped) >= MIN_PHI_AGE
        return EntityType.AGE if is_old else None
    if rule.is_ambiguous_name:
        if is_person_name is not None and is_person_name(value):
            return EntityType.PERSON
        return None
    return rule.entity_type


def classify_path(path: Sequence[str], extra: tuple[str, ...] = ()) -> FieldRule:
    """Classify a value by the raw keys of its path (array indexes skipped)."""
    keys = [normalize_key(p) for p in path if not p.isdigit()]
    if not keys:
        return NEUTRAL
    return classify(keys[-1], keys[-2] if len(keys) > 1 else "", extra)
