"""The kinds of PHI phirewall knows, spelled once for tokens, metrics and docs."""

from __future__ import annotations

from enum import StrEnum


class EntityType(StrEnum):
    """One kind of protected health information."""

    PERSON = "PERSON"
    SSN = "SSN"
    MRN = "MRN"
    DATE = "DATE"
    AGE = "AGE"
    PHONE = "PHONE"
    FAX = "FAX"
    EMAIL = "EMAIL"
    ADDRESS = "ADDRESS"
    ZIP = "ZIP"
    IP_ADDRESS = "IP_ADDRESS"
    URL = "URL"
    MEMBER_ID = "MEMBER_ID"
    MBI = "MBI"
    ACCOUNT = "ACCOUNT"
    CREDIT_CARD = "CREDIT_CARD"
    LICENSE = "LICENSE"
    VIN = "VIN"
    PLATE = "PLATE"
    DEVICE_ID = "DEVICE_ID"
    ID = "ID"
    """Any other value the policy declares an identifier (patient_id, ...)."""
