"""The product's exception tree: every exception it raises on purpose, translated once at each edge.

    MonitorError                    anything the user can act on; the message is Chinese, never a traceback
    ├── InputError (ValueError)     input that is not what it must be; raised by the pure domain and readers
    │   ├── PeriodError             text that is not a period (.code, e.g. bad_period)
    │   ├── UnitError               an unknown unit or a conversion across families (.code)
    │   ├── ReadError               a file that cannot be read as a table (.code, .column)
    │   ├── CatalogueInvalid        the catalogue has problems (.problems, every one of them)
    │   ├── InvalidTransition       an alert cannot take that step (acknowledging a resolved alert)
    │   └── ForecastFailed          a model could not be fitted to a series (handled inside the forecaster)
    ├── ConfigError                 the catalogue file cannot be read or is invalid (.path, .problems)
    ├── DatabaseError               the database is unreachable, full or not migrated
    ├── ClusterError                the Dask scheduler for forecast fits is unreachable or not installed
    ├── UsageError                  arguments that cannot work together or name nothing that exists
    ├── AlertError                  an alert cannot be acknowledged (unknown id, resolved, no note)
    ├── MailError                   a message could not be sent or written (recipient and why)
    └── PermissionDenied            the signed-in user's role or department does not allow the action

The edges: the CLI prints the message and exits 1 (OSError and a closed pipe too, naming the path);
the board shows the message in an alert component; scheduler jobs log it and carry on.
This module imports nothing from the product, so the pure domain can raise these classes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.domain.catalogue import CatalogueProblem

__all__ = [
    "AlertError",
    "CatalogueInvalid",
    "ClusterError",
    "ConfigError",
    "DatabaseError",
    "ForecastFailed",
    "InputError",
    "InvalidTransition",
    "MailError",
    "MonitorError",
    "PeriodError",
    "PermissionDenied",
    "ReadError",
    "UnitError",
    "UsageError",
]


class MonitorError(Exception):
    """An error with a message meant for the user (in Chinese), never a traceback."""


class InputError(MonitorError, ValueError):
    """Input that is not what it must be; the domain and the readers raise its subclasses."""


class PeriodError(InputError):
    """Text that is not a period; ``code`` is stable for tables, str(e) is Chinese for users."""

    def __init__(self, message: str, code: str = "bad_period") -> None:
        super().__init__(message)
        self.code = code


class UnitError(InputError):
    """An unknown unit or a conversion across families; str(e) is a Chinese message for users."""

    def __init__(self, message: str, code: str = "unit_mismatch") -> None:
        super().__init__(message)
        self.code = code


class ReadError(InputError):
    """The file cannot be turned into a table; `code` is an issue code, str(e) a Chinese message with the fix."""

    def __init__(self, code: str, message: str, column: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.column = column


class CatalogueInvalid(InputError):
    """The catalogue has problems; `.problems` lists all of them."""

    def __init__(self, problems: Sequence[CatalogueProblem]) -> None:
        self.problems = list(problems)
        super().__init__(f"指标目录有 {len(self.problems)} 处问题")


class InvalidTransition(InputError):
    """A signal the alert's state cannot take (acknowledging a resolved alert)."""


class ForecastFailed(InputError):
    """The model could not be fitted to this series (too short, degenerate, or a numerical failure)."""


class ConfigError(MonitorError):
    """The catalogue is missing, unreadable or invalid; `.problems` lists every problem."""

    def __init__(self, message: str, path: str = "", problems: Sequence[CatalogueProblem] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.problems = list(problems or [])


class DatabaseError(MonitorError):
    """The database cannot be reached, is full, or is not at the expected schema."""


class ClusterError(MonitorError):
    """The Dask scheduler the forecast fits should run on cannot be reached (or dask is not installed)."""


class UsageError(MonitorError):
    """Arguments that cannot work together or name something that does not exist."""


class AlertError(MonitorError):
    """An alert cannot be acknowledged (unknown id, resolved, or no name or note given)."""


class MailError(MonitorError):
    """A message could not be sent or written; the message says which recipient and why."""


class PermissionDenied(MonitorError):
    """The signed-in user's role or department does not allow this action (the board answers 403)."""
