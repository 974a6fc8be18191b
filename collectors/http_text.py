"""Turn fetched bytes into text without ever failing, and say what was odd about them.

Parsers decide what a payload is; this module only reports what the server
declared (media type, charset), what the bytes look like (JSON, XML, HTML, text,
binary), and whether undecodable bytes had to be replaced, so that the source
health can warn about invalid UTF-8 or a feed served as an image or a login page.
"""

from __future__ import annotations

import codecs
import re

from collectors.base import Fetched

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
# Types that say nothing about the content: never a mismatch.
_GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "text/plain"})
_BINARY_TYPES = frozenset({"application/pdf", "application/zip", "application/gzip"})


class DecodedText(str):
    """The decoded text (a plain `str` to parsers), with what was learnt on the way.

    encoding: the codec used; replaced: undecodable bytes became U+FFFD;
    media_type: the declared type ("image/png"); sniffed: what the bytes look like.
    """

    encoding: str
    replaced: bool
    media_type: str
    sniffed: str

    @property
    def type_mismatch(self) -> bool:
        """The declared type contradicts the content (JSON served as image/png, HTML as RSS)."""
        declared = _family(self.media_type)
        if declared is None or self.sniffed == "empty":
            return False
        if declared == "text":
            return self.sniffed == "binary"
        return declared != self.sniffed


def media_type(fetched: Fetched) -> str:
    """The declared media type, lower-cased, without parameters ("" when absent)."""
    header = fetched.content_type or fetched.headers.get("content-type", "")
    return header.split(";", 1)[0].strip().lower()


def decode_text(fetched: Fetched) -> DecodedText:
    """Decode the body: BOM, else the Content-Type charset, else the XML declaration, else UTF-8.

    Invalid bytes are replaced (never raised); `result.replaced` tells the caller.
    """
    body = fetched.body
    encoding, skip = _bom(body)
    if encoding is None:
        encoding = _known(_charset(fetched)) or _known(_xml_encoding(body)) or "utf-8"
    payload = body[skip:]
    try:
        text, replaced = payload.decode(encoding), False
    except UnicodeDecodeError:
        text, replaced = payload.decode(encoding, errors="replace"), True
    result = DecodedText(text)
    result.encoding = encoding
    result.replaced = replaced
    result.media_type = media_type(fetched)
    result.sniffed = sniff(text)
    return result


def sniff(text: str) -> str:
    """What the start of a document looks like: json, xml, html, text, binary or empty."""
    head = text[:1024].lstrip("\ufeff \t\r\n")
    if not head:
        return "empty"
    odd = sum(1 for ch in head if ch == "\ufffd" or (ch < " " and ch not in "\t\r\n"))
    if "\x00" in head or odd > len(head) // 10:
        return "binary"
    if head[0] in "{[":
        return "json"
    if _HTML_START.match(head):
        return "html"
    if head[0] == "<":
        return "xml"
    return "text"


def _family(declared: str) -> str | None:
    """Group a media type with what `sniff` can see; None when the type says nothing."""
    if declared in _GENERIC_TYPES:
        return None
    subtype = declared.split("/", 1)[-1]
    if subtype == "json" or subtype.endswith("+json") or "ndjson" in subtype:
        return "json"
    if declared in ("text/html", "application/xhtml+xml"):
        return "html"
    if subtype == "xml" or subtype.endswith("+xml"):
        return "xml"
    if declared.startswith("text/"):
        return "text"
    if declared.startswith(("image/", "audio/", "video/", "font/")) or declared in _BINARY_TYPES:
        return "binary"
    return None


def _bom(body: bytes) -> tuple[str | None, int]:
    for mark, encoding in _BOMS:
        if body.startswith(mark):
            return encoding, len(mark)
    return None, 0


def _charset(fetched: Fetched) -> str | None:
    header = fetched.content_type or fetched.headers.get("content-type", "")
    for param in header.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def _xml_encoding(body: bytes) -> str | None:
    match = _XML_DECLARATION.match(body[:256])
    return match.group(1).decode("ascii") if match else None


def _known(label: str | None) -> str | None:
    """A codec name Python knows for `label`, or None (an unknown charset is ignored)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
        b"a".decode(name)  # rejects codecs that are not text encodings ("base64", "rot13")
    except LookupError:
        return None
    except UnicodeError:
        pass  # a text codec that needs more than one byte (utf-16)
    return name
