"""The whole programme: the root model, the facts derived across sections, and parsing.

A value means "stated"; ``false``, ``none`` or an empty list mean "stated absent". Unknown keys
and wrong types are input errors with a line and column (see ``parse_programme``). Facts that
combine several sections are computed fields of the root, so rules stay data.
"""

from functools import cache
from typing import Any, Literal

from pydantic import ConfigDict, ValidationError, computed_field

from cvecheck.loader import Loaded
from cvecheck.programme.errors import validation_issues
from cvecheck.programme.fields import Section, listed, open_lists, stated
from cvecheck.programme.introspection import declaration_order, model_paths
from cvecheck.programme.sections import (
    CommunityAndReporting,
    Continuity,
    Delivery,
    Evaluation,
    Formers,
    Gender,
    MultiAgency,
    NeedsAssessment,
    Online,
    ProgrammeInfo,
    Reintegration,
    RiskAssessment,
    SocialEcology,
    SourceLink,
    StaffMember,
    TargetPopulation,
    WaiverEntry,
)
from cvecheck.results import InputError

# --- the whole programme ---------------------------------------------------------------------


@open_lists
class Programme(Section):
    """A description of one secondary or tertiary intervention programme."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="cvecheck programme description",
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://cvecheck.invalid/schema/programme-1.json",
        },
    )

    schema_version: Literal["1"] | None = stated('Version of this file format; write "1".')
    programme: ProgrammeInfo | None = stated("Identity and scope of the programme.")
    target_population: TargetPopulation | None = stated("Who the programme supports.")
    needs_assessment: NeedsAssessment | None = stated("How needs are assessed and met.")
    delivery: Delivery | None = stated("What is delivered, how and how much.")
    staff: list[StaffMember] | None = stated("Staff groups who deliver the programme.")
    formers: Formers | None = stated("Involvement of former extremists.")
    social_ecology: SocialEcology | None = stated("Work beyond the individual.")
    multi_agency: MultiAgency | None = stated("Partners and coordination.")
    community_and_reporting: CommunityAndReporting | None = stated(
        "Community involvement and support for people who raise concerns."
    )
    online: Online | None = stated("Online work, if any.")
    risk_assessment: RiskAssessment | None = stated("How risk is assessed and managed.")
    reintegration: Reintegration | None = stated("Parole and returnee work, if any.")
    evaluation: Evaluation | None = stated("How the programme is evaluated.")
    gender: Gender | None = stated("Gendered approaches.")
    continuity: Continuity | None = stated("Delivery under disruption.")
    waivers: list[WaiverEntry] | None = stated(
        "Gaps accepted for now, each with reason, approver and expiry date.", closed=True
    )
    sources: list[SourceLink] | None = stated("Documents behind this description.", closed=True)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme is within the review's scope: "
        "secondary_tertiary, mixed (also primary prevention) or primary_only."
    )
    @property
    def review_scope(self) -> Literal["secondary_tertiary", "mixed", "primary_only"] | None:
        stages = self.programme.stages if self.programme else None
        if not stages:
            return None
        if all(stage == "primary" for stage in stages):
            return "primary_only"
        return "mixed" if "primary" in stages else "secondary_tertiary"

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether formers take part (formers.used, or any staff is_former)."
    )
    @property
    def uses_formers(self) -> bool | None:
        if self.staff and any(member.is_former for member in self.staff):
            return True
        if self.formers is not None and self.formers.used is not None:
            return self.formers.used
        # Staff who are all not formers say nothing of formers elsewhere unless the staff
        # list is the whole team.
        if (
            self.staff
            and self.is_complete("staff")
            and all(member.is_former is False for member in self.staff)
        ):
            return False
        return None

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether formers deliver to participants or audiences (mentor, "
        "counsellor, messenger, trainer, online outreach, or on the staff), as against only "
        "advising, being consulted or appearing in existing content."
    )
    @property
    def formers_deliver(self) -> bool | None:
        # A former who only advises, informs research or appears in material the programme
        # reuses faces no audience, so the rules on training, credibility, motivations,
        # safety and supervision of delivery do not concern them.
        if self.staff and any(member.is_former for member in self.staff):
            return True
        if self.uses_formers is False:
            return False
        formers = self.formers
        roles = formers.roles if formers else None
        return listed(roles, formers.is_complete("roles") if formers else None, *DELIVERING_ROLES)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with individual cases: "
        "programme.works_with_individuals, or case_work in programme.kinds_of_work. Not assumed."
    )
    @property
    def has_caseload(self) -> bool | None:
        info = self.programme
        if info is None:
            return None
        kinds = listed(info.kinds_of_work, info.is_complete("kinds_of_work"), "case_work")
        if info.works_with_individuals is not None:
            return info.works_with_individuals  # the explicit answer wins, as for online work
        return kinds

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme does online work: programme.online_work, "
        "or online in settings, components or kinds of work, or online-only reach."
    )
    @property
    def has_online_component(self) -> bool | None:
        info = self.programme
        delivery = self.delivery
        signs = [
            listed(info.settings, info.is_complete("settings"), "online") if info else None,
            listed(info.kinds_of_work, None, "online_outreach") if info else None,
            listed(delivery.components, None, "online") if delivery else None,
            True if info is not None and info.geography == "online_only" else None,
            True if self.online is not None and self.online.components else None,
        ]
        # The explicit answer wins, so completing an open list never overrides it.
        if info is not None and info.online_work is not None:
            return info.online_work
        if any(sign is True for sign in signs):
            return True
        return False if signs[0] is False else None

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with people on parole or probation."
    )
    @property
    def works_with_parole(self) -> bool | None:
        info = self.programme
        if info is None:
            return None
        return listed(info.settings, info.is_complete("settings"), "parole", "probation")

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with returnees from conflict zones."
    )
    @property
    def works_with_returnees(self) -> bool | None:
        settings = self.programme.settings if self.programme else None
        population = self.target_population.includes_returnees if self.target_population else None
        if population is not None:
            return population  # the explicit answer wins over an open settings list
        return True if settings and "returnees" in settings else None

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme is tertiary (stage, or a prison/parole setting)."
    )
    @property
    def is_tertiary(self) -> bool | None:
        info = self.programme
        if info is None:
            return None
        if info.stages:
            # programme.stages is read as complete, so a stated list decides.
            return "tertiary" in info.stages
        return True if listed(info.settings, None, "prison", "probation", "parole") else None


DELIVERING_ROLES = ("mentor", "counsellor", "messenger", "trainer", "online_outreach")
"""Formers' roles that put them in front of participants or audiences."""


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


@cache
def field_order() -> dict[str, int]:
    """Each dotted field's place in the file's order (for sorting questions)."""
    return declaration_order(Programme)


def parse_programme(loaded: Loaded) -> Programme:
    """Validate loaded data as a Programme; raises InputError with one located issue per error."""
    try:
        return Programme.model_validate(loaded.data)
    except ValidationError as error:
        raise InputError(validation_issues(error, loaded.source_map, Programme)) from None


def programme_paths() -> frozenset[str]:
    """Every dotted path a rule may read: stated and derived fields, ``name[*]`` into lists."""
    return model_paths(Programme)


def programme_json_schema() -> dict[str, Any]:
    """The JSON Schema of a programme file, generated from the models and written for the
    editors practitioners fill it in with (see ``schema.for_editors``)."""
    from cvecheck.programme.schema import for_editors

    return for_editors(Programme.model_json_schema(mode="validation"))


def evaluation_view(programme: Programme) -> dict[str, Any]:
    """The data rules are evaluated on: stated values plus derived facts, absent keys omitted."""
    return programme.model_dump(mode="json", exclude_none=True)
