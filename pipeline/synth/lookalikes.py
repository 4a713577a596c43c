"""Values that look like PHI but are not, which a redactor must keep."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from random import Random
from typing import Final

from pipeline.synth.labels import Marks
from pipeline.synth.values import MONTHS

KINDS: Final = (
    "TIMESTAMP",
    "UUID",
    "TRACE_ID",
    "SPAN_ID",
    "HEX_DIGEST",
    "HOSTNAME",
    "POD_NAME",
    "ICD10",
    "VERSION",
    "DURATION",
    "HTTP_STATUS",
    "PORT",
    "ERROR_CODE",
    "DRUG",
    "LAB",
)
"""Every look-alike kind, as written in labels."""

ICD10: Final = {
    "E11.9": "Type 2 diabetes mellitus without complications",
    "I10": "Essential (primary) hypertension",
    "J45.909": "Unspecified asthma, uncomplicated",
    "Z79.4": "Long term (current) use of insulin",
    "M54.50": "Low back pain, unspecified",
    "E78.5": "Hyperlipidemia, unspecified",
    "F32.A": "Depression, unspecified",
    "K21.9": "Gastro-esophageal reflux disease without esophagitis",
    "N18.30": "Chronic kidney disease, stage 3 unspecified",
    "S72.001A": "Fracture of unspecified part of neck of right femur",
    "G47.33": "Obstructive sleep apnea",
    "J18.9": "Pneumonia, unspecified organism",
    "I50.9": "Heart failure, unspecified",
    "Z00.00": "Encounter for general adult medical examination",
}

DRUGS: Final = (
    "metformin 500 mg",
    "lisinopril 10 mg",
    "atorvastatin 40 mg",
    "Eliquis 5 mg",
    "Xarelto",
    "Jardiance",
    "Allegra",
    "Lyrica 75 mg",
    "Ozempic 0.5 mg",
    "insulin glargine",
    "albuterol HFA",
    "sertraline 50 mg",
    "levothyroxine 88 mcg",
    "Humira",
    "amoxicillin-clavulanate",
)

LABS: Final = (
    ("4548-4", "Hemoglobin A1c", "%"),
    ("2345-7", "Glucose", "mg/dL"),
    ("2160-0", "Creatinine", "mg/dL"),
    ("3016-3", "TSH", "mIU/L"),
    ("13457-7", "LDL Cholesterol", "mg/dL"),
    ("718-7", "Hemoglobin", "g/dL"),
    ("6690-2", "WBC", "10*3/uL"),
    ("2951-2", "Sodium", "mmol/L"),
    ("2823-3", "Potassium", "mmol/L"),
    ("33914-3", "eGFR", "mL/min/1.73m2"),
)

SERVICES: Final = (
    "ehr-api",
    "scheduling",
    "billing-worker",
    "patient-portal",
    "hl7-gateway",
    "rx-sync",
    "claims-adapter",
    "lab-ingest",
)

_STATUSES: Final = ("200", "200", "201", "204", "302", "400", "401", "404", "409")
_ERROR_STATUSES: Final = ("422", "429", "500", "502", "503", "504")
_PORTS: Final = ("8080", "8443", "5432", "6379", "9092", "2575", "443", "3306")
_ERROR_CODES: Final = (
    "ERR_UPSTREAM_TIMEOUT",
    "E1042",
    "ORA-00942",
    "23505",
    "40001",
    "ECONNRESET",
    "EHR-4012",
    "HTTP-502",
    "AUTH_401",
)
_VERSIONS: Final = ("2.14.1", "v1.8.0", "3.2.0-rc.2", "1.29.3", "6.1.4", "2024.3.1")
_POD_CHARS: Final = "bcdfghjklmnpqrstvwxz2456789"
_HOST_SUFFIXES: Final = (
    ".prod.internal",
    ".ec2.internal",
    ".ehr.svc.cluster.local",
    ".example.internal",
)


class Lookalikes:
    """Make look-alike values for one event, marked for labelling."""

    def __init__(self, rng: Random, marks: Marks, when: datetime) -> None:
        self.rng = rng
        self.when = when
        self._marks = marks

    def mark(self, kind: str, value: str) -> str:
        """Return ``value`` marked as a look-alike of ``kind``."""
        return self._marks.lookalike(kind, value)

    def ts_iso(self) -> str:
        """Return the event time in ISO 8601, UTC, as most JSON loggers write it."""
        text = self.when.isoformat(timespec="milliseconds")
        if self.rng.random() < 0.6:
            text = text.replace("+00:00", "Z")
        return self.mark("TIMESTAMP", text)

    def ts_space(self, sep: str = ".") -> str:
        """Return the event time as ``2024-03-14 10:22:01.332`` (or ``,``)."""
        text = self.when.strftime("%Y-%m-%d %H:%M:%S") + sep
        return self.mark("TIMESTAMP", text + f"{self.when.microsecond // 1000:03d}")

    def ts_syslog(self) -> str:
        """Return the event time the way BSD syslog writes it."""
        month = MONTHS[self.when.month - 1][:3]
        text = f"{month} {self.when.day:2d} {self.when.strftime('%H:%M:%S')}"
        return self.mark("TIMESTAMP", text)

    def ts_apache(self) -> str:
        """Return the event time as an access log writes it, with an offset."""
        hours = self.rng.choice((0, 0, -5, -8, 1))
        local = self.when.astimezone(timezone(timedelta(hours=hours)))
        month = MONTHS[local.month - 1][:3]
        text = local.strftime(f"%d/{month}/%Y:%H:%M:%S %z")
        return self.mark("TIMESTAMP", text)

    def ts_epoch(self) -> str:
        """Return the event time as epoch seconds, milliseconds or a float."""
        seconds = self.when.timestamp()
        text = self.rng.choice(
            (f"{int(seconds)}", f"{int(seconds * 1000)}", f"{seconds:.3f}")
        )
        return self.mark("TIMESTAMP", text)

    def ts_hl7(self) -> str:
        """Return the event time as an HL7 v2 timestamp."""
        return self.mark("TIMESTAMP", self.when.strftime("%Y%m%d%H%M%S"))

    def uuid(self) -> str:
        """Return a random version 4 UUID (a request or message id)."""
        value = uuid.UUID(int=self.rng.getrandbits(128), version=4)
        return self.mark("UUID", str(value))

    def trace_id(self) -> str:
        """Return a W3C trace id: 32 hex digits."""
        return self.mark("TRACE_ID", f"{self.rng.getrandbits(128):032x}")

    def span_id(self) -> str:
        """Return a W3C span id: 16 hex digits."""
        return self.mark("SPAN_ID", f"{self.rng.getrandbits(64):016x}")

    def traceparent(self) -> str:
        """Return a W3C ``traceparent`` header value, labelled as a trace id."""
        trace = f"{self.rng.getrandbits(128):032x}"
        span = f"{self.rng.getrandbits(64):016x}"
        return self.mark("TRACE_ID", f"00-{trace}-{span}-01")

    def digest(self) -> str:
        """Return a hex digest: SHA-256, SHA-1, MD5 or a short commit id."""
        bits = self.rng.choice((256, 160, 128, 28))
        return self.mark("HEX_DIGEST", f"{self.rng.getrandbits(bits):0{bits // 4}x}")

    def image_digest(self) -> str:
        """Return a container image digest as Kubernetes reports it."""
        return self.mark("HEX_DIGEST", f"sha256:{self.rng.getrandbits(256):064x}")

    def hostname(self) -> str:
        """Return a host name, some with an IP-like part."""
        if self.rng.random() < 0.3:
            octets = "-".join(str(self.rng.randint(0, 254)) for _ in range(3))
            return self.mark("HOSTNAME", f"ip-10-{octets}.ec2.internal")
        name = f"{self.rng.choice(SERVICES)}-{self.rng.randint(1, 12):02d}"
        return self.mark("HOSTNAME", name + self.rng.choice(_HOST_SUFFIXES))

    def pod(self, service: str) -> str:
        """Return a Kubernetes pod name of a deployment of ``service``."""
        chars = _POD_CHARS
        replica_set = "".join(self.rng.choice(chars) for _ in range(9))
        suffix = "".join(self.rng.choice(chars) for _ in range(5))
        return self.mark("POD_NAME", f"{service}-{replica_set}-{suffix}")

    def icd10(self) -> str:
        """Return an ICD-10-CM code (a diagnosis code alone identifies nobody)."""
        return self.mark("ICD10", self.rng.choice(tuple(ICD10)))

    def version(self) -> str:
        """Return a software version."""
        return self.mark("VERSION", self.rng.choice(_VERSIONS))

    def duration_ms(self) -> str:
        """Return a duration in milliseconds as a bare number."""
        return self.mark(
            "DURATION", str(self.rng.choice((3, 12, 48, 250, 1532, 30000)))
        )

    def duration(self) -> str:
        """Return a duration with its unit, as text loggers write it."""
        millis = self.rng.uniform(0.2, 4000.0)
        text = self.rng.choice(
            (f"{millis:.3f} ms", f"{int(millis)}ms", f"{millis / 1000:.3f}s")
        )
        return self.mark("DURATION", text)

    def status(self, is_error: bool = False) -> str:
        """Return an HTTP status code."""
        return self.mark(
            "HTTP_STATUS", self.rng.choice(_ERROR_STATUSES if is_error else _STATUSES)
        )

    def port(self) -> str:
        """Return a TCP port."""
        return self.mark("PORT", self.rng.choice(_PORTS))

    def error_code(self) -> str:
        """Return an application, database or network error code."""
        return self.mark("ERROR_CODE", self.rng.choice(_ERROR_CODES))

    def drug(self) -> str:
        """Return a drug name, sometimes with a strength."""
        return self.mark("DRUG", self.rng.choice(DRUGS))

    def lab(self) -> tuple[str, str, str]:
        """Return a lab test: its LOINC code and name, both labelled, and a unit."""
        code, name, unit = self.rng.choice(LABS)
        return self.mark("LAB", code), self.mark("LAB", name), unit


def start_time(rng: Random) -> datetime:
    """Return the time of the first event of a corpus, in 2024, UTC."""
    day = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=rng.randint(0, 360))
    return day + timedelta(seconds=rng.randint(6 * 3600, 20 * 3600))
