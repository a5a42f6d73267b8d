"""A page whose database is down says so in Chinese and works again once the database is back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from dash_app.components import DATABASE_UNAVAILABLE, guarded


def test_a_database_outage_is_a_message_and_the_next_request_recovers(tmp_path: Any) -> None:
    state = {"down": True}
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")

    @guarded
    def page() -> Any:
        if state["down"]:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar()

    box = page()
    assert box.children == DATABASE_UNAVAILABLE
    assert "OperationalError" not in str(box.children)
    state["down"] = False
    assert page() == 1
