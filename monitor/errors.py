"""The product's exception tree, translated into a clean message at every edge.

    MonitorError                    anything the user can act on; CLI prints it and exits 1
    ├── ConfigError                 the catalogue file cannot be read or is invalid (.problems)
    ├── DatabaseError               the database is unreachable or not migrated
    └── UsageError                  a command was given arguments it cannot work with

Domain modules raise their own ValueError subclasses (PeriodError, UnitError, CatalogueInvalid);
adapters wrap them into these where a user sees them.
"""

from __future__ import annotations

from monitor.domain.catalogue import CatalogueProblem


class MonitorError(Exception):
    """An error with a message meant for the user (in Chinese), never a traceback."""


class ConfigError(MonitorError):
    """The catalogue is missing, unreadable or invalid; `.problems` lists every problem."""

    def __init__(self, message: str, path: str = "", problems: list[CatalogueProblem] | None = None):
        super().__init__(message)
        self.path = path
        self.problems = problems or []


class DatabaseError(MonitorError):
    """The database cannot be reached or is not at the expected schema."""


class UsageError(MonitorError):
    """Arguments that cannot work together or name something that does not exist."""
