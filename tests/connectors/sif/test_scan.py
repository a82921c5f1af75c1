"""The byte scan that tells which object kinds each file holds (never a parse)."""

from __future__ import annotations

import io

import pytest

from connectors.sif import files as sif_files
from connectors.sif.files import kinds_in


def scan(text: str) -> set[str]:
    """The kinds the scan finds in a document."""
    return kinds_in(io.BytesIO(text.encode()))


def test_names_as_elements_in_every_form() -> None:
    assert scan("<StudentPersonal RefId='1'/>") == {"StudentPersonal"}
    assert scan("<sif:staffPersonal>\n</sif:staffPersonal>") == {"StaffPersonal"}
    assert scan("<x><LEAInfo\tRefId='1'/><TeachingGroup/></x>") == {"LEAInfo", "TeachingGroup"}
    assert scan("<a:studentSectionEnrollment>") == {"StudentSectionEnrollment"}


def test_names_that_are_not_elements() -> None:
    text = (
        "<StudentSchoolEnrollmentList><SchoolInfoRefId>1</SchoolInfoRefId>"
        "<Note>StudentPersonal SchoolInfo</Note><X TermInfo='1'/></StudentSchoolEnrollmentList>"
    )
    assert scan(text) == set()


def test_a_name_across_the_chunk_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sif_files, "SCAN_CHUNK", 64)
    for pad in range(50, 80):
        assert scan(" " * pad + "<StaffAssignment RefId='1'/>") == {"StaffAssignment"}, pad


def test_every_kind_has_an_ending() -> None:
    found = set().union(*(kinds for _, kinds in sif_files._ENDINGS))
    assert found == set(sif_files.OBJECT_KINDS)
