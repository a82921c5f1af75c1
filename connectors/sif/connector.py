"""SIF: SIF 1.5/2.x/3.x XML files (folder or zip) or a SIF 3 REST environment, as canonical rows."""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterator
from operator import itemgetter
from typing import Any, ClassVar, Protocol

from connectors.base import (
    CheckReport,
    Connector,
    ConnectorError,
    FieldReport,
    SyncState,
    TopicReport,
    TopicStream,
)
from connectors.canonical import TOPIC_ORDER, field_names
from connectors.sif.mapping import (
    LINK_KIND,
    TOPIC_KINDS,
    MapContext,
    Mapper,
    class_links,
    class_school,
    course,
    enrollment,
    link_raw,
    org,
    section,
    session,
    teaching_group,
)
from connectors.sif.options import OPTIONS
from connectors.sif.parallel import ParallelSifFiles
from connectors.sif.people import role
from connectors.sif.premap import (
    is_premapped,
    premap_person,
)
from connectors.sif.xml import Raw

REQUIRED_TOPICS = ("orgs", "users", "classes", "enrollments")
RECOMMENDED_TOPICS = ("academicSessions", "courses")
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {
    "orgs": ("sourcedId", "name"),
    "users": ("sourcedId", "givenName", "familyName"),
    "classes": ("sourcedId", "title"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
    "academicSessions": ("sourcedId",),
    "courses": ("sourcedId",),
    "roles": ("sourcedId", "userSourcedId", "orgSourcedId"),
    "demographics": ("sourcedId",),
}
RECOMMENDED_FIELDS: dict[str, tuple[str, ...]] = {
    "orgs": ("identifier",),
    "users": ("email", "identifier"),
    "classes": ("schoolSourcedId", "courseSourcedId", "termSourcedIds", "classCode"),
    "academicSessions": ("title", "startDate", "endDate"),
    "courses": ("title", "orgSourcedId"),
}


class Source(Protocol):
    """Where SIF objects come from: files or a REST environment."""

    notes: list[str]

    def objects(self, kinds: tuple[str, ...]) -> Iterator[Raw]:
        """Every object of the given kinds, streamed."""
        ...

    def describe(self) -> str:
        """The source in a few words."""
        ...

    def close(self) -> None:
        """Release what the source holds."""
        ...


class _Spool:
    """Raw objects (or rows) set aside on disk while one topic streams, read back by a later one."""

    BATCH = 1000

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the run
        self.batch: list[tuple[Any, ...]] = []
        self.complete = False

    def add(self, raw: tuple[Any, ...]) -> None:
        """Set one object (or row) aside (written a batch at a time)."""
        self.batch.append(raw)
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the batch as one length-prefixed marshal blob (read back in one call)."""
        blob = marshal.dumps(self.batch)
        self.file.write(len(blob).to_bytes(8, "little") + blob)
        self.batch = []

    def read(self) -> Iterator[Any]:
        """Every object set aside, in order."""
        if self.batch:
            self._flush()
        self.file.seek(0)
        while size := int.from_bytes(self.file.read(8), "little"):
            yield from marshal.loads(self.file.read(size))

    def close(self) -> None:
        """Delete the spool file."""
        self.file.close()


class _Run:
    """One read of the source: the context between topics and the spools of derived rows."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.ctx = MapContext()
        self.links = _Spool()
        self.demo = _Spool()
        self.done: set[str] = set()

    def close(self) -> None:
        """Delete the spools."""
        self.links.close()
        self.demo.close()

    def rows(self, topic: str) -> Iterator[Raw]:
        """The raw objects of one topic, in source order."""
        ctx, source = self.ctx, self.source
        kinds = TOPIC_KINDS[topic]
        if topic == "courses":
            for raw in source.objects(kinds):
                ctx.remember_course(raw)
                yield raw
        elif topic == "classes":
            self.ensure("courses")
            for raw in source.objects(kinds):
                school = class_school(raw, ctx)
                ctx.section_school[raw[1][0][1]] = school
                for user_ref, role_name, primary in class_links(raw):
                    self.links.add(link_raw(raw, school, user_ref, role_name, primary))
                yield raw
            self.links.complete = True
        elif topic == "users":
            # People come mapped (by the parse worker, else here): the users row goes on, the
            # demographics row is set aside for the demographics topic to read back.
            for item in source.objects(kinds):
                person = item if is_premapped(item) else premap_person(item)
                if person[4] is not None:
                    self.demo.add(person[4])
                yield person
            self.demo.complete = True
        elif topic == "enrollments":
            self.ensure("classes")
            yield from self.links.read()
            yield from source.objects(kinds)
        elif topic == "demographics":
            self.ensure("users")
            yield from self.demo.read()
        else:
            yield from source.objects(kinds)
        self.done.add(topic)

    def ensure(self, topic: str) -> None:
        """Read a topic the current one depends on, when it has not been read yet."""
        if topic not in self.done:
            for _ in self.rows(topic):
                pass

    def normalizer(self, topic: str) -> Any:
        """The function that maps one raw object of a topic to canonical values plus extras."""
        ctx = self.ctx
        return lambda raw: MAPPERS[raw[0]](raw, ctx)

    def stream(self, topic: str) -> TopicStream:
        """The topic stream over this run."""
        # People are mapped ahead: (PREMAPPED, values, label, line, …), for both topics.
        ahead = topic == "users" or topic == "demographics"
        return TopicStream(
            topic=topic,
            mode="bulk",
            fields=field_names(topic),
            rows=self.rows(topic),
            normalize=itemgetter(1) if ahead else self.normalizer(topic),
            where=where,
        )


# The mapper of each object kind (people are mapped ahead: premap.py).
MAPPERS: dict[str, Mapper] = {
    "LEAInfo": org,
    "SchoolInfo": org,
    "TermInfo": session,
    "SchoolCourseInfo": course,
    "SectionInfo": section,
    "TeachingGroup": teaching_group,
    "StudentSchoolEnrollment": role,
    "StaffAssignment": role,
    "StudentSectionEnrollment": enrollment,
    LINK_KIND: enrollment,
}


def where(raw: Raw) -> str:
    """file.xml:line, or the URL of the page the object came in (label and line are the third
    and fourth items of raw objects and of demographics rows mapped ahead alike)."""
    return f"{raw[2]}:{raw[3]}" if raw[3] else raw[2]


class SifConnector(Connector):
    """SIF objects from XML files or a SIF 3 REST environment."""

    id: ClassVar[str] = "sif"
    label: ClassVar[str] = "SIF"
    help: ClassVar[str] = "SIF 1.5/2.x XML files, or a SIF 3 REST environment."
    options = OPTIONS

    def __init__(self, settings: dict[str, str]) -> None:
        super().__init__(settings)
        self._source: Source | None = None

    def _problem(self) -> str | None:
        """A one-line problem with the settings, or None."""
        path, url = self.setting("path"), self.setting("base_url")
        if bool(path) == bool(url):
            return "set exactly one of path (SIF XML files) or base_url (SIF 3 REST)"
        if url and not (self.setting("application_key") and self.setting("secret")):
            return "SIF 3 REST needs application_key and secret"
        return None

    def _open(self) -> Source:
        """The source the settings name (opened once)."""
        if self._source is None:
            problem = self._problem()
            if problem:
                raise ConnectorError(problem)
            path = self.setting("path")
            if path:
                self._source = ParallelSifFiles(path, TOPIC_KINDS.values())
            else:
                from connectors.sif.rest import SifRest

                self._source = SifRest(self.setting)
        return self._source

    def fetch(self, state: SyncState | None = None) -> Iterator[TopicStream]:
        """Every topic in canonical order, read in full ("bulk") from the source."""
        source = self._open()
        run = _Run(source)
        try:
            for topic in TOPIC_ORDER:
                yield run.stream(topic)
        finally:
            run.close()
            for note in source.notes:
                self.warn(note)

    def check(self) -> CheckReport:
        """Read the whole source; report objects found per topic and fields present or blank."""
        label = self.setting("path") or self.setting("base_url") or "SIF"
        try:
            source = self._open()
            label = source.describe()
            # A REST environment's client (its module loads only for REST): retries are for
            # syncs, a check answers at once.
            no_retries = getattr(getattr(source, "http", None), "no_retries", None)
            if no_retries is not None:
                no_retries()
            counts, blanks = self._survey(source)
        except ConnectorError as exc:
            return CheckReport(reached=False, source=label, error=str(exc))
        except Exception as exc:  # check never raises: the admin gets one line instead
            return CheckReport(reached=False, source=label, error=f"unexpected error: {exc!r}")
        report = CheckReport(reached=True, source=label, warnings=list(self.warnings))
        for topic in TOPIC_ORDER:
            rows = counts.get(topic, 0)
            required = topic in REQUIRED_TOPICS
            if not rows and topic not in REQUIRED_TOPICS + RECOMMENDED_TOPICS:
                continue
            report.topics.append(self._topic_report(topic, rows, blanks.get(topic, {}), required))
        orgs = next(t for t in report.topics if t.topic == "orgs")
        if orgs.present and not getattr(self, "_schools", 0):
            orgs.problem = "no SchoolInfo objects: classes and users need their schools"
        report.detail = {"objects": ", ".join(f"{t}: {n}" for t, n in counts.items() if n)}
        return report

    def _survey(self, source: Source) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
        """Rows per topic and blanks per checked field, over every object."""
        counts: dict[str, int] = {}
        blanks: dict[str, dict[str, int]] = {}
        self._schools = 0
        for stream in self.fetch():
            checked = REQUIRED_FIELDS.get(stream.topic, ()) + RECOMMENDED_FIELDS.get(
                stream.topic, ()
            )
            slots = [(f, stream.fields.index(f)) for f in checked]
            missing = dict.fromkeys(checked, 0)
            rows = 0
            for raw in stream.rows:
                values = stream.normalize(raw)
                rows += 1
                for name, slot in slots:
                    if values[slot] in (None, "", []):
                        missing[name] += 1
                if stream.topic == "orgs" and values[4] == "school":
                    self._schools += 1
            counts[stream.topic] = rows
            blanks[stream.topic] = missing
        return counts, blanks

    @staticmethod
    def _topic_report(
        topic: str, rows: int, missing: dict[str, int], required: bool
    ) -> TopicReport:
        """The report of one topic from its row count and blank counts."""
        report = TopicReport(topic=topic, present=rows > 0, required=required, rows=rows)
        if not rows:
            return report
        for name in REQUIRED_FIELDS.get(topic, ()):
            blank = missing.get(name, 0)
            status = "missing-required" if blank == rows else "present"
            report.fields.append(FieldReport(name, status, blank if status == "present" else 0))
        for name in RECOMMENDED_FIELDS.get(topic, ()):
            blank = missing.get(name, 0)
            status = "missing-recommended" if blank == rows else "present"
            report.fields.append(FieldReport(name, status, blank if status == "present" else 0))
        return report

    def close(self) -> None:
        """Close the source (the REST client)."""
        if self._source is not None:
            self._source.close()
            self._source = None
