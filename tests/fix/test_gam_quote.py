"""GAM quoting and course aliases: any text comes back as one inert argument."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from datasync_tui.fix.gam_quote import alias, clean, comment, quote, sourced_id
from tests.helpers.fix import HOSTILE
from tests.helpers.gam_grammar import commands, tokenize

SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._%:")


@given(st.text())
def test_any_text_is_one_argument(text: str) -> None:
    line = "gam create course alias 'd:x' name " + quote(text)
    assert tokenize(line)[-1] == clean(text)
    assert shlex.split(line)[-1] == clean(text)  # GAM's own reader: shlex.split
    assert "\n" not in line and "\r" not in line


@given(st.text())
def test_a_comment_stays_one_line(text: str) -> None:
    assert commands(comment(text)) == []
    assert "\n" not in comment(text) and "\r" not in comment(text)


def test_hostile_values() -> None:
    for text in HOSTILE:
        assert tokenize(f"gam x {quote(text)} y") == ["gam", "x", clean(text), "y"]
    assert clean("Line one\nrm -rf / #") == "Line one rm -rf / #"
    assert clean("Bio\r\ngam delete course d:k1") == "Bio  gam delete course d:k1"
    assert clean("a\u202etxt\u202c b\u2066c\u2069") == "atxt bc"  # bidi controls go
    assert clean("עברית مرحبا") == "עברית مرحبا"  # right-to-left letters stay
    assert quote("it's") == "'it'\\''s'"  # GAM wiki, Command Line Parsing: '\''


@given(st.text(min_size=1))
def test_alias_is_reversible_and_safe(sid: str) -> None:
    made = alias(sid)
    assert made.startswith("d:") and set(made) <= SAFE
    assert sourced_id(made) == sid


def test_alias_examples() -> None:
    assert alias("cls-101_0001.a") == "d:cls-101_0001.a"
    assert alias("12345") == "d:12345"  # never a bare number (GAM reads it as a course id)
    assert alias("Math 1/2") == "d:Math%201%2F2"
    assert alias("Ü%") == "d:%C3%9C%25"
    assert alias("d:x") == "d:d%3Ax"
