"""Derived facts used by the formers rules: whether formers deliver, and needs left unmet."""

from __future__ import annotations

from typing import Any

import pytest

from cvecheck.programme import Programme, evaluation_view


def view(fragment: dict[str, Any]) -> dict[str, Any]:
    return evaluation_view(Programme.model_validate(fragment))


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({"formers": {"used": True, "roles": ["mentor"]}}, True),
        ({"formers": {"used": True, "roles": ["research_informant", "messenger"]}}, True),
        # roles is an open list: an informant alone does not say no other former delivers
        (
            {"formers": {"used": True, "roles": ["research_informant"], "roles_complete": True}},
            False,
        ),
        (
            {
                "formers": {
                    "used": True,
                    "roles": ["adviser", "shown_in_content"],
                    "roles_complete": True,
                }
            },
            False,
        ),
        ({"formers": {"used": True, "roles": []}}, False),
        ({"formers": {"used": False}}, False),
        ({"staff": [{"role": "mentor", "is_former": True}]}, True),
        # staff who are formers deliver, whatever formers.roles says
        (
            {
                "staff": [{"role": "mentor", "is_former": True}],
                "formers": {"roles": ["research_informant"]},
            },
            True,
        ),
    ],
)
def test_formers_deliver(fragment: dict[str, Any], expected: bool) -> None:
    assert view(fragment)["formers_deliver"] is expected


@pytest.mark.parametrize(
    "fragment",
    [
        {},
        {"formers": {"used": True}},
        {"formers": {"used": True, "roles": ["research_informant"]}},
        {"staff": [{"role": "mentor", "is_former": False}]},
    ],
)
def test_formers_deliver_unstated_is_absent_from_the_view(fragment: dict[str, Any]) -> None:
    assert "formers_deliver" not in view(fragment)


def test_needs_without_alternative_lists_each_unmet_need_once_in_order() -> None:
    data = view(
        {
            "needs_assessment": {
                "core_needs_considered": ["significance", "identity", "belonging", "identity"],
                "prosocial_alternatives": [{"need": "identity", "alternative": "youth club"}],
            }
        }
    )
    assert data["needs_assessment"]["needs_without_alternative"] == ["significance", "belonging"]


def test_needs_without_alternative_is_empty_when_every_need_is_met() -> None:
    data = view(
        {
            "needs_assessment": {
                "core_needs_considered": ["belonging"],
                "prosocial_alternatives": [
                    {"need": "belonging", "alternative": "sports team"},
                    {"need": "purpose", "alternative": "volunteering"},
                ],
            }
        }
    )
    assert data["needs_assessment"]["needs_without_alternative"] == []


@pytest.mark.parametrize(
    "needs",
    [
        {"core_needs_considered": ["identity"]},
        {"prosocial_alternatives": [{"need": "identity", "alternative": "mentoring"}]},
    ],
)
def test_needs_without_alternative_needs_both_lists(needs: dict[str, Any]) -> None:
    data = view({"needs_assessment": needs})
    assert "needs_without_alternative" not in data["needs_assessment"]
