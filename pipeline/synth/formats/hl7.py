"""HL7 v2 messages: ADT and ORU with patient segments, ACKs without PHI."""

from __future__ import annotations

from pipeline.synth.event import Event
from pipeline.synth.formats.encode import dumps
from pipeline.synth.lookalikes import ICD10
from processors.entities import EntityType as E


def _segment(name: str, fields: dict[int, str]) -> str:
    """Join a segment from its 1-based fields; missing fields stay empty."""
    top = max(fields)
    return "|".join([name, *(fields.get(index, "") for index in range(1, top + 1))])


def _msh(ev: Event, message_type: str) -> str:
    look = ev.look
    version = look.mark("VERSION", ev.pick("2.5.1", "2.3", "2.4"))
    control = look.uuid() if ev.rng.random() < 0.5 else f"{ev.rng.randint(1, 10**8)}"
    sender = ev.pick("EPIC|MAIN_HOSP", "CERNER|NORTH_CLINIC", "LAB|REFLAB")
    stamp = look.ts_hl7()
    return f"MSH|^~\\&|{sender}|HL7GW|EHR|{stamp}||{message_type}|{control}|P|{version}"


def _xpn(ev: Event) -> str:
    """Return an HL7 person name: each component marked on its own."""
    name = ev.patient.name
    is_upper = ev.rng.random() < 0.6

    def part(text: str) -> str:
        return ev.phi(E.PERSON, text.upper() if is_upper else text)

    middle = part(name.middle) if name.middle else ""
    title = name.title.rstrip(".").upper()
    return f"{part(name.family)}^{part(name.given)}^{middle}^^{title}"


def _pid(ev: Event) -> str:
    home = ev.patient.home
    fields = {
        1: "1",
        3: f"{ev.mrn()}^^^MAIN_HOSP^MR",
        5: _xpn(ev),
        7: ev.dob("hl7"),
        8: ev.patient.sex,
        13: ev.phone(),
    }
    if ev.rng.random() < 0.7:
        unit = ev.phi(E.ADDRESS, home.unit) if home.unit else ""
        fields[11] = f"{ev.street()}^{unit}^{ev.city()}^{home.state}^{ev.zip()}^USA"
    if ev.rng.random() < 0.6:
        fields[19] = ev.ssn()
    if ev.rng.random() < 0.3:
        fields[20] = f"{ev.license()}^{home.state}"
    return _segment("PID", fields)


def _nk1(ev: Event) -> str:
    kin = ev.patient.kin
    family = ev.phi(E.PERSON, kin.family.upper())
    given = ev.phi(E.PERSON, kin.given.upper())
    return _segment(
        "NK1",
        {1: "1", 2: f"{family}^{given}", 3: "SPO^Spouse^HL70063", 5: ev.kin_phone()},
    )


def _pv1(ev: Event) -> str:
    admitted = ev.patient.admitted.strftime("%Y%m%d")
    clock = f"{ev.rng.randint(0, 23):02d}{ev.rng.randint(0, 59):02d}"
    fields = {
        1: "1",
        2: ev.pick("O", "I", "E"),
        3: "CLINIC^101^A^MAIN_HOSP",
        19: ev.account(),
        44: ev.phi(E.DATE, admitted + clock),
    }
    return _segment("PV1", fields)


def _dg1(ev: Event) -> str:
    code = ev.rng.choice(tuple(ICD10))
    return f"DG1|1||{ev.look.mark('ICD10', code)}^{ICD10[code]}^I10"


def _in1(ev: Event) -> str:
    fields = {
        1: "1",
        2: "BCBS-PPO^Blue Cross PPO",
        3: "60054",
        4: "ACME HEALTH PLAN",
        8: "GRP-20417",
        16: _xpn(ev),
        17: "SEL",
        18: ev.dob("hl7"),
        36: ev.member_id(),
    }
    return _segment("IN1", fields)


def _results(ev: Event) -> list[str]:
    code, lab, unit = ev.look.lab()
    order = f"OBR|1|{ev.look.uuid()}||{code}^{lab}^LN|||{ev.look.ts_hl7()}"
    value = f"{ev.rng.uniform(0.5, 250.0):.1f}"
    result = f"OBX|1|NM|{code}^{lab}^LN||{value}|{unit}||N|||F"
    return [order, result]


def segments(ev: Event) -> list[str]:
    """Return the segments of one message: ADT, ORU, or an ACK without PHI."""
    if not ev.has_phi:
        status = ev.pick("AA", "AA", "AE")
        ack = f"MSA|{status}|{ev.look.uuid()}"
        return [_msh(ev, "ACK^A04^ACK"), ack]

    if ev.rng.random() < 0.3:
        return [_msh(ev, "ORU^R01^ORU_R01"), _pid(ev), *_results(ev)]

    trigger = ev.pick("A04", "A08", "A01")
    lines = [_msh(ev, f"ADT^{trigger}^ADT_A01"), f"EVN|{trigger}|{ev.look.ts_hl7()}"]
    lines.append(_pid(ev))
    if ev.rng.random() < 0.4:
        lines.append(_nk1(ev))
    lines.append(_pv1(ev))
    if ev.rng.random() < 0.5:
        lines.append(_dg1(ev))
    if ev.rng.random() < 0.4:
        lines.append(_in1(ev))
    return lines


def _channel(header: str) -> str:
    for kind, channel in (("|ACK^", "ACK_OUT"), ("|ORU^", "ORU_IN")):
        if kind in header:
            return channel
    return "ADT_IN"


def hl7_json(ev: Event) -> list[str]:
    """Render the ``hl7`` format: a JSON log whose value holds the message."""
    parts = segments(ev)
    trailer = "\r" if ev.rng.random() < 0.5 else ""
    document = {
        "ts": ev.look.ts_iso(),
        "level": "INFO",
        "logger": "hl7.inbound",
        "channel": _channel(parts[0]),
        "raw": "\r".join(parts) + trailer,
        "trace_id": ev.look.trace_id(),
    }
    return [dumps(document)]


def hl7_text(ev: Event) -> list[str]:
    """Render the ``hl7_text`` format: a log line, then one segment per line."""
    parts = segments(ev)
    look = ev.look
    listener = f"mllp-listener-{ev.rng.randint(1, 8)}"
    origin = f"{look.hostname()}:{look.port()}"
    head = f"{look.ts_space(',')} INFO [{listener}] c.e.hl7.InboundHandler - received"
    return [f"{head} {len(parts)} segments from {origin}", *parts]
