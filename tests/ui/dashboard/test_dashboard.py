"""The dashboard: counts as `status --json` gives them, sync now, a held sync, the other pages."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, timedelta
from pathlib import Path

from textual.widgets import OptionList, Static

from datasync_tui.paths import DataDir
from datasync_tui.status import collect
from datasync_tui.sync.lock import FileLock
from datasync_tui.ui.app import DataSyncApp
from datasync_tui.ui.context import Context
from datasync_tui.ui.dashboard.confirm_apply import ConfirmApply
from datasync_tui.ui.dashboard.screen import DashboardScreen
from datasync_tui.ui.dashboard.tile import TopicTile
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.validations import ValidationsScreen
from datasync_tui.ui.validations.rule_list import RuleList
from tests.helpers.app import NOW, AppFactory, connect_and_sync, settle
from tests.helpers.bundles import district, write_bundle


def tile_counts(app: object) -> dict[str, int]:
    """Each tile's count as shown."""
    screen = app.screen  # type: ignore[attr-defined]
    return {
        t.tile.id: int(str(t.render()).split()[0].replace(",", "")) for t in screen.query(TopicTile)
    }


def palette(app: object) -> list[tuple[str, str]]:
    """(title, help) of every command the palette offers on the current page."""
    from datasync_tui.ui.commands import app_commands, page_commands

    found = [*page_commands(app, app.screen), *app_commands(app, app.screen)]  # type: ignore[arg-type, attr-defined]
    return [(title, help) for title, help, _ in found]


def palette_titles(app: object) -> list[str]:
    """The titles of the palette's commands."""
    return [title for title, _ in palette(app)]


def status_json(data_dir: DataDir) -> dict:
    """`datasync-tui status --json`, run as the admin's scripts run it."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "datasync_tui.cli",
            "--data-dir",
            str(data_dir.root),
            "status",
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


async def test_counts_equal_status_json(make_app: AppFactory, synced: DataDir) -> None:
    doc = status_json(synced)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        shown = tile_counts(app)
    roles, counts = doc["users_by_role"], doc["counts"]
    assert shown == {
        "students": roles["student"],
        "teachers": roles["teacher"],
        "staff": sum(n for r, n in roles.items() if r not in ("student", "teacher")),
        "schools": doc["orgs_by_type"]["school"],
        "terms": counts["academicSessions"],
        "courses": counts["courses"],
        "classes": counts["classes"],
        "enrollments": counts["enrollments"],
        "demographics": counts["demographics"],
    }
    assert shown["students"] == 20 and shown["enrollments"] == 84


async def test_r_syncs_in_a_worker_and_refreshes(
    make_app: AppFactory, synced: DataDir, bundle: Path
) -> None:
    write_bundle(bundle, district(students=22))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert tile_counts(app)["students"] == 20
        await pilot.press("r")
        await settle(pilot)
        assert tile_counts(app)["students"] == 22
        assert tile_counts(app)["enrollments"] == 92
        tile = app.screen.query_one("#tile-enrollments", TopicTile)
        assert str(tile.render()).endswith("+8 −0")
        facts = str(app.screen.query_one("#sync-facts", Static).render())
        assert "Last attempt          succeeded" in facts
    assert collect(synced)["counts"]["enrollments"] == 92


async def test_held_sync_apply(make_app: AppFactory, synced: DataDir, bundle: Path) -> None:
    write_bundle(bundle, district(students=5))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        held = app.screen.query_one("#held")
        assert held.display
        text = str(app.screen.query_one("#held-text", Static).render())
        assert "users: would remove 15 of 21" in text and "Enrollments −60" in text
        assert tile_counts(app)["students"] == 20  # nothing applied yet
        keys = dict(app.page_keys(app.screen))
        assert keys["a"] == "Apply held sync" and keys["del"] == "Discard held sync"
        assert "x" not in keys  # x means Export, on every page
        await pilot.press("a")  # asks first, showing what it removes
        await settle(pilot)
        assert isinstance(app.screen, ConfirmApply)
        shown = str(app.screen.query_one("#apply-removals", Static).render())
        assert "Users" in shown and "−15" in shown and "Enrollments" in shown and "−60" in shown
        await pilot.press("enter")  # Cancel has the focus: Enter removes nothing
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen) and held.display
        await pilot.press("a")
        await settle(pilot)
        await pilot.click("#apply-yes")
        await settle(pilot)
        assert not held.display
        assert tile_counts(app)["students"] == 5
    assert collect(synced)["users_by_role"]["student"] == 5


async def test_held_sync_discard(make_app: AppFactory, synced: DataDir, bundle: Path) -> None:
    write_bundle(bundle, district(students=5))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one("#held").display
        await pilot.press("x")  # x is Export on every page, never Discard
        await settle(pilot)
        assert app.screen.query_one("#held").display
        await pilot.press("delete")
        await settle(pilot)
        assert not app.screen.query_one("#held").display
        assert tile_counts(app)["students"] == 20
    assert collect(synced)["users_by_role"]["student"] == 20


async def test_a_sync_running_elsewhere_is_shown_not_fought(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        with FileLock(synced.sync_lock):
            await pilot.press("r")
            await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("another sync is running" in m for m in messages)
        assert tile_counts(app)["students"] == 20


async def test_enter_on_a_tile_opens_explore_on_its_topic(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "up", "right")  # below, back up, then the next one
        assert app.focused is not None and app.focused.id == "tile-teachers"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExploreScreen)
        assert app.explore_topic == "teachers"
        topics = app.screen.query_one("#explore-topics", OptionList)
        assert topics.highlighted == 1
        detail = str(app.screen.query_one("#explore-detail", Static).render())
        assert "Teachers: 1 record ·" in detail
        await pilot.press("d")
        assert isinstance(app.screen, DashboardScreen)


async def test_validations_lists_duplicates_or_says_none(
    make_app: AppFactory, home: DataDir, work: Path
) -> None:
    rows = district()
    rows["users"].append(list(rows["users"][1]))  # stu0 twice
    connect_and_sync(home, write_bundle(work / "dup.zip", rows))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.facts is not None and app.facts.findings >= 1
        facts = str(app.screen.query_one("#sync-facts", Static).render())
        assert f"{app.facts.findings} duplicate sourcedIds in the last sync — press v" in facts
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ValidationsScreen)
        rules = app.screen.query_one(RuleList)
        listed = {rules.get_option_at_index(i).id for i in range(rules.option_count)}
        assert "duplicate-sourcedid" in listed  # the rule the sync's finding feeds


async def test_validations_empty_state(make_app: AppFactory, synced: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        summary = str(app.screen.query_one("#validations-summary", Static).render())
        assert "found nothing to report" in summary


async def test_help_and_palette_list_the_page_actions(
    make_app: AppFactory, synced: DataDir
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = dict(app.page_keys(app.screen))
        for key in ("e", "v", "c", "r", "?", "q", "←", "→", "↑", "↓", "^p"):
            assert key in keys, (key, keys)
        assert "a" not in keys  # Apply and Discard only while a sync is held
        titles = palette_titles(app)
        assert {"Explore", "Validations", "Connection", "Sync", "Quit"} <= set(titles)
        assert any("not now" in help for title, help in palette(app) if title == "Apply held sync")
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_no_source_dashboard_says_what_to_press(make_app: AppFactory, home: DataDir) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert "press c" in str(app.screen.query_one("#dashboard-empty", Static).render())
        await pilot.press("r")
        await settle(pilot)
        assert any("No source connected" in n.message for n in app._notifications)
        await pilot.press("c")
        assert app.screen.__class__.__name__ == "SetupScreen"


async def test_demo_syncs_the_bundled_district_inside_the_tui(
    make_app: AppFactory, home: DataDir
) -> None:
    from datasync_tui.demo import EMAIL_DOMAIN, bundled_district
    from datasync_tui.store import config

    config.save(
        home,
        config.Connection(
            "oneroster-csv",
            None,
            {"path": str(bundled_district()), "email_domains": EMAIL_DOMAIN},
        ),
    )
    app = make_app(sync_on_start=True)
    app.ctx.demo = True  # as `--demo` starts it
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        shown = tile_counts(app)
        note = str(app.screen.query_one("#dashboard-notes", Static).render())
        assert "throwaway data dir" in note and str(home.root) in note, note
        assert not [n for n in app._notifications if "demo" in n.message.lower()]
    doc = collect(home)
    assert doc["last_attempt"]["status"] == "succeeded"
    assert shown["students"] == doc["users_by_role"]["student"] > 1000
    assert shown["enrollments"] == doc["counts"]["enrollments"]


async def test_stale_data_shows_on_the_dashboard(synced: DataDir) -> None:
    later = NOW + timedelta(hours=40)  # past the default stale_after_hours (36) since the sync
    ctx = Context(synced, clock=lambda: later, tz=UTC, refresh_every=None, browse_root=synced.root)
    app = DataSyncApp(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        facts = str(app.screen.query_one("#sync-facts", Static).render())
        assert "STALE: no successful sync within stale_after_hours" in facts


async def test_tiles_and_issues_show_their_trend(
    make_app: AppFactory, synced: DataDir, bundle: Path
) -> None:
    rows = district(students=26)
    rows["users"][1][12] = ""  # stu0 without an email: one open issue more
    write_bundle(bundle, rows)
    from datasync_tui.sync import run_sync

    assert run_sync(synced).status == "succeeded"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        tiles_ = {t.tile.id: t for t in screen.query(TopicTile)}
        assert tiles_["students"].tile.trend == (20, 26)
        line = str(tiles_["students"].render()).split("\n")[0]
        assert line.startswith("26") and line.rstrip().endswith("▆█")  # 20 then 26, from 0
        facts = str(screen.query_one("#sync-facts", Static).render())
        assert "Validation issues" in facts and "last 2 syncs" in facts
        assert assert_issue_trend(facts)


def assert_issue_trend(facts: str) -> bool:
    """The issues line ends with a two-point sparkline that rises (0 issues, then some)."""
    line = next(x for x in facts.splitlines() if x.startswith("Validation issues"))
    spark = line.split("  ")[-1].split(" ")[0]
    return len(spark) == 2 and spark[0] < spark[1]
