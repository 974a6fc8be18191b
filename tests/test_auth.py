"""Passwords, sessions and throttling."""

from __future__ import annotations

import pytest

from vigie import auth


def test_passwords_are_hashed_and_verified(fresh_store) -> None:
    auth.add_user(fresh_store, "alice", "correct horse", "volunteer")
    stored = fresh_store.get_user("alice")["password_hash"]
    assert "correct horse" not in stored and stored.startswith("$argon2")
    assert auth.authenticate(fresh_store, "alice", "correct horse").role == "volunteer"
    with pytest.raises(auth.LoginError):
        auth.authenticate(fresh_store, "alice", "wrong")
    with pytest.raises(auth.LoginError, match="invalid"):
        auth.authenticate(fresh_store, "nobody", "whatever")


def test_login_is_throttled_after_repeated_failures(fresh_store) -> None:
    auth.add_user(fresh_store, "bob", "right-password", "viewer")
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginError, match="invalid"):
            auth.authenticate(fresh_store, "bob", "nope")
    with pytest.raises(auth.LoginError, match="throttled"):
        auth.authenticate(fresh_store, "bob", "right-password")


def test_session_token_round_trip_and_tampering(fresh_store) -> None:
    auth.add_user(fresh_store, "carol", "password-123", "coordinator")
    token = auth.make_session_token(fresh_store, "carol")
    assert auth.user_from_token(fresh_store, token).username == "carol"
    body, sig = token.rsplit(".", 1)
    forged = auth._b64(b'{"u":"carol","e":9999999999,"s":0}') + "." + sig
    assert auth.user_from_token(fresh_store, forged) is None
    assert auth.user_from_token(fresh_store, token + "x") is None
    assert auth.user_from_token(fresh_store, "garbage") is None


def test_sessions_expire_and_can_be_revoked(fresh_store) -> None:
    auth.add_user(fresh_store, "dan", "password-123", "viewer")
    expired = auth.make_session_token(fresh_store, "dan", hours=-1)
    assert auth.user_from_token(fresh_store, expired) is None
    live = auth.make_session_token(fresh_store, "dan")
    fresh_store.bump_session_epoch("dan")
    assert auth.user_from_token(fresh_store, live) is None
    fresh_store.update_user("dan", active=0)
    assert auth.user_from_token(fresh_store, auth.make_session_token(fresh_store, "dan")) is None


def test_first_start_creates_admin_once(fresh_store, monkeypatch) -> None:
    monkeypatch.delenv("VIGIE_ADMIN_PASSWORD", raising=False)
    generated = auth.ensure_admin(fresh_store)
    assert generated and auth.authenticate(fresh_store, "admin", generated).role == "admin"
    assert auth.ensure_admin(fresh_store) is None


def test_admin_password_from_environment(fresh_store, monkeypatch) -> None:
    monkeypatch.setenv("VIGIE_ADMIN_PASSWORD", "from-the-env-1")
    assert auth.ensure_admin(fresh_store) is None
    assert auth.authenticate(fresh_store, "admin", "from-the-env-1").role == "admin"


def test_users_cli_adds_and_lists(db_path, capsys, monkeypatch) -> None:
    from io import StringIO

    from vigie.__main__ import main

    monkeypatch.setattr("sys.stdin", StringIO("a-long-password\n"))
    assert main(["--db", str(db_path), "users", "add", "eve", "--role", "volunteer",
                 "--password-stdin"]) == 0
    assert main(["--db", str(db_path), "users", "list"]) == 0
    assert "eve" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", StringIO("short\n"))
    assert main(["--db", str(db_path), "users", "add", "fay", "--role", "viewer",
                 "--password-stdin"]) == 2


def test_someone_elses_failures_do_not_lock_the_owner_out(fresh_store) -> None:
    auth.add_user(fresh_store, "dora", "right-password", "coordinator")
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginError, match="invalid"):
            auth.authenticate(fresh_store, "dora", "guess", client="203.0.113.9")
    for _ in range(20):  # the guesser keeps trying: refused without a password check
        with pytest.raises(auth.LoginError, match="throttled"):
            auth.authenticate(fresh_store, "dora", "right-password", client="203.0.113.9")
    user = auth.authenticate(fresh_store, "dora", "right-password", client="198.51.100.7")
    assert user.username == "dora"


def test_failures_from_many_clients_throttle_the_account_everywhere(fresh_store) -> None:
    auth.add_user(fresh_store, "eve", "right-password", "viewer")
    for n in range(auth.MAX_FAILING_CLIENTS):
        with pytest.raises(auth.LoginError, match="invalid"):
            auth.authenticate(fresh_store, "eve", "guess", client=f"203.0.113.{n}")
    with pytest.raises(auth.LoginError, match="throttled"):
        auth.authenticate(fresh_store, "eve", "right-password", client="198.51.100.7")
    auth.add_user(fresh_store, "fay", "right-password", "viewer")  # other accounts: unaffected
    assert auth.authenticate(fresh_store, "fay", "right-password", client="203.0.113.1").username
