from tests.alerts.sample_db import pg_sample_template, sample_url, sqlite_sample_file, sqlite_sample_url

__all__ = ["pg_sample_template", "sample_url", "sqlite_sample_file", "sqlite_sample_url"]
