"""Email validity by a real grammar, its fast path, and the domain test (subdomains inside)."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from datasync_tui.rules.address import _PLAIN, domain_checker, email_ok, parse_domains

VALID = [
    "john.smith@lincoln.org",
    "john.smith42@students.lincoln.org",
    "o'brien@lincoln.org",
    "first+tag@lincoln.org",
    "a_b-c@sub-domain.lincoln.k12.ca.us",
    "UPPER@LINCOLN.ORG",
    "élodie.müller@lincoln.org",
    "user@bücher.de",
    "x@xn--bcher-kva.de",
    "a@b.co",
]
INVALID = [
    "",
    "john.smith.lincoln.org",
    "john@@lincoln.org",
    "john smith@lincoln.org",
    "john@lincoln",
    "john..smith@lincoln.org",
    ".john@lincoln.org",
    "john.@lincoln.org",
    "john@lincoln..org",
    "john@-lincoln.org",
    "john@lincoln-.org",
    "john@lincoln.org.",
    "john@lincoln.123",
    "john@localhost.test",
    "john@ab--cd.org",
    '"john smith"@lincoln.org',
    "john@[10.0.0.1]",
    "john@lincoln.org\n",
    "a" * 250 + "@lincoln.org",
    "a@" + "b" * 64 + ".org",
]


@pytest.mark.parametrize("email", VALID)
def test_valid_addresses(email: str) -> None:
    assert email_ok(email)


@pytest.mark.parametrize("email", INVALID)
def test_invalid_addresses(email: str) -> None:
    assert not email_ok(email)


def full_grammar(email: str) -> bool:
    """email-validator's own verdict, without DNS."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


@pytest.mark.parametrize("email", VALID + INVALID)
def test_fast_path_agrees_with_the_full_grammar(email: str) -> None:
    assert email_ok(email) == full_grammar(email)


LOCAL = st.text(alphabet="abcXYZ019_+-.'é @\u00a0\t", min_size=0, max_size=70)
LABEL = st.text(alphabet="abz09-ü. ", min_size=0, max_size=66)
ADDRESS = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    LOCAL,
    st.lists(LABEL, min_size=1, max_size=3),
    st.sampled_from(["org", "us", "test", "local", "c0m", "x", "Edu", "LOCALHOST"]),
)


@settings(max_examples=1500, deadline=None)
@given(ADDRESS)
def test_everything_the_fast_path_accepts_the_full_grammar_accepts(email: str) -> None:
    if _PLAIN.fullmatch(email):
        assert full_grammar(email) == email_ok(email), email
    assert email_ok(email) == full_grammar(email), email


def test_domains_subdomains_inside_and_case_ignored() -> None:
    inside = domain_checker(parse_domains("Lincoln.org, @lincolnusd.net"))
    assert inside("a@lincoln.org")
    assert inside("a@students.LINCOLN.org")
    assert inside("a@x.y.lincolnusd.net")
    assert not inside("a@notlincoln.org")
    assert not inside("a@lincoln.org.evil.com")
    assert not inside("a@gmail.com")
    assert not inside("lincoln.org")
    assert not inside(None)


def test_parse_domains() -> None:
    assert parse_domains(None) == ()
    assert parse_domains(" , ") == ()
    assert parse_domains("A.org, @b.org  b.org.") == ("a.org", "b.org")


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="ab.@- \u00a0\tZ9é_'\n", max_size=24))
def test_any_text_gets_the_full_grammars_verdict(text: str) -> None:
    assert email_ok(text) == full_grammar(text), text
