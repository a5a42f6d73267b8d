"""Settings: the only place that reads environment variables.

MONITOR_DATABASE_URL   SQLAlchemy URL; default sqlite:///var/monitor.db under the working directory
MONITOR_CONFIG         path of the catalogue; default indicators.toml in the working directory,
                       falling back to the one shipped beside the package
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = Path("var") / "monitor.db"


@dataclass(frozen=True)
class Settings:
    database_url: str
    config_path: Path
    var_dir: Path

    def with_overrides(self, database_url: str | None = None, config_path: str | Path | None = None) -> Settings:
        return replace(
            self,
            database_url=database_url or self.database_url,
            config_path=Path(config_path) if config_path else self.config_path,
        )


def _default_config() -> Path:
    local = Path("indicators.toml")
    return local if local.exists() else PROJECT_ROOT / "indicators.toml"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read settings from the environment (or the mapping given, for tests)."""
    env = dict(os.environ) if env is None else env
    var_dir = Path(env.get("MONITOR_VAR_DIR", "var"))
    url = env.get("MONITOR_DATABASE_URL") or f"sqlite:///{var_dir / 'monitor.db'}"
    config = Path(env["MONITOR_CONFIG"]) if env.get("MONITOR_CONFIG") else _default_config()
    return Settings(database_url=url, config_path=config, var_dir=var_dir)
