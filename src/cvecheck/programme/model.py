"""The whole programme: the root model, the facts derived across sections, and parsing.

A value means "stated"; ``false``, ``none`` or an empty list mean "stated absent". Unknown keys
and wrong types are input errors with a line and column (see ``parse_programme``). Facts that
combine several sections are computed fields of the root, so rules stay data.
"""

from typing import Any, Literal

from pydantic import ConfigDict, ValidationError, computed_field

from cvecheck.loader import Loaded
from cvecheck.programme.errors import validation_issues
from cvecheck.programme.fields import Section, stated
from cvecheck.programme.introspection import model_paths
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
        "Gaps accepted for now, each with reason, approver and expiry date."
    )
    sources: list[SourceLink] | None = stated("Documents behind this description.")

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether formers take part (formers.used, or any staff is_former)."
    )
    @property
    def uses_formers(self) -> bool | None:
        if self.staff and any(member.is_former for member in self.staff):
            return True
        if self.formers is not None and self.formers.used is not None:
            return self.formers.used
        if self.staff and all(member.is_former is False for member in self.staff):
            return False
        return None

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether formers work with participants or audiences, i.e. are on "
        "the staff or hold a role other than research informant."
    )
    @property
    def formers_deliver(self) -> bool | None:
        # A former who only informs research or design faces no audience, so the rules on
        # credibility, teaching skills and supervision of delivery do not concern them.
        if self.staff and any(member.is_former for member in self.staff):
            return True
        roles = self.formers.roles if self.formers else None
        if roles is None:
            return None
        return any(role != "research_informant" for role in roles)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with individual cases; true unless "
        "programme.works_with_individuals is false."
    )
    @property
    def has_caseload(self) -> bool:
        # Secondary and tertiary interventions work with individuals by definition; only a
        # campaign or awareness programme that says so is exempt from the case-work rules.
        return not (self.programme is not None and self.programme.works_with_individuals is False)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme has an online component."
    )
    @property
    def has_online_component(self) -> bool | None:
        settings = self.programme.settings if self.programme else None
        components = self.delivery.components if self.delivery else None
        if (settings and "online" in settings) or (components and "online" in components):
            return True
        if self.programme and self.programme.geography == "online_only":
            return True
        return False if settings is not None else None

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with people on parole or probation."
    )
    @property
    def works_with_parole(self) -> bool | None:
        settings = self.programme.settings if self.programme else None
        if settings is None:
            return None
        return "parole" in settings or "probation" in settings

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with returnees from conflict zones."
    )
    @property
    def works_with_returnees(self) -> bool | None:
        settings = self.programme.settings if self.programme else None
        population = self.target_population.includes_returnees if self.target_population else None
        if population or (settings and "returnees" in settings):
            return True
        if population is False:
            return False
        return None

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme is tertiary (stage, or a prison/parole setting)."
    )
    @property
    def is_tertiary(self) -> bool | None:
        info = self.programme
        if info is None or (info.stages is None and info.settings is None):
            return None
        if info.stages and "tertiary" in info.stages:
            return True
        settings = info.settings or []
        return any(s in settings for s in ("prison", "probation", "parole"))


DERIVED_FROM: dict[str, tuple[str, ...]] = {
    "uses_formers": ("formers",),
    "formers_deliver": ("formers", "roles"),
    "has_caseload": ("programme", "works_with_individuals"),
    "has_online_component": ("programme", "settings"),
    "works_with_parole": ("programme", "settings"),
    "works_with_returnees": ("target_population", "includes_returnees"),
    "is_tertiary": ("programme", "stages"),
}
"""Where in a file the facts behind each top-level derived field are stated, so a question
about one points at the place to answer it rather than at the top of the file."""


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
