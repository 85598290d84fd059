"""Figure builders: pure functions, data in, plotly figure out. No Dash, no I/O."""
