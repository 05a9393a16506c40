"""The whole programme: the root model, the facts derived across sections, and parsing.

A value means "stated"; ``false``, ``none`` or an empty list mean "stated absent". Unknown keys
and wrong types are input errors with a line and column (see ``parse_programme``). Facts that
combine several sections are computed fields of the root, so rules stay data; each is computed
by its plain function in ``facts``, the one the fast path uses. ``check`` meets these models
only to explain a file the shipped validation schema (``validation_schema``) refuses.
"""

from typing import Any, Literal

from pydantic import ConfigDict, ValidationError, computed_field

from cvecheck.loader import Loaded
from cvecheck.programme import facts
from cvecheck.programme.errors import validation_issues
from cvecheck.programme.fields import Section, open_lists, stated
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

    # Each derived fact is computed by the same plain function the fast path uses (facts.py).

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme is within the review's scope: "
        "secondary_tertiary, mixed (also primary prevention) or primary_only."
    )
    @property
    def review_scope(self) -> Literal["secondary_tertiary", "mixed", "primary_only"] | None:
        return facts.review_scope(self)  # type: ignore[return-value]

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether formers take part (formers.used, or any staff is_former)."
    )
    @property
    def uses_formers(self) -> bool | None:
        return facts.uses_formers(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether formers deliver to participants or audiences (mentor, "
        "counsellor, messenger, trainer, online outreach, or on the staff), as against only "
        "advising, being consulted or appearing in existing content."
    )
    @property
    def formers_deliver(self) -> bool | None:
        return facts.formers_deliver(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with individual cases: "
        "programme.works_with_individuals, or case_work in programme.kinds_of_work. Not assumed."
    )
    @property
    def has_caseload(self) -> bool | None:
        return facts.has_caseload(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme does online work: programme.online_work, "
        "or online in settings, components or kinds of work, or online-only reach."
    )
    @property
    def has_online_component(self) -> bool | None:
        return facts.has_online_component(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with people on parole or probation."
    )
    @property
    def works_with_parole(self) -> bool | None:
        return facts.works_with_parole(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme works with returnees from conflict zones."
    )
    @property
    def works_with_returnees(self) -> bool | None:
        return facts.works_with_returnees(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether the programme is tertiary (stage, or a prison/parole setting)."
    )
    @property
    def is_tertiary(self) -> bool | None:
        return facts.is_tertiary(self)


def parse_programme(loaded: Loaded) -> Programme:
    """Validate loaded data as a Programme; raises InputError with one located issue per error."""
    try:
        return Programme.model_validate(loaded.data)
    except ValidationError as error:
        raise InputError(validation_issues(error, loaded.source_map, Programme)) from None


def programme_json_schema() -> dict[str, Any]:
    """The JSON Schema of a programme file, generated from the models and written for the
    editors practitioners fill it in with (see ``schema.for_editors``)."""
    from cvecheck.programme.schema import for_editors

    return for_editors(Programme.model_json_schema(mode="validation"))


def validation_schema() -> dict[str, Any]:
    """The schema ``validation`` checks files against, generated from the models and shipped
    in the package (``layout.SCHEMA_FILE``, written by ``make generated``).

    It is the models' own JSON Schema with what only they enforce made explicit (a whole
    number carries ``x-whole-number``, see ``validation``) and without the words, which the
    check never shows: titles, defaults, descriptions (the top-level sections' kept, for the
    questions' headings). It is not the editors' schema (``programme_json_schema``).
    """
    schema: dict[str, Any] = _for_validation(
        Programme.model_json_schema(mode="validation"), top=True
    )
    return schema


def waiver_file_schema() -> dict[str, Any]:
    """The schema a commissioner's waiver file is checked against, made as
    ``validation_schema`` is (``layout.WAIVER_FILE_SCHEMA``, written by ``make generated``)."""
    from cvecheck.programme.sections import WaiverFile

    schema: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **_for_validation(WaiverFile.model_json_schema(mode="validation")),
    }
    return schema


_NAMED = {"properties", "$defs"}
_WORDS = {"title", "default", "description", "$id"}


def _for_validation(node: Any, *, top: bool = False) -> Any:
    if isinstance(node, list):
        return [_for_validation(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in _NAMED:
            result[key] = {
                name: _for_validation(sub, top=top and key == "properties")
                for name, sub in value.items()
            }
        elif key not in _WORDS or (key == "description" and top):
            result[key] = _for_validation(value)
    if result.get("type") == "integer":
        from cvecheck.programme.validation import WHOLE_NUMBER

        result[WHOLE_NUMBER] = True
    return result


def evaluation_view(programme: Programme) -> dict[str, Any]:
    """The data rules are evaluated on: stated values plus derived facts, absent keys omitted."""
    return programme.model_dump(mode="json", exclude_none=True)
