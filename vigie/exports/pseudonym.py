"""Authors in exports are pseudonymised: a keyed hash, stable within one database.

The same account gets the same pseudonym in every export of a database, so partners can
still count and follow repeated authors, but the pseudonym cannot be reversed or linked
across databases without the key. The key (32 random bytes) is created on first use and
kept in the database's `settings` table; it never leaves it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from vigie.store import Store

SETTING = "export_pseudonym_key"


class Pseudonymiser:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def __call__(self, author: str | None) -> str | None:
        if not author:
            return author
        digest = hmac.new(self._key, author.strip().encode("utf-8"), hashlib.sha256)
        return "anon-" + digest.hexdigest()[:12]


def for_store(store: Store) -> Pseudonymiser:
    key = store.ensure_setting(SETTING, secrets.token_hex(32))
    return Pseudonymiser(bytes.fromhex(key))
