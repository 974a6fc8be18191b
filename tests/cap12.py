"""A structural CAP 1.2 check without an XSD: the element order and cardinality of the
OASIS CAP 1.2 schema (sections 3.2.1-3.2.4), its enumerations, and its dateTime and
identifier rules. Returns the problems found (empty: the document conforms)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET

NS = "urn:oasis:names:tc:emergency:cap:1.2"
MANY = 10**9

# element -> ordered (child, min, max)
SEQUENCES: dict[str, list[tuple[str, int, int]]] = {
    "alert": [("identifier", 1, 1), ("sender", 1, 1), ("sent", 1, 1), ("status", 1, 1),
              ("msgType", 1, 1), ("source", 0, 1), ("scope", 1, 1), ("restriction", 0, 1),
              ("addresses", 0, 1), ("code", 0, MANY), ("note", 0, 1), ("references", 0, 1),
              ("incidents", 0, 1), ("info", 0, MANY)],
    "info": [("language", 0, 1), ("category", 1, MANY), ("event", 1, 1),
             ("responseType", 0, MANY), ("urgency", 1, 1), ("severity", 1, 1),
             ("certainty", 1, 1), ("audience", 0, 1), ("eventCode", 0, MANY),
             ("effective", 0, 1), ("onset", 0, 1), ("expires", 0, 1), ("senderName", 0, 1),
             ("headline", 0, 1), ("description", 0, 1), ("instruction", 0, 1), ("web", 0, 1),
             ("contact", 0, 1), ("parameter", 0, MANY), ("resource", 0, MANY),
             ("area", 0, MANY)],
    "area": [("areaDesc", 1, 1), ("polygon", 0, MANY), ("circle", 0, MANY),
             ("geocode", 0, MANY), ("altitude", 0, 1), ("ceiling", 0, 1)],
    "geocode": [("valueName", 1, 1), ("value", 1, 1)],
    "eventCode": [("valueName", 1, 1), ("value", 1, 1)],
    "parameter": [("valueName", 1, 1), ("value", 1, 1)],
    "resource": [("resourceDesc", 1, 1), ("mimeType", 1, 1), ("size", 0, 1), ("uri", 0, 1),
                 ("derefUri", 0, 1), ("digest", 0, 1)],
}
ENUMS = {
    "status": {"Actual", "Exercise", "System", "Test", "Draft"},
    "msgType": {"Alert", "Update", "Cancel", "Ack", "Error"},
    "scope": {"Public", "Restricted", "Private"},
    "category": {"Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
                 "Transport", "Infra", "CBRNE", "Other"},
    "responseType": {"Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess",
                     "AllClear", "None"},
    "urgency": {"Immediate", "Expected", "Future", "Past", "Unknown"},
    "severity": {"Extreme", "Severe", "Moderate", "Minor", "Unknown"},
    "certainty": {"Observed", "Likely", "Possible", "Unlikely", "Unknown",
                  "Very Likely"},  # "Very Likely" is deprecated but allowed in 1.2
}
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
TIMES = {"sent", "effective", "onset", "expires"}
NO_SPACES = {"identifier", "sender"}


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, name = tag[1:].split("}", 1)
        return ns, name
    return None, tag


def _check(el: ET.Element, problems: list[str]) -> None:
    _ns, name = _local(el.tag)
    sequence = SEQUENCES.get(name)
    if sequence is None:
        return
    children = [c for c in el if _local(c.tag)[0] == NS]
    foreign = [c for c in el if _local(c.tag)[0] != NS]
    if foreign and name != "alert":
        problems.append(f"{name}: foreign element {foreign[0].tag}")
    position = 0
    for child_name, low, high in sequence:
        count = 0
        while position < len(children) and _local(children[position].tag)[1] == child_name:
            count += 1
            position += 1
        if count < low:
            problems.append(f"{name}: missing {child_name}")
        if count > high:
            problems.append(f"{name}: too many {child_name}")
    if position < len(children):
        problems.append(f"{name}: {_local(children[position].tag)[1]} out of order or unknown")
    for child in children:
        child_name = _local(child.tag)[1]
        text = (child.text or "").strip()
        if child_name in ENUMS and text not in ENUMS[child_name]:
            problems.append(f"{child_name}: {text!r} is not a CAP 1.2 value")
        if child_name in TIMES and not DATETIME.match(text):
            problems.append(f"{child_name}: {text!r} is not a CAP dateTime (offset, no Z)")
        if child_name in NO_SPACES and (not text or re.search(r"[\s,<&]", text)):
            problems.append(f"{child_name}: {text!r} has spaces, commas, < or &")
        _check(child, problems)


def check_cap12(document: bytes) -> list[str]:
    root = SafeET.fromstring(document)
    if root.tag != f"{{{NS}}}alert":
        return [f"root is {root.tag}, not a CAP 1.2 alert"]
    problems: list[str] = []
    _check(root, problems)
    return problems
