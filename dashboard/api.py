"""Read-only HTTP answers for other programs: the ingest's status and a health check.

GET /api/status  the published version and every file's status (schema: docs/ingest.md)
GET /healthz     200 once a snapshot is published, 503 before (for a load balancer)
"""

from __future__ import annotations

from flask import Flask, jsonify

from dashboard.data.store import RankingStore

STATUS_PATH = "api/status"
HEALTH_PATH = "healthz"


def status_document(store: RankingStore) -> dict:
    """What /api/status answers: the snapshot this worker serves, as published."""
    snapshot = store.snapshot()
    return {
        "version": snapshot.version,
        "published_at": snapshot.published_at,
        "files": [
            {
                "name": f.name,
                "status": f.status,
                "checkpoint": f.checkpoint,
                "rows": f.rows,
                "warnings": list(f.warnings),
                "warning_words": list(getattr(f, "warning_words", ())),
                "using_last_good": f.using_last_good,
                "error": None
                if f.error is None
                else {
                    "row": f.error.get("row"),
                    "column": f.error.get("column"),
                    "message": f.error.get("message"),
                    "found": f.error.get("found"),
                    # the message by key and parameters (texts/*.json), for other languages
                    "words": f.error.get("words"),
                },
            }
            for f in snapshot.files
        ],
    }


def register(server: Flask, store: RankingStore, prefix: str = "/") -> None:
    def status():
        response = jsonify(status_document(store))
        response.headers["Cache-Control"] = "no-store"
        return response

    def health():
        published = store.snapshot().published_at is not None
        response = jsonify({"ok": published, "version": store.version()})
        response.status_code = 200 if published else 503
        response.headers["Cache-Control"] = "no-store"
        return response

    server.add_url_rule(prefix + STATUS_PATH, "api_status", status)
    server.add_url_rule(prefix + HEALTH_PATH, "healthz", health)
