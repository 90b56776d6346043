"""What the three list panes share: the state they show, the words, the clock, filters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pilkades_tui.console.widgets.virtual_table import Column, Row, VirtualTable
from pilkades_tui.domain.rules import DEFAULT_SETTINGS, RuleSettings
from pilkades_tui.domain.state import Changes, ElectionState
from pilkades_tui.i18n import Catalogue


@dataclass(slots=True)
class Filters:
    """Set with `/` (text) and `:kabupaten`, `:kecamatan`, `:risk`, `:phase`; `:clear`
    resets. A kabupaten is kept as the names of its kecamatan, which every record has."""

    text: str = ""
    district: str | None = None
    risk: str | None = None
    phase: str | None = None
    regency: str | None = None
    regency_districts: frozenset[str] | None = None

    def describe(self) -> str:
        parts = [self.text, self.regency, self.district, self.risk, self.phase]
        return " · ".join(part for part in parts if part)

    def in_area(self, district: str | None) -> bool:
        """Whether a record in this kecamatan is inside the kabupaten and kecamatan set."""
        if self.district is not None and district != self.district:
            return False
        return self.regency_districts is None or district in self.regency_districts

    def matches_text(self, *fields: str) -> bool:
        if not self.text:
            return True
        needle = self.text.casefold()
        return any(needle in value.casefold() for value in fields)


@dataclass(slots=True)
class ListSource:
    """Rows in display order; `build` makes one row when it is drawn."""

    keys: list[str] = field(default_factory=list)
    build: Callable[[str], Row] = lambda key: Row(key, [key])
    positions: dict[str, int] = field(default_factory=dict)

    def set_keys(self, keys: list[str]) -> None:
        self.keys = keys
        self.positions = {key: index for index, key in enumerate(keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def row(self, index: int) -> Row:
        return self.build(self.keys[index])

    def index_of(self, key: str) -> int | None:
        return self.positions.get(key)


def age_text(catalogue: Catalogue, minutes: int) -> str:
    """`51 mnt`, `1 j 12 mnt`, `2 j` (`51 min`, `1 h 12 min`, `2 h`): units no one reads
    as metres."""
    if minutes < 60:
        return catalogue.text("unit.minutes", minutes=minutes)
    hours, rest = divmod(minutes, 60)
    if not rest:
        return catalogue.text("unit.hours", hours=hours)
    return catalogue.text("unit.hours_minutes", hours=hours, minutes=rest)


def minutes_since(then: datetime | None, now: datetime) -> int | None:
    if then is None:
        return None
    return max(0, int((now - then).total_seconds() // 60))


class Pane(VirtualTable):
    """A list pane over the election state. Subclasses choose rows and cells."""

    title_key = ""
    column_spec: Sequence[Column] = ()

    def __init__(
        self,
        catalogue: Catalogue,
        clock: Callable[[], datetime],
        settings: RuleSettings = DEFAULT_SETTINGS,
        **kwargs,
    ) -> None:
        self.source_rows = ListSource(build=self.build_row)
        super().__init__(self.column_spec, self.source_rows, **kwargs)
        self.catalogue = catalogue
        self.clock = clock
        # The rules' thresholds: a pane colours by the same numbers the alerts use.
        self.settings = settings
        self.state: ElectionState | None = None
        self.filters = Filters()
        self.stale_note = ""

    def on_mount(self) -> None:
        self.relabel()
        if hasattr(self.app, "language"):
            # The app's reactive language: a `:lang` switch relabels every pane.
            self.watch(self.app, "language", self._language_changed, init=False)

    def _language_changed(self, _lang: str) -> None:
        self.relabel()

    def relabel(self) -> None:
        """Titles and headers in the current language."""
        self.set_headers([self.catalogue.text(column.key) for column in self.columns])
        self.update_titles()

    def update_titles(self) -> None:
        self.border_title = self.catalogue.text(self.title_key)
        notes = []
        if self.filters.describe():
            notes.append(self.catalogue.text("filter.active", text=self.filters.describe()))
        notes.append(self.catalogue.text("summary.total", shown=self.shown(), total=self.total()))
        if self.stale_note:
            notes.insert(0, self.stale_note)
        self.border_subtitle = " · ".join(notes)
        self.set_class(bool(self.stale_note), "-stale")

    def show(self, state: ElectionState | None) -> None:
        """A new state (first snapshot or a resync): rebuild the rows."""
        self.state = state
        self.rebuild()

    def rebuild(self) -> None:
        self.source_rows.set_keys(self.ordered_keys() if self.state is not None else [])
        self.reload()
        self.update_titles()

    def apply(self, changes: Changes) -> None:
        """Redraw what `changes` touched. When rows moved, the new order is taken, but
        the whole pane is repainted only if the rows on screen are not the same ones:
        over SSH every repainted cell costs bytes."""
        if self.state is None:
            return
        if changes.reloaded:
            self.rebuild()
            return
        if self.order_changed(changes):
            on_screen = self.visible_keys()
            count = len(self.source_rows)
            self.source_rows.set_keys(self.ordered_keys())
            if len(self.source_rows) != count:
                self.resize_rows()
                self.update_titles()
            if self.visible_keys() != on_screen:
                self.refresh()
                return
        self.refresh_keys(self.changed_keys(changes))

    def set_stale(self, note: str) -> None:
        if note != self.stale_note:
            self.stale_note = note
            self.update_titles()

    # ---- for subclasses ----------------------------------------------------------

    def total(self) -> int:
        return 0

    def shown(self) -> int:
        return len(self.source_rows)

    def ordered_keys(self) -> list[str]:
        return []

    def order_changed(self, changes: Changes) -> bool:
        return False

    def changed_keys(self, changes: Changes) -> set[str]:
        return set()

    def build_row(self, key: str) -> Row:
        return Row(key, [key])
