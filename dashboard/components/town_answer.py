"""The answer to "when do the cars pass my town?", in words, from passage_times.town_answer()."""

from __future__ import annotations

from dash import html

from dashboard.i18n import format_number, texts


def _km(value: float, lang: str) -> str:
    return format_number(value, lang, 1 if value < 10 else 0)


def town_answer_view(answer: dict, lang: str) -> list:
    labels = texts(lang)
    town = answer["town"]
    summary = answer["summary"]
    by_route = {a["route_id"]: a for a in answer["routes"]}
    stage_names = {rid: labels[f"route.{rid}"] for rid in by_route}
    if summary["stages_through"]:
        headline = labels["town.passes_2020"].format(
            town=town.label, stages=", ".join(stage_names[s] for s in summary["stages_through"])
        )
    else:
        nearest = by_route[summary["nearest_stage"]]
        headline = labels["town.off_2020"].format(
            town=town.label,
            km=_km(nearest["distance_km"], lang),
            stage=stage_names[summary["nearest_stage"]],
            direction=labels.get(f"direction.{nearest['direction']}", "–"),
        )
    items = []
    for route_id, a in by_route.items():
        historic = route_id in ("1927", "1955")
        if historic:
            text = (
                labels["town.historic_passes"].format(year=route_id)
                if a["passes"]
                else labels["town.historic_near"].format(
                    year=route_id, km=_km(a["distance_km"], lang)
                )
            )
            items.append(html.Li(text))
            continue
        if a["passes"]:
            parts = [html.Strong(stage_names[route_id] + ": "), labels["town.route_passes"]]
            if a["time_kind"] in ("planned", "observed"):
                key = f"town.time_{a['time_kind']}"
                parts.append(" · " + labels[key].format(time=a["time"], place=a["time_place"]))
            elif a["time_kind"] == "estimate":
                (before, after), kinds = a["estimate_from"], a.get("estimate_kinds") or ()
                words = {"time": a["time"], "a": before, "b": after}
                if all(kinds):  # say which of the two times were planned and which observed
                    kind_a, kind_b = (labels[f"town.kind.{k}"] for k in kinds)
                    time_a, time_b = a["estimate_times"]
                    text = labels["town.time_estimate_kinds"].format(
                        **words, kind_a=kind_a, kind_b=kind_b, time_a=time_a, time_b=time_b
                    )
                else:
                    text = labels["town.time_estimate"].format(**words)
                parts.append(" · " + text)
        else:
            parts = [
                stage_names[route_id] + ": ",
                labels["town.route_near"].format(
                    km=_km(a["distance_km"], lang),
                    direction=labels.get(f"direction.{a['direction']}", "–"),
                    place=a["nearest_place"]["name"],
                ),
            ]
        items.append(html.Li(parts, className="passes" if a["passes"] else "near"))
    return [
        html.P(html.Strong(headline), className="town-headline"),
        html.Ul(items, className="town-routes"),
        html.P(
            [
                labels["town.within"].format(
                    km=format_number(answer["routes"][0]["through_km"], lang, 0)
                ),
                " ",
                labels["town.attribution"],
            ],
            className="help",
        ),
    ]
