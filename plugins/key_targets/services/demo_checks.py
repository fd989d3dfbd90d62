"""Demo tenant inspections of empty homes (some failing, then re-inspected) and mystery shops on
each channel the organisation shops, with a finding turned into an action; see ``demo``."""

from __future__ import annotations

import random
from datetime import timedelta

from core import plugin_kit
from plugins.key_targets.services import inspections, shopping


def inspections_demo(rng: random.Random, households, people, settings) -> None:
    checklist = [item["key"] for item in settings["relet_standard_checklist"]]
    today = plugin_kit.today()
    homes = rng.sample(households, min(12, len(households)))
    for n, home in enumerate(homes):
        day = today - timedelta(days=20 + 28 * n)
        failing = set(rng.sample(checklist, rng.choice([0, 0, 0, 1, 2]))) if n % 3 else set()
        first = inspections.record_inspection(
            {
                "household_id": home.id,
                "inspected_on": day,
                "inspector_id": people[n % len(people)].id if people else None,
                "results": [
                    {
                        "item": key,
                        "passed": key not in failing,
                        "comment": "Not to standard at handover; returned to the voids contractor."
                        if key in failing
                        else None,
                    }
                    for key in checklist
                ],
            }
        )
        if failing:
            inspections.record_inspection(
                {
                    "household_id": home.id,
                    "inspected_on": day + timedelta(days=7),
                    "reinspection_of_id": first.id,
                    "results": [{"item": key, "passed": True} for key in checklist],
                }
            )


def shopping_demo(rng: random.Random, people, settings) -> None:
    scenarios = {
        "phone": ("Report a repair by phone", ["answered_quickly", "polite", "right_first_time"]),
        "visit": ("Ask about moving home at the office", ["welcome", "knowledge", "follow_up"]),
        "email": ("Complain about estate cleaning by email", ["acknowledged", "answered_in_time", "clear"]),
        "web": ("Find how to join the Customer Forum online", ["easy_to_find", "accessible", "up_to_date"]),
    }
    maximum = settings["mystery_shopping_max_score"]
    today = plugin_kit.today()
    for channel in settings["mystery_shopping_channels"]:
        title, criteria = scenarios[channel]
        scenario = shopping.save_scenario(
            None,
            {
                "title": title,
                "channel": channel,
                "criteria": [{"key": c, "label": c.replace("_", " ").capitalize()} for c in criteria],
            },
        )
        for n in range(4):
            shop = shopping.record_shop(
                {
                    "scenario_id": scenario.id,
                    "shopped_on": today - timedelta(days=10 + 85 * n + rng.randint(0, 20)),
                    "shopper_id": rng.choice(people).id,
                    "scores": {c: rng.randint(max(0, maximum - 3), maximum) for c in criteria},
                }
            )
            if n == 1:
                shopping.add_finding(
                    shop,
                    {
                        "text": f"{title}: the shopper was not told what would happen next.",
                        "due_on": shop.shopped_on + timedelta(days=30),
                        "owner": "Customer Services Team",
                    },
                )
