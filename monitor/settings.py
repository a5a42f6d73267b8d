"""Settings: the only place that reads environment variables.

MONITOR_DATABASE_URL   SQLAlchemy URL; default sqlite:///var/monitor.db under the working directory
MONITOR_CONFIG         path of the catalogue; default indicators.toml in the working directory,
                       falling back to the one shipped beside the package
MONITOR_VAR_DIR        working folder (inbox, archive, outbox, lock files); default var
MONITOR_SMTP_HOST      SMTP server for the weekly digest; unset: digests are written to var/outbox/
MONITOR_SMTP_PORT      default 465 with SSL, else 587 (25 when MONITOR_SMTP_SECURITY=none)
MONITOR_SMTP_USER      login name (optional); MONITOR_SMTP_PASSWORD its password
MONITOR_SMTP_FROM      sender address (default: MONITOR_SMTP_USER, else monitor@localhost)
MONITOR_SMTP_SECURITY  starttls (default), ssl, or none (plain SMTP inside a trusted network)

Limits of one imported file (monitor/readers/limits.py says why each default):
MONITOR_IMPORT_MAX_FILE_MB          the file as sent (default 50)
MONITOR_IMPORT_MAX_UNCOMPRESSED_MB  an .xlsx once inflated (default 200)
MONITOR_IMPORT_MAX_ROWS             data rows (default 200000)
MONITOR_IMPORT_MAX_COLUMNS          columns of a sheet (default 500)
MONITOR_IMPORT_MAX_LINE_CHARS       characters in one CSV line (default 100000)
MONITOR_IMPORT_MAX_SECONDS          reading and checking one file (default 120)

MONITOR_BRIEFING_TEMPLATE  a Word file whose styles, 红头 fonts and margins the 简报 uses (default: the shipped one)
MONITOR_SOFFICE        LibreOffice's program for the PDF briefing (default soffice)
MONITOR_SOFFICE_TIMEOUT  seconds one PDF conversion may take before it is stopped (default 120)

MONITOR_PUBLIC_URL     the board's address as browsers reach it (https://jjyx.example.gov.cn/ behind a reverse
                       proxy); state-changing requests must come from it (Origin/Referer). Default: the Host asked
MONITOR_COOKIE_SECURE  1: session cookie only over HTTPS (default: on when MONITOR_PUBLIC_URL is https)
MONITOR_SECRET_KEY     key that signs session cookies (default: a random key per board process)
MONITOR_SESSION_IDLE_MINUTES  sign-out after this much inactivity (default 30; decimals allowed)
MONITOR_LOCKOUT_ATTEMPTS      failed sign-ins in a row that lock an account (default 5)
MONITOR_LOCKOUT_MINUTES       how long the lock lasts (default 15)
MONITOR_MAX_REQUEST_MB        largest request body the board accepts, refused before it is read (default 60)

Forecast fits (`monitor forecast refresh` and the scheduler's refresh):
MONITOR_DASK_SCHEDULER        address of a Dask distributed scheduler (tcp://host:8786); unset: a local process pool
MONITOR_DASK_CONNECT_TIMEOUT  seconds to wait for that scheduler before giving up (default 10)
MONITOR_FORECAST_BATCH        most series fitted in one task sent to a pool process or cluster worker (default 200)

The board's server (monitor serve, monitor run):
MONITOR_BOARD_WORKERS   worker processes (default 2 on Linux: gunicorn; 1: one waitress process, the default elsewhere)
MONITOR_BOARD_THREADS   threads per worker process (default 8)
MONITOR_BOARD_CACHE_MB  size of the page cache the workers share under var/board/ (default 256)
MONITOR_BOARD_REGION_OPTIONS  most regions a 地区 selector lists at once (default 40): the district and its
                        streets first; typing in the selector asks the server for the matching ones
MONITOR_SERVING_URL     set by `monitor run` for its scheduler process: the board's address, the emails' last resort
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path

from monitor.errors import UsageError
from monitor.readers.limits import MIB, ReadLimits

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = Path("var") / "monitor.db"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str = ""
    password: str = ""
    sender: str = "monitor@localhost"
    security: str = "starttls"  # starttls | ssl | none


SMTP_SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class AuthSettings:
    """Sign-in and request limits of the board (see the module docstring for the variables)."""

    public_url: str = ""
    cookie_secure: bool = False
    secret_key: str = ""
    session_idle_minutes: float = 30.0
    lockout_attempts: int = 5
    lockout_minutes: float = 15.0
    max_request_mb: float = 60.0

    @property
    def max_request_bytes(self) -> int:
        return int(self.max_request_mb * 1024 * 1024)


def default_workers() -> int:
    """Several gunicorn workers where gunicorn runs (Linux), else one waitress process."""
    return 2 if sys.platform.startswith("linux") else 1


@dataclass(frozen=True)
class BoardServerSettings:
    """How the board is served: worker processes, threads each, and the shared page cache's size."""

    workers: int = field(default_factory=default_workers)
    threads: int = 8
    cache_mb: float = 256.0
    region_options: int = 40


@dataclass(frozen=True)
class ClusterSettings:
    """Where forecast fits run (see the module docstring): `scheduler` empty means the local pool."""

    scheduler: str = ""
    connect_timeout: float = 10.0
    batch: int = 200


@dataclass(frozen=True)
class Settings:
    database_url: str
    config_path: Path
    var_dir: Path
    smtp: SmtpSettings | None = None
    smtp_problem: str | None = None  # a bad MONITOR_SMTP_* value, reported when mail is sent
    import_limits: ReadLimits = field(default_factory=ReadLimits)
    briefing_template: Path | None = None
    soffice: str = "soffice"
    soffice_timeout: float = 120.0
    auth: AuthSettings = field(default_factory=AuthSettings)
    auth_problem: str | None = None  # a bad MONITOR_* sign-in value, reported when the board starts
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    serving_url: str = ""  # where this process serves the board (monitor run/serve set it): the emails' last resort

    def board_link(self, configured: str = "") -> str:
        """The board's address in emails: MONITOR_PUBLIC_URL, else `[notify] board_url` (`configured`), else
        the address this process serves the board on, else the default http://127.0.0.1:8050/."""
        return self.auth.public_url or configured or self.serving_url or DEFAULT_BOARD_URL

    server: BoardServerSettings = field(default_factory=BoardServerSettings)

    def with_overrides(self, database_url: str | None = None, config_path: str | Path | None = None) -> Settings:
        return replace(
            self,
            database_url=database_url or self.database_url,
            config_path=Path(config_path) if config_path else self.config_path,
        )


DEFAULT_BOARD_URL = "http://127.0.0.1:8050/"
"""The board's address when nothing says otherwise: `monitor serve` and `monitor run` listen there by default."""


def _default_config() -> Path:
    local = Path("indicators.toml")
    return local if local.exists() else PROJECT_ROOT / "indicators.toml"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment (or the mapping given, for tests)."""
    env = dict(os.environ) if env is None else env
    var_dir = Path(env.get("MONITOR_VAR_DIR", "var"))
    url = env.get("MONITOR_DATABASE_URL") or f"sqlite:///{var_dir / 'monitor.db'}"
    config = Path(env["MONITOR_CONFIG"]) if env.get("MONITOR_CONFIG") else _default_config()
    try:
        smtp, problem = _smtp(env), None
    except ValueError as exc:
        smtp, problem = None, str(exc)
    template = env.get("MONITOR_BRIEFING_TEMPLATE", "").strip()
    try:
        auth, auth_problem = _auth(env), None
    except UsageError as exc:
        auth, auth_problem = AuthSettings(), str(exc)
    return Settings(
        database_url=url,
        config_path=config,
        var_dir=var_dir,
        smtp=smtp,
        smtp_problem=problem,
        import_limits=_import_limits(env),
        briefing_template=Path(template) if template else None,
        soffice=env.get("MONITOR_SOFFICE", "").strip() or "soffice",
        soffice_timeout=_positive(env, "MONITOR_SOFFICE_TIMEOUT", 120.0),
        auth=auth,
        auth_problem=auth_problem,
        cluster=_cluster(env),
        serving_url=env.get("MONITOR_SERVING_URL", "").strip(),
        server=BoardServerSettings(
            workers=int(_positive(env, "MONITOR_BOARD_WORKERS", default_workers())),
            threads=int(_positive(env, "MONITOR_BOARD_THREADS", 8)),
            cache_mb=_positive(env, "MONITOR_BOARD_CACHE_MB", 256.0),
            region_options=int(_positive(env, "MONITOR_BOARD_REGION_OPTIONS", 40)),
        ),
    )


def _positive(env: dict[str, str], name: str, default: float) -> float:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise UsageError(f"环境变量 {name}=“{text}” 不是数字：请改为正数或删去这个变量（使用默认值）") from None
    if value <= 0:
        raise UsageError(f"环境变量 {name}=“{text}” 应大于 0：请改为正数或删去这个变量（使用默认值）")
    return value


def _cluster(env: dict[str, str]) -> ClusterSettings:
    return ClusterSettings(
        scheduler=env.get("MONITOR_DASK_SCHEDULER", "").strip(),
        connect_timeout=_positive(env, "MONITOR_DASK_CONNECT_TIMEOUT", 10.0),
        batch=max(1, int(_positive(env, "MONITOR_FORECAST_BATCH", 200))),
    )


def _import_limits(env: dict[str, str]) -> ReadLimits:
    """The limits of one imported file; a bad value is a UsageError naming the variable."""
    d = ReadLimits()
    return ReadLimits(
        max_file_bytes=int(_positive(env, "MONITOR_IMPORT_MAX_FILE_MB", d.max_file_bytes / MIB) * MIB),
        max_uncompressed_bytes=int(
            _positive(env, "MONITOR_IMPORT_MAX_UNCOMPRESSED_MB", d.max_uncompressed_bytes / MIB) * MIB
        ),
        max_rows=int(_positive(env, "MONITOR_IMPORT_MAX_ROWS", d.max_rows)),
        max_columns=int(_positive(env, "MONITOR_IMPORT_MAX_COLUMNS", d.max_columns)),
        max_line_chars=int(_positive(env, "MONITOR_IMPORT_MAX_LINE_CHARS", d.max_line_chars)),
        max_seconds=_positive(env, "MONITOR_IMPORT_MAX_SECONDS", d.max_seconds),
    )


def _auth(env: dict[str, str]) -> AuthSettings:
    """The board's sign-in settings; a bad number is a UsageError naming the variable."""
    public = env.get("MONITOR_PUBLIC_URL", "").strip()
    secure_text = env.get("MONITOR_COOKIE_SECURE", "").strip().lower()
    secure = secure_text in ("1", "true", "yes") if secure_text else public.lower().startswith("https://")
    return AuthSettings(
        public_url=public,
        cookie_secure=secure,
        secret_key=env.get("MONITOR_SECRET_KEY", ""),
        session_idle_minutes=_positive(env, "MONITOR_SESSION_IDLE_MINUTES", 30.0),
        lockout_attempts=int(_positive(env, "MONITOR_LOCKOUT_ATTEMPTS", 5)),
        lockout_minutes=_positive(env, "MONITOR_LOCKOUT_MINUTES", 15.0),
        max_request_mb=_positive(env, "MONITOR_MAX_REQUEST_MB", 60.0),
    )


def _smtp(env: dict[str, str]) -> SmtpSettings | None:
    """SMTP settings, or None when MONITOR_SMTP_HOST is unset; ValueError names a bad variable."""
    host = env.get("MONITOR_SMTP_HOST", "").strip()
    if not host:
        return None
    security = env.get("MONITOR_SMTP_SECURITY", "starttls").strip().lower() or "starttls"
    if security not in SMTP_SECURITY:
        raise ValueError(f"MONITOR_SMTP_SECURITY=“{security}” 无效：可选 starttls、ssl、none")
    default_port = {"ssl": 465, "starttls": 587, "none": 25}[security]
    port_text = env.get("MONITOR_SMTP_PORT", "").strip()
    if port_text and not port_text.isdigit():
        raise ValueError(f"MONITOR_SMTP_PORT=“{port_text}” 不是端口号")
    user = env.get("MONITOR_SMTP_USER", "")
    return SmtpSettings(
        host=host,
        port=int(port_text) if port_text else default_port,
        user=user,
        password=env.get("MONITOR_SMTP_PASSWORD", ""),
        sender=env.get("MONITOR_SMTP_FROM", "") or (user if "@" in user else "monitor@localhost"),
        security=security,
    )
