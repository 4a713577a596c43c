"""Java (Logback, Log4j) lines with stack traces whose messages carry PHI."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from pipeline.synth.event import Event

_Message = Callable[[Event], str]

# (exception class, message) for events with PHI: the value sits in the text
# the JVM built from the data it failed on, as it does in real traces.
_PHI_EXCEPTIONS: Final[tuple[tuple[str, _Message], ...]] = (
    (
        "com.example.ehr.billing.EligibilityException",
        lambda ev: (
            f"No active coverage for member {ev.member_id()} "
            f"({ev.name()}, DOB {ev.dob('us_padded')}): {ev.look.error_code()}"
        ),
    ),
    (
        "java.lang.IllegalStateException",
        lambda ev: (
            f"Patient {ev.mrn()} already admitted on {ev.admitted('iso')} "
            f"(encounter {ev.look.uuid()})"
        ),
    ),
    (
        "jakarta.validation.ConstraintViolationException",
        lambda ev: (
            f"phone: invalid value '{ev.phone()}' for patient "
            f"{ev.patient_id()} in request {ev.look.uuid()}"
        ),
    ),
    (
        "org.springframework.dao.DataIntegrityViolationException",
        lambda ev: (
            "could not execute statement [Duplicate entry "
            f"'{ev.ssn()}' for key 'patients.ssn_uq'] [{ev.look.error_code()}]"
        ),
    ),
    (
        "com.fasterxml.jackson.databind.exc.InvalidFormatException",
        lambda ev: (
            "Cannot deserialize value of type `java.time.LocalDate` from "
            f'String "{ev.dob("us")}" at [Source: {ev.look.uuid()}; line: 1]'
        ),
    ),
    (
        "org.springframework.mail.MailSendException",
        lambda ev: (
            f"Failed messages: 550 5.1.1 <{ev.email()}>: Recipient rejected "
            f"by {ev.look.hostname()}"
        ),
    ),
    (
        "com.example.ehr.patient.DuplicatePatientException",
        lambda ev: (
            f"{ev.name('upper')} born {ev.dob('iso')} matches MRN {ev.mrn()} "
            f"({ev.look.error_code()})"
        ),
    ),
)

_CLEAN_EXCEPTIONS: Final[tuple[tuple[str, _Message], ...]] = (
    (
        "java.sql.SQLTransientConnectionException",
        lambda ev: (
            "HikariPool-1 - Connection is not available, request timed out "
            f"after {ev.look.duration_ms()}ms."
        ),
    ),
    (
        "java.net.SocketTimeoutException",
        lambda ev: f"Read timed out calling {ev.look.hostname()}:{ev.look.port()}",
    ),
    (
        "org.springframework.web.client.HttpServerErrorException",
        lambda ev: f"{ev.look.status(is_error=True)} Server Error: [no body]",
    ),
    (
        "java.lang.IllegalArgumentException",
        lambda ev: (
            f"Unsupported diagnosis code {ev.look.icd10()} ({ev.look.error_code()})"
        ),
    ),
)

# (class, method, source line, artifact, version) of frames under the throw.
_FRAMES: Final = (
    ("com.example.ehr.billing.EligibilityClient", "check", 88, "ehr-billing"),
    ("com.example.ehr.patient.PatientService", "register", 142, "ehr-core"),
    ("com.example.ehr.patient.PatientController", "create", 61, "ehr-api"),
    (
        "org.springframework.web.servlet.FrameworkServlet",
        "service",
        897,
        "spring-webmvc",
    ),
    (
        "org.apache.catalina.core.ApplicationFilterChain",
        "doFilter",
        166,
        "tomcat-embed",
    ),
    ("com.zaxxer.hikari.pool.HikariPool", "getConnection", 181, "HikariCP"),
    (
        "org.hibernate.engine.jdbc.spi.SqlExceptionHelper",
        "convert",
        56,
        "hibernate-core",
    ),
)
_VERSIONS: Final = ("2.14.1", "6.1.4", "10.1.19", "5.0.1", "6.4.4.Final", "3.2.0-rc.2")


def _frame(ev: Event) -> str:
    cls, method, line, artifact = ev.rng.choice(_FRAMES)
    version = ev.rng.choice(_VERSIONS)
    mark = ev.look.mark
    source = cls.rsplit(".", 1)[1]
    jar = f"{artifact}-{mark('VERSION', version)}.jar:{mark('VERSION', version)}"
    return f"\tat {cls}.{method}({source}.java:{line}) ~[{jar}]"


def _cause(ev: Event) -> str:
    if ev.has_phi and ev.rng.random() < 0.5:
        return (
            "Caused by: java.sql.SQLIntegrityConstraintViolationException: "
            f"Duplicate entry '{ev.mrn()}' for key 'patients.mrn_uq' "
            f"(errno {ev.look.mark('ERROR_CODE', '1062')})"
        )
    return (
        "Caused by: java.net.SocketTimeoutException: Read timed out after "
        f"{ev.look.duration()}"
    )


def exception_lines(ev: Event) -> list[str]:
    """Return a stack trace: the exception, its frames, maybe a cause."""
    table = _PHI_EXCEPTIONS if ev.has_phi else _CLEAN_EXCEPTIONS
    name, message = ev.rng.choice(table)
    lines = [f"{name}: {message(ev)}"]
    lines.extend(_frame(ev) for _ in range(ev.rng.randint(2, 5)))
    if ev.rng.random() < 0.4:
        lines.append(_cause(ev))
        lines.extend(_frame(ev) for _ in range(ev.rng.randint(1, 2)))
    return lines


def header(ev: Event) -> str:
    """Return the Spring Boot style line that logs the exception."""
    thread = f"nio-{ev.look.port()}-exec-{ev.rng.randint(1, 10)}"
    logger = ev.pick("c.e.e.b.ClaimService", "c.e.e.p.PatientService")
    text = ev.pick("Request failed", "Claim submission failed", "Unhandled exception")
    if ev.has_phi and ev.rng.random() < 0.3:
        text += f" for account {ev.account()}"
    stamp = ev.look.ts_space()
    return f"{stamp} ERROR 1 --- [{ev.service}] [{thread}] {logger} : {text}"


def java(ev: Event) -> list[str]:
    """Render a Java error: header, exception and one frame per line."""
    return [header(ev), *exception_lines(ev)]


def java_joined(ev: Event) -> str:
    """Render a Java error as one record, lines joined the way shippers do."""
    return "\n".join(java(ev))
