"""Pages: each has layout(...) and register_callbacks(app, ...)."""
