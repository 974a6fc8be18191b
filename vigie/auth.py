"""Accounts, password hashing, login throttling and signed session cookies.

Streamlit's session_state dies with the browser tab, but the wall screen reloads and
people bookmark pages, so a login lives in a signed, expiring, HttpOnly cookie that the
`/api/login` route sets and every page reads through `st.context.cookies`. The cookie
carries the username, an expiry and the user's session epoch; bumping the epoch ends
every session of that user. Nothing in it is secret, everything in it is signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from vigie.models import iso, utc_now
from vigie.store import Store

ROLES = ("viewer", "volunteer", "coordinator", "admin")
COOKIE_NAME = "vigie_session"
MAX_FAILURES = 5                  # failed logins of one account from one client...
MAX_FAILING_CLIENTS = 10          # ...or from this many clients, before a throttle...
THROTTLE_MINUTES = 15             # ...of this long
UNKNOWN_ACCOUNT = "?"             # what login_attempts records for a name no account has
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password, only equalises timing")


class LoginError(Exception):
    """Shown to the person as is: never says whether the user exists."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    display_name: str | None = None

    def can(self, role: str) -> bool:
        return role_at_least(self.role, role)


def role_at_least(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def session_hours() -> float:
    return float(os.environ.get("VIGIE_SESSION_HOURS", "12"))


def _signing_key(store: Store) -> bytes:
    env = os.environ.get("VIGIE_SECRET_KEY")
    if env:
        return env.encode()
    key = store.get_setting("session_key")
    if not key:
        store.set_setting("session_key", secrets.token_hex(32))
        key = store.get_setting("session_key")
    return str(key).encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_session_token(store: Store, username: str, *, hours: float | None = None) -> str:
    user = store.get_user(username)
    if user is None:
        raise LoginError("unknown user")
    payload = {"u": username, "e": int(time.time() + 3600 * (hours or session_hours())),
               "s": int(user["session_epoch"])}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    sig = _b64(hmac.new(_signing_key(store), body.encode(), hashlib.sha256).digest())
    return f"{body}.{sig}"


def user_from_token(store: Store, token: str | None) -> User | None:
    """The user a cookie names, if its signature, expiry, epoch and account all hold."""
    if not token or "." not in token or len(token) > 2048:
        return None
    body, sig = token.rsplit(".", 1)
    expected = _b64(hmac.new(_signing_key(store), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(sig, expected):
        return None
    try:
        payload = json.loads(_unb64(body))
        username, expires, epoch = str(payload["u"]), int(payload["e"]), int(payload["s"])
    except (ValueError, KeyError, TypeError):
        return None
    if expires < time.time():
        return None
    row = store.get_user(username)
    if not row or not row["active"] or int(row["session_epoch"]) != epoch:
        return None
    return User(row["username"], row["role"], row["display_name"])


def authenticate(store: Store, username: str, password: str, client: str | None = None) -> User:
    """Check a login, with two throttles over the last THROTTLE_MINUTES.

    - A client (an IP address) that failed MAX_FAILURES times for an account is refused for
      that account, so guessing from one place is slow. Someone else's failures do not lock
      the account's owner out on the first night of a flood: their client has its own count.
    - An account that failed from MAX_FAILING_CLIENTS different clients is refused from
      everywhere: guessing from many places is slow too.
    Refusals are recorded (and seen in the count) but are not checks of the password.
    Behind a reverse proxy every request comes from the proxy, and the first throttle then
    counts the whole account's failures, as the second does."""
    username = (username or "").strip()
    since = iso(utc_now() - timedelta(minutes=THROTTLE_MINUTES))
    if username:
        failures, clients = store.failed_logins_since(username, since, client)
        if failures >= MAX_FAILURES or clients >= MAX_FAILING_CLIENTS:
            store.record_login_attempt(username, client, ok=False)
            raise LoginError("throttled")
    row = store.get_user(username) if username else None
    ok = verify_password(row["password_hash"] if row else _DUMMY_HASH, password or "")
    ok = ok and row is not None and bool(row["active"])
    # Only an existing account's name is recorded: what was typed in the username box of
    # an unknown account is often a password typed in the wrong box.
    store.record_login_attempt(row["username"] if row else UNKNOWN_ACCOUNT, client, ok=ok)
    if not ok:
        raise LoginError("invalid")
    return User(row["username"], row["role"], row["display_name"])


def add_user(store: Store, username: str, password: str, role: str,
             actor: str = "cli") -> None:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ValueError("username: letters, digits, '.', '-' and '_' only")
    if len(password) < 8:
        raise ValueError("password: at least 8 characters")
    if store.get_user(username):
        raise ValueError(f"user {username!r} already exists")
    store.add_user(username, hash_password(password), role)
    store.audit(actor, "create", "user", username, None, {"username": username, "role": role})


def ensure_admin(store: Store) -> str | None:
    """On first start with no users, create `admin`. Returns a generated password (to print
    once) or None when VIGIE_ADMIN_PASSWORD was used or users already exist."""
    if store.count_users():
        return None
    given = os.environ.get("VIGIE_ADMIN_PASSWORD")
    password = given or secrets.token_urlsafe(12)
    try:
        add_user(store, "admin", password, "admin", actor="vigie")
    except ValueError:
        if store.get_user("admin"):  # another process created it at the same moment
            return None
        raise
    return None if given else password
