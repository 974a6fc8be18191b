"""Parse untrusted XML without ever resolving a DTD, an entity or an external reference.

Feeds come from the network and may be hostile (XXE: `<!ENTITY x SYSTEM
"file:///etc/passwd">`, remote DTDs, "billion laughs"). defusedxml refuses
them before any file is read or any connection is opened. XInclude and
`xml-stylesheet` instructions are inert in ElementTree: nothing processes them.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from collectors.base import ParseError

REFUSED = "document XML refusé : entités/DTD interdites"
_DECLARED_RE = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=", re.IGNORECASE)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def parse_xml(body: bytes, charset: str | None = None) -> ET.Element:
    """The document's root element, or ParseError (hostile, malformed or empty)."""
    if not body or not body.strip():
        raise ParseError("document vide")
    try:
        return _strict(body)
    except ET.ParseError as exc:
        retry = _reencoded(body, charset)
        if retry is None:
            raise ParseError(f"XML invalide : {exc}") from None
    try:
        return _strict(retry)
    except ET.ParseError as exc:
        raise ParseError(f"XML invalide : {exc}") from None


def _strict(data: bytes) -> ET.Element:
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise ParseError(REFUSED) from None
    except (LookupError, ValueError) as exc:
        # An unknown or unsupported declared encoding ("TF-8", multi-byte codecs).
        raise ParseError(f"XML illisible (encodage) : {exc}") from None


def _reencoded(body: bytes, charset: str | None) -> bytes | None:
    """A second chance for a document that does not declare its (non UTF-8) encoding.

    XML without an encoding declaration must be UTF-8; many alert servers still
    send Latin-1. Decode with the HTTP charset, else Windows-1252, and re-encode.
    """
    if _DECLARED_RE.match(body) or body.startswith(_BOMS):
        return None
    try:
        body.decode("utf-8")
        return None  # valid UTF-8: the error is elsewhere
    except UnicodeDecodeError:
        pass
    for encoding in (charset, "cp1252", "latin-1"):
        if not encoding:
            continue
        try:
            return body.decode(encoding).encode("utf-8")
        except (LookupError, UnicodeDecodeError):
            continue
    return None


def local(tag: object) -> str:
    """'{ns}name' -> 'name' (comments and processing instructions have no str tag)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: object) -> str:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1:].split("}", 1)[0]
    return ""
