"""What a browser posts to Dash Pages' router (the page_container's dcc.Location changed), and
the page's title and language in its answer: for tests that make the request by hand."""

from __future__ import annotations

from dashboard import app_data, ids
from dashboard.app import PAGES_CONTENT

LOCATION = app_data.PAGES_LOCATION
OUTPUT = f"..{PAGES_CONTENT}.children..._pages_store.data.."


def router_request(path: str, search: str = "", changed: str = "pathname") -> dict:
    address = [
        {"id": LOCATION, "property": "pathname", "value": path},
        {"id": LOCATION, "property": "search", "value": search},
    ]
    return {
        "output": OUTPUT,
        "outputs": [
            {"id": PAGES_CONTENT, "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": address,
        "state": address,  # the layouts get the address too (routing_callback_inputs)
        "changedPropIds": [f"{LOCATION}.{changed}"],
    }


def page_title(answer: dict) -> dict | None:
    """The page's title store ({"title", "lang"}) in a router answer, wherever it is."""
    stack = [answer["response"][PAGES_CONTENT]["children"]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            props = node.get("props", {})
            if props.get("id") == ids.PAGE_TITLE:
                return props["data"]
            stack.append(props.get("children"))
    return None
