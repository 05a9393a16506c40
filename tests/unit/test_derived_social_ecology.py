"""Derived social-ecology facts keep "not stated" apart from "stated absent"."""

from __future__ import annotations

from typing import Any

import pytest

from cvecheck.programme import Programme, evaluation_view


def _social_ecology(fragment: dict[str, Any]) -> dict[str, Any]:
    view = evaluation_view(Programme.model_validate({"social_ecology": fragment}))
    result: dict[str, Any] = view["social_ecology"]
    return result


@pytest.mark.parametrize(
    ("community", "expected"),
    [
        ({"resilience_building": True}, True),
        ({"resilience_building": False, "intercommunity_dialogue": True}, True),
        ({"resilience_building": False, "intercommunity_dialogue": False}, False),
        ({"resilience_building": False}, None),
        ({}, None),
    ],
)
def test_resilience_or_dialogue(community: dict[str, Any], expected: bool | None) -> None:
    derived = _social_ecology({"community": community})["community"]
    assert derived.get("resilience_or_dialogue") is expected


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({"socio_economic": ["employment"]}, True),
        ({"socio_economic": [], "structural_barriers_addressed": ["legal_status"]}, True),
        ({"socio_economic": [], "structural_barriers_addressed": []}, False),
        ({"socio_economic": []}, None),
        ({"structural_barriers_addressed": []}, None),
        ({"individual": True}, None),
    ],
)
def test_addresses_structural_factors(fragment: dict[str, Any], expected: bool | None) -> None:
    assert _social_ecology(fragment).get("addresses_structural_factors") is expected


def test_derived_facts_cannot_be_written_in_a_programme_file() -> None:
    with pytest.raises(ValueError, match="resilience_or_dialogue"):
        Programme.model_validate(
            {"social_ecology": {"community": {"resilience_or_dialogue": True}}}
        )


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({"family": {"work_with_family": True}}, True),
        ({"peers": {"peer_network_skills": False, "harmful_ties_management": True}}, True),
        ({"community": {"intercommunity_dialogue": True}}, True),
        ({"structural_barriers_addressed": ["political_exclusion"]}, True),
        (
            {
                "family": {"work_with_family": False},
                "peers": {"peer_network_skills": False, "harmful_ties_management": False},
                "community": {"resilience_building": False, "intercommunity_dialogue": False},
                "socio_economic": [],
                "structural_barriers_addressed": [],
            },
            False,
        ),
        (
            {
                "family": {"work_with_family": False},
                "peers": {"peer_network_skills": False, "harmful_ties_management": False},
                "socio_economic": [],
                "structural_barriers_addressed": [],
            },
            None,
        ),
        ({"individual": True}, None),
    ],
)
def test_beyond_individual(fragment: dict[str, Any], expected: bool | None) -> None:
    assert _social_ecology(fragment).get("beyond_individual") is expected
