"""The units' marks on the map, kept from one redraw to the next.

A province has some 55,000 units. Placing every one of them on each redraw (every two
seconds beside other panes, and again on every change of the selected incident) held
the UI thread for 40-60 ms, long enough to delay a key. Here each unit's cell is kept:
only the units that moved or changed are placed again. A new view, glyph set or state
places them all.

Where several units share a cell, the gravest of their marks shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from pilkades_tui.domain.models import Officer

Mark = tuple[str, str]  # glyph, tone (a component class of the map)
Cell = tuple[int, int]  # row, column of the map's content area
Overlay = dict[int, dict[int, Mark]]  # row -> column -> mark
# Where a unit is drawn and how, or None when it is not drawn (off duty, out of view).
Placement = Callable[[Officer], tuple[Cell, Mark] | None]


class UnitMarks:
    """Units by cell, and the mark on top of each cell, by row.

    Where units share a cell the gravest mark shows (`ranks`: on scene over on the way
    over available), whatever order they came in: a cell changes only when what it
    says changes, and an unchanged cell is not sent to the terminal again.
    """

    def __init__(self, ranks: Mapping[Mark, int]) -> None:
        self._ranks = ranks
        self._where: dict[str, tuple[Cell, Mark]] = {}
        self._counts: dict[Cell, dict[Mark, int]] = {}  # units of each mark in a cell
        self._rows: Overlay = {}

    def place_all(self, officers: Iterable[Officer], placement: Placement) -> None:
        where: dict[str, tuple[Cell, Mark]] = {}
        counts: dict[Cell, dict[Mark, int]] = {}
        for officer in officers:
            placed = placement(officer)
            if placed is not None:
                where[officer.id] = placed
                marks = counts.setdefault(placed[0], {})
                marks[placed[1]] = marks.get(placed[1], 0) + 1
        rank = self._ranks.__getitem__
        rows: Overlay = {}
        for (row, column), marks in counts.items():
            rows.setdefault(row, {})[column] = max(marks, key=rank)
        self._where, self._counts, self._rows = where, counts, rows

    def place(
        self, officer_ids: Iterable[str], officers: Mapping[str, Officer], placement: Placement
    ) -> None:
        """Place again the units that moved or changed (a unit gone is taken off)."""
        for officer_id in officer_ids:
            officer = officers.get(officer_id)
            self._move(officer_id, placement(officer) if officer is not None else None)

    def overlay(self) -> Overlay:
        """The units' layer as a new overlay, for the other markers to be put over."""
        return {row: dict(marks) for row, marks in self._rows.items()}

    def _move(self, officer_id: str, target: tuple[Cell, Mark] | None) -> None:
        old = self._where.get(officer_id)
        if old == target:
            return
        if old is not None:
            cell, mark = old
            marks = self._counts[cell]
            marks[mark] -= 1
            if not marks[mark]:
                del marks[mark]
                if not marks:
                    del self._counts[cell]
                self._show(cell)
            del self._where[officer_id]
        if target is not None:
            cell, mark = target
            marks = self._counts.setdefault(cell, {})
            marks[mark] = marks.get(mark, 0) + 1
            self._where[officer_id] = target
            if marks[mark] == 1:
                self._show(cell)

    def _show(self, cell: Cell) -> None:
        row, column = cell
        marks = self._counts.get(cell)
        if marks:
            self._rows.setdefault(row, {})[column] = max(marks, key=self._ranks.__getitem__)
            return
        shown = self._rows.get(row)
        if shown is not None:
            shown.pop(column, None)
            if not shown:
                del self._rows[row]


# Views whose layers are kept: in the desk layout the map moves between the main slot and
# a side slot as panes are called, and placing a province's units anew cost ~50 ms.
KEPT_VIEWS = 3
K = TypeVar("K")
V = TypeVar("V")


def kept(views: dict[K, V], key: K) -> V | None:
    """What `views` keeps for `key`, now the most recent of them."""
    found = views.pop(key, None)
    if found is not None:
        views[key] = found
    return found


def keep(views: dict[K, V], key: K, value: V) -> None:
    """Keep `value` for the view `key`, forgetting the least recent beyond KEPT_VIEWS."""
    views[key] = value
    while len(views) > KEPT_VIEWS:
        del views[next(iter(views))]


class UnitLayers:
    """The units' layer of the views shown lately, each brought up to date when shown
    again (only the units that moved meanwhile are placed)."""

    def __init__(self) -> None:
        # view -> (its layer, units that moved since it was last shown); most recent last
        self._views: dict[object, tuple[UnitMarks, set[str]]] = {}
        self._current: object = None

    def clear(self) -> None:
        self._views.clear()
        self._current = None

    def hide(self) -> None:
        """No view is shown: every unit that moves is noted for all of them."""
        self._current = None

    def overlay(self) -> Overlay:
        """The shown view's units as a new overlay (nothing while none is shown)."""
        entry = self._views.get(self._current)
        return entry[0].overlay() if entry is not None else {}

    def show(
        self,
        key: object,
        officers: Mapping[str, Officer],
        placement: Placement,
        ranks: Mapping[Mark, int],
    ) -> UnitMarks:
        """The layer of the view `key`, current with `officers`; `ranks` orders the marks
        of units that share a cell."""
        entry = kept(self._views, key)
        if entry is None:
            layer = UnitMarks(ranks)
            layer.place_all(officers.values(), placement)
            entry = (layer, set())
            keep(self._views, key, entry)
        elif entry[1]:
            entry[0].place(entry[1], officers, placement)
            entry[1].clear()
        self._current = key
        return entry[0]

    def place(
        self, officer_ids: set[str], officers: Mapping[str, Officer], placement: Placement | None
    ) -> None:
        """Units moved or changed: placed on the view shown (with its `placement`), noted
        for the others."""
        for key, (layer, moved) in self._views.items():
            if key == self._current and placement is not None:
                layer.place(officer_ids, officers, placement)
            else:
                moved |= officer_ids
