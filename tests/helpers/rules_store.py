"""A small store written row by row, to put exactly the records a rule test needs in it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasync_tui.rules import BY_ID, evaluate, iter_hits
from datasync_tui.store import sqlite
from datasync_tui.store.db import connect
from datasync_tui.store.models import TABLES
from datasync_tui.sync.apply import refresh_class_counts, refresh_primary_roles

TODAY = "2026-11-28"
DOMAINS = "lincoln.org"


class Store:
    """A real store (schema and indexes as a sync leaves them) with a clean little district."""

    def __init__(self, path: Path, clean: bool = True) -> None:
        self.db = connect(path)
        self.conn: sqlite.Connection = self.db.connection()
        self._n = 0
        if clean:
            self.clean_district()

    def add(self, topic: str, sourced_id: str, **fields: Any) -> None:
        """Insert one record; lists become JSON, booleans 0/1, as the sync stores them."""
        row: dict[str, Any] = {"sourcedId": sourced_id}
        for key, value in fields.items():
            if isinstance(value, list):
                value = json.dumps(value)
            row[key] = value
        cols = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" * len(row))
        self.conn.execute(
            f'INSERT INTO "{TABLES[topic]}" ({cols}) VALUES ({marks})', list(row.values())
        )

    def user(self, sid: str, role: str = "student", **fields: Any) -> None:
        """A user (and its primary role link), enabled, at school s1, with a plain email."""
        domain = "students.lincoln.org" if role == "student" else "lincoln.org"
        row = {
            "enabledUser": 1,
            "orgSourcedIds": ["s1"],
            "role": role,
            "givenName": "Ann",
            "familyName": sid.title(),
            "email": f"{sid}@{domain}",
        } | fields
        self.add("users", sid, **row)
        if role:
            self.add(
                "roles",
                f"r-{sid}",
                userSourcedId=sid,
                role=role,
                roleType="primary",
                orgSourcedId="s1",
            )

    def klass(self, sid: str, **fields: Any) -> None:
        """A class of course c1 at school s1 in term t1."""
        row = {
            "title": f"Algebra I - {sid}",
            "courseSourcedId": "c1",
            "classType": "scheduled",
            "schoolSourcedId": "s1",
            "termSourcedIds": ["t1"],
        } | fields
        self.add("classes", sid, **row)

    def enroll(self, klass: str, user: str, role: str = "student", **fields: Any) -> str:
        """An enrollment (teachers primary unless told); returns its sourcedId."""
        self._n += 1
        sid = fields.pop("sourcedId", f"e{self._n}-{klass}-{user}")
        primary = 1 if role == "teacher" else 0
        row = {
            "classSourcedId": klass,
            "schoolSourcedId": "s1",
            "userSourcedId": user,
            "role": role,
            "primary": primary,
        } | fields
        self.add("enrollments", sid, **row)
        return sid

    def clean_district(self) -> None:
        """Two orgs, a year and a term, a course, one class with a teacher and two students."""
        self.add("orgs", "d1", name="Lincoln USD", type="district")
        self.add("orgs", "s1", name="Lincoln High", type="school", parentSourcedId="d1")
        self.add(
            "academicSessions",
            "y1",
            title="2026-2027",
            type="schoolYear",
            startDate="2026-08-15",
            endDate="2027-06-10",
        )
        self.add(
            "academicSessions",
            "t1",
            title="Fall",
            type="semester",
            startDate="2026-08-15",
            endDate="2027-01-15",
            parentSourcedId="y1",
        )
        self.add("courses", "c1", title="Algebra I", courseCode="ALG1", orgSourcedId="s1")
        self.klass("k1")
        self.user("tch1", "teacher")
        self.user("stu1")
        self.user("stu2")
        self.user("adm1", "administrator")
        self.user("par1", "parent", email="family.smith@gmail.com")
        self.enroll("k1", "tch1", "teacher")
        self.enroll("k1", "stu1")
        self.enroll("k1", "stu2")

    def refresh(self) -> None:
        """Recompute the derived columns, as a sync does when it applies."""
        refresh_primary_roles(self.db)
        refresh_class_counts(self.db)

    def hits(
        self,
        rule: str | None = None,
        *,
        domains: str | None = DOMAINS,
        today: str = TODAY,
        run_id: int | None = None,
    ) -> set[tuple[str, str, str]]:
        """(rule, sourcedId, field) of every issue found (by one rule, or all)."""
        self.refresh()
        rules = [BY_ID[rule]] if rule else None
        kwargs: dict[str, Any] = {"rules": rules} if rules else {}
        evaluate(self.conn, email_domains=domains, today=today, run_id=run_id, **kwargs)
        return {(i.rule, i.sourcedId, i.field) for i in iter_hits(self.conn)}

    def flagged(self, rule: str, **kwargs: Any) -> set[str]:
        """The sourcedIds one rule flags."""
        return {sid for _, sid, _ in self.hits(rule, **kwargs)}
