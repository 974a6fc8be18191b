"""Secrets: environment over file, re-read on change, a broken file never cuts the tokens
already read and never shows its content."""

from __future__ import annotations

import logging
import os

from collectors.base import Source
from collectors.runner import Runner
from vigie.secrets import SecretsFile, load_secrets


def touch_later(path) -> None:
    """Make the modification time move even on a coarse-grained file system."""
    st = path.stat()
    os.utime(path, (st.st_atime + 5, st.st_mtime + 5))


def test_environment_overrides_the_file(tmp_path, monkeypatch) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text('mastodon = "from-file"\nbluesky = "b"\n', encoding="utf-8")
    monkeypatch.setenv("VIGIE_SECRET_MASTODON", "from-env")
    assert load_secrets(path) == {"mastodon": "from-env", "bluesky": "b"}


def test_a_new_token_is_used_without_a_restart(tmp_path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text('mastodon = "old-token"\n', encoding="utf-8")
    secrets = SecretsFile(path)
    assert secrets.current()["mastodon"] == "old-token"
    path.write_text('mastodon = "new-token"\n', encoding="utf-8")
    touch_later(path)
    assert secrets.current()["mastodon"] == "new-token"


def test_a_broken_file_keeps_the_last_good_tokens_and_says_where(tmp_path, caplog) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text('mastodon = "good-token"\n', encoding="utf-8")
    secrets = SecretsFile(path)
    secrets.current()
    path.write_text('mastodon = "half-saved-SECRET\n', encoding="utf-8")
    touch_later(path)
    with caplog.at_level(logging.ERROR, logger="vigie.secrets"):
        assert secrets.current()["mastodon"] == "good-token"
    assert "not valid TOML (line 1)" in caplog.text
    assert "half-saved-SECRET" not in caplog.text


def test_the_runner_hands_the_current_token_to_its_source(tmp_path, fresh_store) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text('masto = "t1"\n', encoding="utf-8")
    runner = Runner(fresh_store, [], secrets=SecretsFile(path))
    src = Source(name="m", kind="mastodon", url="https://m.invalid",
                 options={"token_secret": "masto"})
    assert runner._with_secrets(src).options["token"] == "t1"
    path.write_text('masto = "t2"\n', encoding="utf-8")
    touch_later(path)
    assert runner._with_secrets(src).options["token"] == "t2"
