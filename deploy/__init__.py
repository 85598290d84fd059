"""Production configuration: nginx in front of gunicorn (docs/deployment.md)."""
