"""Peewee models: one table per canonical topic, the sync history and the staged data of a run."""

from __future__ import annotations

import peewee as pw

from connectors.canonical import TOPICS

database_proxy = pw.DatabaseProxy()

# Table name of each topic (SQL-friendly; the columns keep OneRoster's field names).
TABLES: dict[str, str] = {
    "orgs": "orgs",
    "academicSessions": "academic_sessions",
    "courses": "courses",
    "classes": "classes",
    "users": "users",
    "roles": "roles",
    "enrollments": "enrollments",
    "demographics": "demographics",
}

# The column the store adds to every topic table, after the canonical ones: every other column
# the source sent (not passwords), as a JSON object.
BOOKKEEPING = ("extras",)

# Columns the engine computes when a sync is applied (not from the source).
DERIVED: dict[str, tuple[str, ...]] = {
    "classes": ("teacher_count", "student_count"),
    "users": ("primary_role",),
}
# What a derived column holds when its rows are first loaded (a copy of a source column), so
# that the refresh after the load writes only the rows where it differs.
DERIVED_SEED: dict[str, tuple[tuple[str, str], ...]] = {"users": (("primary_role", "role"),)}
# Indexes an older store may have that are no longer kept (dropped when the store opens).
RETIRED_INDEXES = (
    *("users_primary_role", "syncchange_run_id", "enrollments_class_role"),
    "validationresult_run_id",  # the (run, rule) key serves
)

# Secondary indexes, built once after a bulk load (the unique sourcedId index is separate).
INDEXES: dict[str, dict[str, str]] = {
    "enrollments": {
        # With what ENROLLED() and the primary-teacher rule read: the class rules and the
        # Classroom dry run answer from the index alone, never reading a row of the table.
        "enrollments_class_members": "enrollments "
        '(classSourcedId, role, status, endDate, "primary")',
        "enrollments_user": "enrollments (userSourcedId)",
    },
    "users": {
        "users_email_lower": "users (lower(email))",
        # Explore: sorts and prefix search (the expressions of viewmodels/explore/topics.py);
        # users_role_name also serves a look-up or count by primary_role alone.
        "users_role_name": "users (primary_role, "
        "lower(ifnull(familyName,'')||' '||ifnull(givenName,'')))",
        "users_name": "users (lower(ifnull(familyName,'')||' '||ifnull(givenName,'')))",
        "users_given_name": "users (lower(ifnull(givenName,'')||' '||ifnull(familyName,'')))",
        "users_email_sort": "users (ifnull(lower(email),''))",
        "users_username": "users (lower(username))",
        "users_identifier": "users (lower(identifier))",
        "users_email_domain": "users (lower(substr(email, instr(email,'@')+1)))",
    },
    "classes": {
        "classes_school": "classes (schoolSourcedId)",
        "classes_course": "classes (courseSourcedId)",
        "classes_title_sort": "classes (ifnull(lower(title),''))",
    },
    "orgs": {"orgs_name_sort": "orgs (ifnull(lower(name),''))"},
    "courses": {"courses_title_sort": "courses (ifnull(lower(title),''))"},
    "academicSessions": {"sessions_start_sort": "academic_sessions (ifnull(startDate,''))"},
    "roles": {
        "roles_user": "roles (userSourcedId)",
        "roles_org": "roles (orgSourcedId)",
    },
}


class BaseModel(pw.Model):
    """Every model lives in the one database the store opened."""

    class Meta:
        database = database_proxy


def _topic_model(topic: str) -> type[BaseModel]:
    """Build the model of one topic from its canonical field list."""
    attrs: dict[str, object] = {"sourcedId": pw.TextField()}
    for name, kind in TOPICS[topic][1:]:
        attrs[name] = pw.BooleanField(null=True) if kind == "bool" else pw.TextField(null=True)
    for name in DERIVED.get(topic, ()):
        attrs[name] = (
            pw.TextField(null=True)
            if name == "primary_role"
            else pw.IntegerField(default=0, constraints=[pw.SQL("DEFAULT 0")])
        )
    attrs["extras"] = pw.TextField(null=True)
    attrs["Meta"] = type("Meta", (), {"table_name": TABLES[topic]})
    class_name = topic[0].upper() + topic[1:]
    return type(class_name, (BaseModel,), attrs)


TOPIC_MODELS: dict[str, type[BaseModel]] = {topic: _topic_model(topic) for topic in TOPICS}

Org = TOPIC_MODELS["orgs"]
AcademicSession = TOPIC_MODELS["academicSessions"]
Course = TOPIC_MODELS["courses"]
Class = TOPIC_MODELS["classes"]
User = TOPIC_MODELS["users"]
Role = TOPIC_MODELS["roles"]
Enrollment = TOPIC_MODELS["enrollments"]
Demographic = TOPIC_MODELS["demographics"]


class SyncRun(BaseModel):
    """One sync attempt: when, how it ended, and what it changed per topic."""

    started_at = pw.TextField()
    finished_at = pw.TextField(null=True)
    status = pw.TextField()  # running | succeeded | failed | held | discarded
    error = pw.TextField(null=True)
    method = pw.TextField(null=True)
    connection_id = pw.TextField(null=True)
    forced = pw.BooleanField(default=False)
    full = pw.BooleanField(null=True)  # every topic came in bulk (not only changes)
    counts = pw.TextField(default="{}")  # {topic: {added, updated, removed, unchanged}}
    warnings = pw.TextField(default="[]")
    pid = pw.IntegerField(null=True)
    totals = pw.TextField(null=True)  # the status figures right after this run applied
    finding_totals = pw.TextField(null=True)  # {rule: {topic: how many}}; examples: findings
    started_by = pw.TextField(null=True)  # who or what: command line, daemon, TUI, rollback
    rollback_to = pw.IntegerField(null=True)  # a rollback: the sync whose state it restored
    undone_by = pw.IntegerField(null=True)  # the rollback that undid this sync's changes
    # Its change log: the ids first..last of sync_changes (a run's changes are written together,
    # so they need no index of their own); NULL when it logged nothing.
    changes_first = pw.IntegerField(null=True)
    changes_last = pw.IntegerField(null=True)

    class Meta:
        table_name = "sync_runs"


class SyncChange(BaseModel):
    """One record a sync added, updated, removed or re-keyed (kept for the last keep_syncs)."""

    # No index: a run's changes are found by their id range (SyncRun.changes_first/last).
    run = pw.ForeignKeyField(SyncRun, on_delete="CASCADE", backref="changes", index=False)
    topic = pw.TextField()
    sourcedId = pw.TextField()
    change = pw.TextField()  # added | updated | removed | rekeyed
    previous_sourcedId = pw.TextField(null=True)  # rekeyed: the id it had
    fields = pw.TextField(null=True)  # updated, rekeyed: {field: [before, after]}
    row = pw.TextField(null=True)  # removed, rekeyed: the whole row it replaced, as it was

    class Meta:
        table_name = "sync_changes"


class SyncFinding(BaseModel):
    """An example of what a sync saw in the source that the store cannot keep (a sourcedId sent
    twice): a few are kept per rule and topic, the total in SyncRun.finding_totals."""

    run = pw.ForeignKeyField(SyncRun, on_delete="CASCADE", backref="findings")
    rule = pw.TextField()
    topic = pw.TextField()
    sourcedId = pw.TextField()
    field = pw.TextField(null=True)
    value = pw.TextField(null=True)
    message = pw.TextField()
    times = pw.IntegerField(null=True)  # how many times the source sent it

    class Meta:
        table_name = "sync_findings"


class Meta(BaseModel):
    """Key/value facts about the store (schema version, staged run)."""

    key = pw.TextField(primary_key=True)
    value = pw.TextField(null=True)

    class Meta:
        table_name = "meta"


class ValidationRun(BaseModel):
    """The rules run over the data a sync applied: when, which domains, the Classroom dry run."""

    run = pw.ForeignKeyField(SyncRun, on_delete="CASCADE", unique=True, backref="validation")
    evaluated_at = pw.TextField()
    today = pw.TextField()
    email_domains = pw.TextField(default="")
    classroom = pw.TextField(default="{}")  # figures and reasons of the dry run
    seconds = pw.FloatField(default=0)
    # A sync that changed nothing, the same day, carries the results of this earlier one
    # forward: its figures are that run's (none new, none resolved), not a copy of them.
    results_of = pw.IntegerField(null=True)

    class Meta:
        table_name = "validation_runs"


class ValidationResult(BaseModel):
    """One rule's figures at one evaluated sync: issues, new and resolved since the previous
    one. Readers use the view `validation_results` (every sync's, carried ones included)."""

    run = pw.ForeignKeyField(SyncRun, on_delete="CASCADE", index=False)
    rule = pw.TextField()
    severity = pw.TextField()
    count = pw.IntegerField(default=0)
    new = pw.IntegerField(default=0)
    resolved = pw.IntegerField(default=0)
    skipped = pw.BooleanField(default=False)  # not run (email-outside-domain without domains)

    class Meta:
        table_name = "validation_counts"
        indexes = ((("run", "rule"), True),)


# Each sync's rule figures: its own, or (carried forward) those of the run named by results_of,
# with none new and none resolved.
RESULTS_VIEW = """
CREATE VIEW IF NOT EXISTS validation_results
    (id, run_id, rule, severity, count, new, resolved, skipped) AS
SELECT c.id, v.run_id, c.rule, c.severity, c.count,
       iif(v.results_of IS NULL, c.new, 0), iif(v.results_of IS NULL, c.resolved, 0), c.skipped
FROM validation_runs v JOIN validation_counts c ON c.run_id = coalesce(v.results_of, v.run_id)
"""


class ValidationIssue(BaseModel):
    """One issue found at a sync (kept for the last two syncs); identity: rule, sourcedId, field."""

    run = pw.ForeignKeyField(SyncRun, on_delete="CASCADE", index=False)
    rank = pw.IntegerField()  # the rule's place in the catalog (errors first)
    rule = pw.TextField()
    severity = pw.TextField()
    topic = pw.TextField()
    sourcedId = pw.TextField()
    field = pw.TextField()
    value = pw.TextField(null=True)
    message = pw.TextField()
    is_new = pw.BooleanField(default=False)

    class Meta:
        table_name = "validation_issues"
        indexes = ((("run", "rank", "sourcedId", "field", "topic"), True),)


HISTORY_MODELS: tuple[type[BaseModel], ...] = (SyncRun, SyncChange, SyncFinding, Meta)
VALIDATION_MODELS: tuple[type[BaseModel], ...] = (ValidationRun, ValidationResult, ValidationIssue)
ALL_MODELS: tuple[type[BaseModel], ...] = (
    *TOPIC_MODELS.values(),
    *HISTORY_MODELS,
    *VALIDATION_MODELS,
)


def columns(topic: str) -> list[str]:
    """The columns a sync writes for a topic (all but the rowid and derived ones), in order."""
    model = TOPIC_MODELS[topic]
    skip = {"id", *DERIVED.get(topic, ())}
    return [f.column_name for f in model._meta.sorted_fields if f.name not in skip]
