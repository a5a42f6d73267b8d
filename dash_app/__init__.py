"""The Dash board: cockpit, indicator list, detail charts, alerts, imports and rankings (`app.create_app`)."""
