"""地区 selectors that list a bounded number of regions and ask the server for the others as the person types.

At county scale a catalogue holds thousands of regions; shipping them all in every page made each
selector's list part of every cockpit load. A page lists the district, its streets and the region shown
(at most MONITOR_BOARD_REGION_OPTIONS entries); typing sends the text here and the answer is the matching
regions, bounded the same way, so any region can still be picked.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback

from dash_app import ids
from dash_app.board_state import board
from dash_app.components import region_options

__all__ = ["choices", "matching_regions"]


def choices(indicator: str | None = None, keep: str | None = None) -> list[dict[str, str]]:
    """The list a 地区 selector opens with: the first regions in board order, and `keep` (the one shown)."""
    b = board()
    return region_options(b.catalogue, b.settings.server.region_options, indicator=indicator, keep=keep)


def matching_regions(search: str | None, value: str | None, indicator: str | None = None) -> object:
    """The regions whose name or code contains the typed text (the one selected kept), or no change."""
    if not search or not search.strip():
        return dash.no_update
    b = board()
    code = indicator if indicator in b.catalogue.indicators else None
    return region_options(b.catalogue, b.settings.server.region_options, indicator=code, search=search, keep=value)


def _plain(search: str | None, value: str | None) -> object:
    return matching_regions(search, value)


for _selector in (ids.COCKPIT_REGION, ids.LIST_REGION):
    callback(
        Output(_selector, "options"),
        Input(_selector, "search_value"),
        State(_selector, "value"),
        prevent_initial_call=True,
    )(_plain)
callback(
    Output(ids.DETAIL_REGION, "options"),
    Input(ids.DETAIL_REGION, "search_value"),
    State(ids.DETAIL_REGION, "value"),
    State(ids.DETAIL_CODE, "data"),
    prevent_initial_call=True,
)(matching_regions)
