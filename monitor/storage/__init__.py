"""Storage adapter: SQLAlchemy engine, Alembic migrations and repositories that return frames."""
