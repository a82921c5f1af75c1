"""Email proposals: folded names, collisions numbered deterministically, never a password."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from datasync_tui.fix.emails import fold
from datasync_tui.fix.files import FixUsageError
from datasync_tui.fix.run import email_proposals, fix_emails
from tests.helpers.fix import PATTERN, Home
from tests.helpers.gam_grammar import commands, parse_file

HomeFactory = Callable[..., Home]


def rows(path: Path) -> list[dict[str, str]]:
    """The CSV's rows (UTF-8 with BOM)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_fold() -> None:
    assert fold("José") == "jose"
    assert fold("Núñez") == "nunez"
    assert fold("Straße") == "strasse"
    assert fold("Øystein Ærø") == "oysteinaero"
    assert fold("O'Brien") == "obrien"
    assert fold("Mary-Jane van_Dyk") == "mary-janevan_dyk"
    assert fold("李") == ""
    assert fold(None) == ""


def test_proposals(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home(email_pattern=PATTERN)
    s = home.store
    s.user("stu3", email="", givenName="José", familyName="Núñez")
    s.user("stu4", email="", givenName="Ann", familyName="Smith")
    s.user("stu5", email="", givenName="ANN", familyName="smith")
    s.user("stu6", email="ann@@students.lincoln.org", givenName="Ann", familyName="Smith")
    s.user("stu7", email="Ann.Smith@Students.Lincoln.org", givenName="Other", familyName="One")
    s.user("stu8", email="ann.smith3@students.lincoln.org", givenName="X", familyName="Y")
    s.user("stu9", email="", givenName="李", familyName="王")
    s.user("tch2", "teacher", email="", givenName="Mary", familyName="Lee")
    s.user("tch3", "teacher", email="", givenName="Max", familyName="Lee")
    s.user("adm2", "administrator", email="bad address", givenName="Al", familyName="Admin")
    out = tmp_path / "proposals.csv"
    result = fix_emails(home.done(), out)
    found = {row["sourcedId"]: row for row in rows(out)}
    assert list(rows(out)[0]) == [
        "sourcedId",
        "name",
        "role",
        "issue",
        "current_email",
        "proposed_email",
        "collided",
    ]
    assert found["stu3"]["proposed_email"] == "jose.nunez@students.lincoln.org"
    assert found["stu3"]["collided"] == "no"
    # Ann Smith is taken (any letter case): the next free numbers, by sourcedId.
    assert found["stu4"]["proposed_email"] == "ann.smith2@students.lincoln.org"
    assert found["stu5"]["proposed_email"] == "ann.smith4@students.lincoln.org"  # 3 is taken
    assert found["stu6"]["proposed_email"] == "ann.smith5@students.lincoln.org"
    assert found["stu4"]["collided"] == "yes"
    assert found["stu6"]["issue"] == "email-invalid"
    assert found["stu6"]["current_email"] == "ann@@students.lincoln.org"
    assert found["stu9"]["proposed_email"].startswith("the name has no letters")
    assert found["stu9"]["collided"] == ""
    # No {n} in the teacher pattern: the number goes at the end of the local part.
    assert found["tch2"]["proposed_email"] == "mlee@lincoln.org"
    assert found["tch3"]["proposed_email"] == "mlee2@lincoln.org"
    assert found["adm2"]["proposed_email"] == "email_pattern has no pattern for role administrator"
    assert set(found) == {"stu3", "stu4", "stu5", "stu6", "stu9", "tch2", "tch3", "adm2"}
    assert result.counts == {"users": 8, "proposed": 6, "collided": 4, "without": 2}


def test_proposals_are_deterministic(make_home: HomeFactory, tmp_path: Path) -> None:
    made = []
    for order in (("a1", "a2", "a3"), ("a3", "a1", "a2")):
        home = make_home(email_pattern=PATTERN)
        for sid in order:
            home.store.user(sid, email="", givenName="Sam", familyName="Poe")
        made.append(email_proposals(home.done()))
    first, second = ({sid: p.proposed for sid, p in m.items()} for m in made)
    assert (
        first
        == second
        == {
            "a1": "sam.poe@students.lincoln.org",
            "a2": "sam.poe2@students.lincoln.org",
            "a3": "sam.poe3@students.lincoln.org",
        }
    )


def test_gam_create_user_lines_without_passwords(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home(email_pattern=PATTERN)
    home.store.user("stu3", email="", givenName="Zoë 'Z'", familyName="D'Arcy\n$(id)")
    home.store.user("stu4", email="", givenName="", familyName="Solo")
    out, gam = tmp_path / "p.csv", tmp_path / "p.gam"
    result = fix_emails(home.done(), out, gam)
    text = gam.read_text("utf-8")
    found = parse_file(text)
    assert [c.kind for c in found] == ["create-user"]
    assert found[0].args == {
        "email": "zoez.darcyid@students.lincoln.org",
        "firstname": "Zoë 'Z'",
        "lastname": "D'Arcy $(id)",
    }
    assert "stu4 (student): blank given or family name" in text
    assert result.counts["create_user"] == 1
    for argv in commands(text):
        assert "password" not in [a.lower() for a in argv]


def test_without_a_pattern(make_home: HomeFactory, tmp_path: Path) -> None:
    with pytest.raises(FixUsageError, match="email_pattern is not set"):
        fix_emails(make_home().done(), tmp_path / "p.csv")
    assert not (tmp_path / "p.csv").exists()


def test_spreadsheet_safe(make_home: HomeFactory, tmp_path: Path) -> None:
    home = make_home(email_pattern=PATTERN)
    home.store.user("=cmd", email="", givenName="=HYPERLINK(1)", familyName="+x")
    out = tmp_path / "p.csv"
    fix_emails(home.done(), out)
    (row,) = rows(out)
    assert row["sourcedId"] == "'=cmd" and row["name"] == "'=HYPERLINK(1) +x"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
