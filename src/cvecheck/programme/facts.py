"""The facts derived from a programme's stated fields, in plain code: one implementation.

Each fact is a function of one block of the file. A block is either plain data (a dict from
the loader, on the fast path) or a section model (``Programme``'s computed fields call these
same functions), so the two ways of checking a file cannot drift apart. ``DERIVED`` lists
every fact by the block it belongs to, in the order the model declares them; the evaluation
view (``view.evaluation_view``) adds them beside the stated fields.

No pydantic here: ``cvecheck check`` computes these on every clean file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

SCHEMA_VERSION = "1"
COMPLETE_SUFFIX = "_complete"
NONE_ITEM = "none"
"""A list item that states absence (``tools: [none]``), which makes the list complete."""
CLOSED_MARK = "x-complete-as-written"
"""Schema mark of a list that is read as complete as written (``programme.stages``)."""

DELIVERING_ROLES = ("mentor", "counsellor", "messenger", "trainer", "online_outreach")
"""Formers' roles that put them in front of participants or audiences."""


def get(block: Any, name: str) -> Any:
    """Field ``name`` of a block, plain data or model; None when the block or field is absent."""
    if type(block) is dict:  # the plain path: checked first, as it runs for every fact
        return block.get(name)
    if block is None:
        return None
    if isinstance(block, Mapping):
        return block.get(name)
    return getattr(block, name, None)


def is_complete(block: Any, name: str) -> bool | None:
    """The ``<name>_complete`` answer beside the list ``name``."""
    answer = get(block, name + COMPLETE_SUFFIX)
    return answer if isinstance(answer, bool) else None


# --- tri-state helpers ---------------------------------------------------------------------


def listed(items: list[Any] | None, complete: bool | None, *values: Any) -> bool | None:
    """Whether a list holds any of ``values``, tri-state and open-world.

    True if it does; False only if the list states the whole answer (``[]``, ``[none]`` or
    marked complete); None when it does not say (unstated, or open without them).
    """
    if items is None:
        return None
    if any(value in items for value in values):
        return True
    if not items or NONE_ITEM in items or complete is True:
        return False
    return None


def any_true(*answers: bool | None) -> bool | None:
    """Either-or facts, tri-state: true if any answer is yes, false only if every one is no."""
    if any(answer is True for answer in answers):
        return True
    if all(answer is False for answer in answers):
        return False
    return None


def non_empty(items: list[Any] | None) -> bool | None:
    """A stated list as an answer: a non-empty list is yes, ``[]`` is no, absent is unknown."""
    return None if items is None else len(items) > 0


# --- facts of the whole programme ------------------------------------------------------------


def review_scope(root: Any) -> str | None:
    stages = get(get(root, "programme"), "stages")
    if not stages:
        return None
    if all(stage == "primary" for stage in stages):
        return "primary_only"
    return "mixed" if "primary" in stages else "secondary_tertiary"


def uses_formers(root: Any) -> bool | None:
    staff = get(root, "staff")
    if staff and any(get(member, "is_former") for member in staff):
        return True
    used = get(get(root, "formers"), "used")
    if used is not None:
        return bool(used)
    # Staff who are all not formers say nothing of formers elsewhere unless the staff list is
    # the whole team.
    if (
        staff
        and is_complete(root, "staff")
        and all(get(member, "is_former") is False for member in staff)
    ):
        return False
    return None


def formers_deliver(root: Any) -> bool | None:
    # A former who only advises, informs research or appears in material the programme reuses
    # faces no audience, so the rules on training, credibility, motivations, safety and
    # supervision of delivery do not concern them.
    staff = get(root, "staff")
    if staff and any(get(member, "is_former") for member in staff):
        return True
    if uses_formers(root) is False:
        return False
    formers = get(root, "formers")
    complete = is_complete(formers, "roles") if formers is not None else None
    return listed(get(formers, "roles"), complete, *DELIVERING_ROLES)


def has_caseload(root: Any) -> bool | None:
    info = get(root, "programme")
    if info is None:
        return None
    explicit = get(info, "works_with_individuals")
    if explicit is not None:
        return bool(explicit)  # the explicit answer wins, as for online work
    return listed(get(info, "kinds_of_work"), is_complete(info, "kinds_of_work"), "case_work")


def has_online_component(root: Any) -> bool | None:
    info = get(root, "programme")
    delivery = get(root, "delivery")
    online = get(root, "online")
    settings = (
        listed(get(info, "settings"), is_complete(info, "settings"), "online")
        if info is not None
        else None
    )
    signs = [
        settings,
        listed(get(info, "kinds_of_work"), None, "online_outreach") if info is not None else None,
        listed(get(delivery, "components"), None, "online") if delivery is not None else None,
        True if info is not None and get(info, "geography") == "online_only" else None,
        True if online is not None and get(online, "components") else None,
    ]
    # The explicit answer wins, so completing an open list never overrides it.
    explicit = get(info, "online_work")
    if explicit is not None:
        return bool(explicit)
    if any(sign is True for sign in signs):
        return True
    return False if settings is False else None


def works_with_parole(root: Any) -> bool | None:
    info = get(root, "programme")
    if info is None:
        return None
    return listed(get(info, "settings"), is_complete(info, "settings"), "parole", "probation")


def works_with_returnees(root: Any) -> bool | None:
    settings = get(get(root, "programme"), "settings")
    population = get(get(root, "target_population"), "includes_returnees")
    if population is not None:
        return bool(population)  # the explicit answer wins over an open settings list
    return True if settings and "returnees" in settings else None


def is_tertiary(root: Any) -> bool | None:
    info = get(root, "programme")
    if info is None:
        return None
    stages = get(info, "stages")
    if stages:
        # programme.stages is read as complete, so a stated list decides.
        return "tertiary" in stages
    return True if listed(get(info, "settings"), None, "prison", "probation", "parole") else None


# --- facts of one section --------------------------------------------------------------------


def needs_without_alternative(needs: Any) -> list[str] | None:
    considered = get(needs, "core_needs_considered")
    alternatives = get(needs, "prosocial_alternatives")
    if considered is None or alternatives is None:
        return None
    met = {get(alternative, "need") for alternative in alternatives}
    return [need for need in dict.fromkeys(considered) if need not in met]


def resilience_or_dialogue(community: Any) -> bool | None:
    return any_true(
        get(community, "resilience_building"), get(community, "intercommunity_dialogue")
    )


def beyond_individual(ecology: Any) -> bool | None:
    family, peers = get(ecology, "family"), get(ecology, "peers")
    community = get(ecology, "community")
    return any_true(
        get(family, "work_with_family"),
        get(peers, "peer_network_skills"),
        get(peers, "harmful_ties_management"),
        resilience_or_dialogue(community) if community is not None else None,
        addresses_structural_factors(ecology),
    )


def addresses_structural_factors(ecology: Any) -> bool | None:
    return any_true(
        non_empty(get(ecology, "socio_economic")),
        non_empty(get(ecology, "structural_barriers_addressed")),
    )


def partner_sector_count(agencies: Any) -> int | None:
    partners = get(agencies, "partners")
    if partners is None:
        return None
    return len({get(partner, "sector") for partner in partners})


def uses_alternative_platforms(online: Any) -> bool | None:
    platforms = get(online, "platforms")
    categories = None if platforms is None else [get(p, "category") for p in platforms]
    return listed(
        categories, is_complete(online, "platforms"), "alternative", "encrypted_messaging", "gaming"
    )


def data_source_count(risk: Any) -> int | None:
    sources = get(risk, "data_sources")
    return None if sources is None else len(set(sources))


Fact = Callable[[Any], Any]

DERIVED: dict[tuple[str, ...], tuple[tuple[str, Fact], ...]] = {
    (): (
        ("review_scope", review_scope),
        ("uses_formers", uses_formers),
        ("formers_deliver", formers_deliver),
        ("has_caseload", has_caseload),
        ("has_online_component", has_online_component),
        ("works_with_parole", works_with_parole),
        ("works_with_returnees", works_with_returnees),
        ("is_tertiary", is_tertiary),
    ),
    ("needs_assessment",): (("needs_without_alternative", needs_without_alternative),),
    ("social_ecology",): (
        ("beyond_individual", beyond_individual),
        ("addresses_structural_factors", addresses_structural_factors),
    ),
    ("social_ecology", "community"): (("resilience_or_dialogue", resilience_or_dialogue),),
    ("multi_agency",): (("partner_sector_count", partner_sector_count),),
    ("online",): (("uses_alternative_platforms", uses_alternative_platforms),),
    ("risk_assessment",): (("data_source_count", data_source_count),),
}
"""Every derived fact, by the path of the block it belongs to, in the model's order (a test
checks this table against the model's computed fields)."""


# --- where derived facts are answered --------------------------------------------------------

DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "uses_formers": ("formers",),
    "review_scope": ("programme", "stages"),
    "formers_deliver": ("formers", "roles"),
    "has_caseload": ("programme", "works_with_individuals"),
    "has_online_component": ("programme", "online_work"),
    "works_with_parole": ("programme", "settings"),
    "works_with_returnees": ("target_population", "includes_returnees"),
    "is_tertiary": ("programme", "stages"),
}
"""Where in a file the facts behind each top-level derived field are stated, so a question
about one points at the place to answer it rather than at the top of the file."""


DERIVED_QUESTIONS: dict[str, str] = {
    "uses_formers": "Does the programme involve former extremists in any role (formers.used)?",
    "formers_deliver": "Do formers deliver to participants or audiences (as mentors, "
    "counsellors, messengers, trainers or online outreach), or do they only advise, inform "
    "research or appear in existing content? List their roles (formers.roles) and, if that is "
    "all of them, write roles_complete: true.",
    "has_caseload": "Does the programme do one-to-one case work with referred people? Write "
    "programme.works_with_individuals: true or false, or list the kinds of work "
    "(programme.kinds_of_work).",
    "has_online_component": "Does the programme do any online work? Write "
    "programme.online_work: true or false.",
    "works_with_parole": "Does the programme work with people on parole or probation? List "
    "parole or probation in programme.settings, or write settings_complete: true.",
    "works_with_returnees": "Does the programme support people returning from conflict zones "
    "(target_population.includes_returnees)?",
    "programme.stages": "Which prevention stages does the programme serve: primary, secondary, "
    "tertiary (programme.stages)?",
}
"""One wording for each derived gate, whichever rule asks it, naming the field that answers."""

QUESTION_FIELD: dict[str, str] = {
    "is_tertiary": "programme.stages",
    "review_scope": "programme.stages",
}
"""Derived facts answered by one stated field: asked about as that field, so it is asked once."""
