"""Every key does what the help says: ctrl+q from anywhere, the palette from every page, focus
where the keys work, filled-in fields kept, one meaning per key, footers that fit."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from datasync_tui.paths import DataDir
from datasync_tui.ui.app import DataSyncApp
from datasync_tui.ui.dashboard.screen import DashboardScreen
from datasync_tui.ui.explore.record import RecordScreen
from datasync_tui.ui.explore.screen import ExploreScreen
from datasync_tui.ui.help import HelpScreen
from datasync_tui.ui.validations import ValidationsScreen
from datasync_tui.ui.widgets.footer import PageFooter
from datasync_tui.ui.widgets.virtual_table import VirtualTable
from tests.helpers.app import AppFactory, palette_hits, settle

PAGES = {"d": DashboardScreen, "e": ExploreScreen, "v": ValidationsScreen}
NAMES = ["sync", "explore", "validations", "connection", "export", "apply held sync", "quit"]


async def quits(pilot: Pilot[int]) -> bool:
    """Press ctrl+q; True when the app stopped."""
    await pilot.press("ctrl+q")
    await pilot.pause()
    return not pilot.app.is_running


@pytest.fixture(params=[(80, 24), (120, 40)], ids=["80x24", "120x40"])
def screen_size(request: pytest.FixtureRequest) -> tuple[int, int]:
    """Every key is tried at both sizes an admin's terminal is likely to have."""
    return request.param


async def test_ctrl_q_quits_from_the_wizard_filter(
    make_app: AppFactory, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "choose-filter"
        await pilot.press("q")  # a letter in a field
        assert app.focused.value == "q" and app.is_running
        assert await quits(pilot)


async def test_ctrl_q_quits_from_a_path_field(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")  # the saved source's options
        await settle(pilot)
        assert isinstance(app.focused, Input) and app.focused.id == "opt-path"
        assert await quits(pilot)


async def test_ctrl_q_quits_from_the_explore_search(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("e", "slash")
        await settle(pilot)
        assert isinstance(app.focused, Input)
        assert await quits(pilot)


async def test_ctrl_q_quits_from_the_help(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert await quits(pilot)


@pytest.mark.parametrize("page", ["d", "e", "v", "c"])
async def test_the_palette_finds_every_action_from_every_page(
    make_app: AppFactory, synced: DataDir, page: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:  # the palette is a dialog: one size
        await settle(pilot)
        await pilot.press(page)
        await settle(pilot)
        for name in NAMES:
            hits = await palette_hits(pilot, name)
            assert any(name in hit.lower() for hit in hits), (page, name, hits)
            await pilot.press("escape")
            await settle(pilot)


@pytest.mark.parametrize("page", ["d", "e", "v"])
async def test_the_palette_says_not_now_only_of_what_cannot_run(
    make_app: AppFactory, synced: DataDir, page: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:  # the palette is a dialog: one size
        await settle(pilot)
        await pilot.press(page)
        await settle(pilot)
        for name in ("quit", "sync", "connection", "history"):
            hits = await palette_hits(pilot, name)
            mine = [hit for hit in hits if hit.lower().startswith(name)]
            assert mine and all("not now" not in hit for hit in mine), (page, name, hits)
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("c")  # no sync from the Connection page: the wizard syncs
        await settle(pilot)
        hits = await palette_hits(pilot, "sync")
        assert any(hit.startswith("Sync") and "not now" in hit for hit in hits), hits


async def test_a_palette_command_runs_on_its_page(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        hits = await palette_hits(pilot, "validations")
        assert hits[0].startswith("Validations")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ValidationsScreen)
        await palette_hits(pilot, "export rows")
        await pilot.press("enter")  # Explore's export, from the Validations page
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ExportDialog"
        assert isinstance(app.screen_stack[-2], ExploreScreen)


async def test_explore_opens_on_the_table(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        assert app.focused is table
        await pilot.press("end")
        await settle(pilot)
        assert table.cursor_row == table.total - 1 == 19
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)


async def test_down_in_the_topic_list_switches_the_topic(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("e", "t")  # t: the topic list
        await settle(pilot)
        assert isinstance(app.focused, OptionList)
        await pilot.press("down")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExploreScreen) and screen.view is not None
        assert app.explore_topic == "teachers" and screen.pager is not None
        assert screen.pager.total == 1  # the table shows the teachers already
        assert isinstance(app.focused, OptionList)  # and the list keeps the focus


async def test_help_on_explore_lists_enter_and_tab(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        keys = dict(app.page_keys(app.screen))
        assert keys["⏎"] == "Open record" and keys["tab"] == "Topics ⇄ table"
        await pilot.press("enter")
        await settle(pilot)
        shown = [k.description for k in app.screen.query("FooterKey")]  # type: ignore[attr-defined]
        assert "Open related record" in shown and "Back" in shown


async def test_typing_into_a_filled_in_field_adds_to_it(
    make_app: AppFactory, synced: DataDir, bundle, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        await pilot.press("c", "enter")
        await settle(pilot)
        field = app.focused
        assert isinstance(field, Input) and field.value == str(bundle)
        assert field.cursor_position == len(field.value) and field.selection.is_empty
        await pilot.press("q")
        assert field.value == f"{bundle}q"


async def test_x_exports_and_m_shows_the_email_domains_everywhere(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        for page in ("d", "e", "v"):
            await pilot.press(page)
            await settle(pilot)
            keys = dict(app.page_keys(app.screen))
            assert keys.get("m") == "Email domains", (page, keys)
            assert keys.get("x", "Export").startswith("Export"), (page, keys)
            await pilot.press("m")
            await settle(pilot)
            assert app.screen.__class__.__name__ == "DomainsScreen"
            await pilot.press("escape")
            await settle(pilot)


def footer_width(app: DataSyncApp) -> tuple[int, list[str]]:
    """The cells the footer's keys take, and their descriptions."""
    keys = list(app.screen.query_one(PageFooter).query("FooterKey"))
    width = sum(k.region.width + 1 for k in keys)
    return width, [k.description for k in keys]  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_footer_fits_with_keys_and_quit(
    make_app: AppFactory, synced: DataDir, size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        for page in ("d", "e", "v", "c"):
            await pilot.press(page)
            await settle(pilot)
            if page == "c":
                app.screen.query_one("#wizard-next-button").focus()
                await settle(pilot)
            width, shown = footer_width(app)
            assert width <= size[0], (page, shown)
            assert {"Keys", "Quit"} <= set(shown), (page, shown)


async def test_the_theme_chosen_is_remembered(
    make_app: AppFactory, synced: DataDir, screen_size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=screen_size) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        app.theme = "textual-light"
        await settle(pilot)
    assert (synced.root / "tui.json").stat().st_mode & 0o077 == 0  # owner-only
    again = make_app()
    async with again.run_test(size=screen_size) as pilot:
        await settle(pilot)
        assert again.theme == "textual-light"
