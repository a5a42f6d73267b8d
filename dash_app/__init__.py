"""The Dash board (built in a later issue): cockpit, indicators, detail charts, alerts, imports."""
