"""The sections of a programme description, one model per block of the file.

Every field is optional: absent means "not stated", which rules turn into a question. Facts a
section can derive from its own fields (needs without an alternative, the number of partner
sectors...) are computed fields beside the fields they come from, each computed by its plain
function in ``facts`` (the one the fast path uses).
"""

from typing import Literal

from pydantic import Field, computed_field

from cvecheck.programme import facts
from cvecheck.programme.fields import IsoDate, Section, open_lists, stated

# --- programme -----------------------------------------------------------------------------

Stage = Literal["primary", "secondary", "tertiary"]
WorkKind = Literal[
    "case_work",
    "family_support",
    "group_work",
    "campaigns_and_content",
    "online_outreach",
    "training_professionals",
    "research",
]
Setting = Literal[
    "community",
    "school",
    "health",
    "family",
    "prison",
    "probation",
    "parole",
    "online",
    "returnees",
]


class Owner(Section):
    organisation: str | None = stated("Name of the organisation that runs the programme.")
    type: Literal["government", "ngo", "private", "academic", "mixed"] | None = stated(
        "Kind of organisation that owns the programme."
    )


@open_lists
class Funding(Section):
    sources: list[str] | None = stated("Who funds the programme.")
    secured_until: IsoDate | None = stated("Date until which funding is secured (YYYY-MM-DD).")


@open_lists
class ProgrammeInfo(Section):
    id: str | None = stated("A short identifier for the programme, stable across versions.")
    name: str | None = stated("The programme's name.")
    owner: Owner | None = stated("Who runs the programme.")
    country: str | None = stated("Country where it is delivered (name or ISO code; quote `NO`).")
    geography: Literal["national", "regional", "local", "online_only"] | None = stated(
        "Geographic reach of the programme."
    )
    version: str | None = stated("Version of this description, e.g. '2.1' (quote it).")
    status: Literal["design", "pilot", "operational", "closed"] | None = stated(
        "Stage of the programme's life."
    )
    start_date: IsoDate | None = stated("When delivery started or will start (YYYY-MM-DD).")
    stages: list[Stage] | None = stated(
        "Prevention stages served: secondary (people at risk) and/or tertiary (people already "
        "involved, incl. prison and parole). Read as complete: list every stage. The review "
        "covers secondary and tertiary work; a programme that is primary prevention only is "
        "out of its scope.",
        closed=True,
    )
    kinds_of_work: list[WorkKind] | None = stated(
        "What kinds of work the programme does. case_work is one-to-one work with referred "
        "people (mentoring, counselling, case management); online_outreach is one-to-one "
        "contact online."
    )
    works_with_individuals: bool | None = stated(
        "Does the programme work with individual people as cases (referrals, mentoring, "
        "one-to-one support)? Not assumed: write true or false, or list case_work in "
        "kinds_of_work."
    )
    online_work: bool | None = stated(
        "Does the programme do any online work (campaigns, adverts, outreach, chat, "
        "moderation)? Write true or false; the online rules wait on this answer."
    )
    settings: list[Setting] | None = stated("Where the programme works.")
    participation: Literal["voluntary", "mandated", "mixed"] | None = stated(
        "Whether people take part voluntarily or under a mandate (e.g. licence conditions)."
    )
    funding: Funding | None = stated("How the programme is funded.")
    description: str | None = stated("A plain description of the programme (about 300 words).")


# --- target population and ideology ---------------------------------------------------------

Ideology = Literal[
    "islamist",
    "far_right",
    "far_left",
    "ethno_nationalist",
    "separatist",
    "single_issue",
    "incel",
    "conspiracy",
    "mixed_unclear_unstable",
    "idiosyncratic",
    "school_massacre_fixation",
    "other",
]
GroupRole = Literal["leader", "ideologue", "middle", "follower", "sympathiser", "lone"]


class AgeRange(Section):
    min: int | None = stated("Youngest age served.", ge=0, le=120)
    max: int | None = stated("Oldest age served.", ge=0, le=120)


class NuanceExpertise(Section):
    available: bool | None = stated(
        "Does the team understand the differences between and within the ideologies it meets?"
    )
    source: str | None = stated("Where that expertise comes from (staff, advisers, training).")


class IdeologyHandling(Section):
    nuance_expertise: NuanceExpertise | None = stated(
        "Expertise in the nuances between and within ideological positions."
    )
    flexible_for_mixed_or_idiosyncratic: bool | None = stated(
        "Can the approach be tailored for people with mixed, unstable or idiosyncratic beliefs?"
    )
    emerging_ideologies_tracked: bool | None = stated(
        "Does the programme record new, mixed or idiosyncratic ideologies it meets and update its "
        "guidance as research on them emerges?"
    )


@open_lists
class TargetPopulation(Section):
    description: str | None = stated("Who the programme is for, in plain words.")
    age_range: AgeRange | None = stated("Ages served.")
    genders: list[Literal["male", "female", "non_binary", "any"]] | None = stated("Genders served.")
    ideologies: list[Ideology] | None = stated("Ideologies of the people the programme supports.")
    ideology_handling: IdeologyHandling | None = stated("How ideological differences are handled.")
    group_role_considered: bool | None = stated(
        "Is the role a person held in a group (leader, follower...) recorded and used in planning?"
    )
    role_categories_used: list[GroupRole] | None = stated(
        "Group roles the programme distinguishes."
    )
    includes_returnees: bool | None = stated(
        "Does the programme support people returning from conflict zones (e.g. Syria and Iraq)?"
    )
    includes_children: bool | None = stated("Does the programme support children?")


# --- needs assessment ------------------------------------------------------------------------

CoreNeed = Literal[
    "identity",
    "belonging",
    "significance",
    "purpose",
    "protection",
    "adventure",
    "material",
    "justice_grievance",
    "other",
]


class ProsocialAlternative(Section):
    need: CoreNeed = Field(description="The need that extremism was meeting.")
    alternative: str = Field(description="The prosocial way the programme offers to meet it.")


class PsychologicalSupport(Section):
    available: bool | None = stated("Is psychological support available to participants?")
    trauma_informed: bool | None = stated("Is the support trauma-informed?")
    clinicians: bool | None = stated("Are qualified clinicians involved?")
    for_returnees: bool | None = stated("Is there support for returnees' experiences of violence?")


class RapidContact(Section):
    available: bool | None = stated("Can staff make contact quickly when someone shows doubt?")
    max_response_hours: int | None = stated("Longest time to first contact, in hours.", ge=0)


class DisillusionmentResponse(Section):
    approach_uses_disillusionment: bool | None = stated(
        "Does the approach work with disillusionment with the movement?"
    )
    rapid_contact_capacity: RapidContact | None = stated(
        "Capacity to act on what may be fleeting moments of disillusionment."
    )


class FormerInsights(Section):
    used: bool | None = stated(
        "Are formers' accounts of engagement and disengagement used to design the programme?"
    )
    bias_limits_noted: bool | None = stated(
        "Are the limits of such accounts (recall and hindsight bias) noted and allowed for?"
    )


@open_lists
class NeedsAssessment(Section):
    method: str | None = stated("How needs are assessed (e.g. case-formulation interview).")
    core_needs_considered: list[CoreNeed] | None = stated(
        "Core needs the assessment looks for (identity, belonging, significance...)."
    )
    prosocial_alternatives: list[ProsocialAlternative] | None = stated(
        "Prosocial ways of meeting each need that extremism met."
    )
    unmet_basic_needs_common: bool | None = stated(
        "Do many participants arrive with unmet basic needs (housing, income, safety, health)?"
    )
    basic_needs_first: bool | None = stated(
        "Are basic needs (housing, income, safety, health) met before ideological work starts?"
    )
    psychological_support: PsychologicalSupport | None = stated("Psychological support on offer.")
    disillusionment_response: DisillusionmentResponse | None = stated(
        "How the programme responds to disillusionment."
    )
    former_insights_used_in_design: FormerInsights | None = stated(
        "Use of formers' experiences in programme design."
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: core needs considered that no listed prosocial alternative meets."
    )
    @property
    def needs_without_alternative(self) -> list[CoreNeed] | None:
        return facts.needs_without_alternative(self)  # type: ignore[return-value]


# --- delivery --------------------------------------------------------------------------------

Component = Literal[
    "mentoring",
    "counselling",
    "family_support",
    "theological",
    "ideological",
    "psychological",
    "education",
    "employment",
    "housing",
    "practical",
    "sport_diversion",
    "online",
]


class Dose(Section):
    sessions: str | None = stated("How many sessions, how often (free text).")
    duration_months: int | None = stated("Typical length of support in months.", ge=0)


@open_lists
class ExitAndAftercare(Section):
    post_exit_review: bool | None = stated("Is each case reviewed after it leaves the programme?")
    months: list[int] | None = stated("Months after exit at which reviews take place.")


@open_lists
class Delivery(Section):
    rationale_theory: str | None = stated("Why the approach should work (theory, evidence).")
    components: list[Component] | None = stated("What the programme delivers.")
    individual_case_plan: bool | None = stated(
        "Does each person get a case plan tailored to their individual and ecological factors?"
    )
    modes: list[Literal["face_to_face", "phone", "video", "messaging", "group"]] | None = stated(
        "How support is delivered."
    )
    dose: Dose | None = stated("How much support a person receives.")
    tailoring_rules: str | None = stated("How delivery is adapted to the person.")
    fidelity_monitoring: bool | None = stated("Is delivery checked against the design?")
    case_review_cadence_weeks: int | None = stated("Weeks between case reviews.", ge=0)
    exit_and_aftercare: ExitAndAftercare | None = stated("What happens when a case closes.")


# --- staff and formers -----------------------------------------------------------------------

StaffRole = Literal[
    "mentor",
    "case_manager",
    "counsellor",
    "psychologist",
    "theologian",
    "social_worker",
    "police",
    "probation",
    "online_moderator",
    "coordinator",
    "youth_worker",
    "other",
]


@open_lists
class StaffTraining(Section):
    topics: list[str] | None = stated("Training topics.")
    hours: int | None = stated("Hours of training.", ge=0)


class StaffMember(Section):
    role: StaffRole = Field(description="What this group of staff does.")
    count: int | None = stated("How many people hold this role.", ge=0)
    is_former: bool | None = stated("Are these people former extremists?")
    qualifications: str | None = stated("Qualifications required.")
    training: StaffTraining | None = stated("Training given.")
    vetting: bool | None = stated("Are they vetted before they start?")


class Credibility(Section):
    assessed: bool | None = stated(
        "Is each former's credibility with the target audience assessed before they are used?"
    )
    basis: str | None = stated("How credibility is judged.")


class FormerSelection(Section):
    credibility_with_target_audience: Credibility | None = stated("Credibility with the audience.")
    ideology_or_movement_match: Literal["yes", "partial", "no"] | None = stated(
        "Does the former come from the ideology or movement the programme addresses?"
    )
    specialist_knowledge_of_target_ideology: bool | None = stated(
        "Is the former's specialist knowledge of that ideology or movement checked?"
    )
    time_since_exit_years_min: int | None = stated(
        "Minimum years since leaving the movement.", ge=0
    )
    motivations_assessed: bool | None = stated(
        "Are the former's motivations for doing this work assessed?"
    )
    background_check: bool | None = stated("Is a background check done?")


@open_lists
class FormerRiskAndWellbeing(Section):
    physical_safety_plan: bool | None = stated(
        "Is there a plan for the physical risks a former may face (threats, retaliation)?"
    )
    emotional_risk_assessed: bool | None = stated(
        "Are the emotional risks of the work to the former (retraumatisation) assessed?"
    )
    support_available: (
        list[Literal["clinical_supervision", "peer_support", "counselling", "none"]] | None
    ) = stated("Support available to formers; `[none]` if there is none.")


class FormerTraining(Section):
    provided: bool | None = stated("Are formers trained before they deliver?")
    before_delivery: bool | None = stated("Is the training completed before any delivery?")
    pedagogical_skills: bool | None = stated("Does it cover teaching, facilitation, mentoring?")
    emotional_skills: bool | None = stated(
        "Does it cover emotional skills: self-care, boundaries, handling retraumatisation?"
    )
    safeguarding: bool | None = stated("Does it cover safeguarding?")
    online_work: bool | Literal["not_applicable"] | None = stated(
        "Does it cover working online (or `not_applicable` if formers do not work online)?"
    )
    hours: int | None = stated("Hours of training.", ge=0)
    delivered_by: str | None = stated("Who gives the training (organisation or role).")


class Supervision(Section):
    frequency: Literal["weekly", "fortnightly", "monthly", "quarterly", "none"] | None = stated(
        "How often formers receive supervision."
    )
    by: str | None = stated("Who supervises them.")


@open_lists
class Formers(Section):
    used: bool | None = stated("Does the programme involve former extremists in any role?")
    roles: (
        list[
            Literal[
                "mentor",
                "counsellor",
                "messenger",
                "trainer",
                "research_informant",
                "online_outreach",
                "adviser",
                "shown_in_content",
            ]
        ]
        | None
    ) = stated(
        "What formers do. Delivering roles: mentor, counsellor, messenger (in direct contact "
        "with an audience), trainer, online_outreach. Not delivering: adviser (advises staff "
        "or design), research_informant (interviewed or consulted), shown_in_content (appears "
        "in existing material the programme uses)."
    )
    selection: FormerSelection | None = stated("How formers are selected.")
    risk_and_wellbeing: FormerRiskAndWellbeing | None = stated(
        "Risks to formers and their support."
    )
    training: FormerTraining | None = stated("Training given to formers.")
    supervision: Supervision | None = stated("Supervision after training.")
    paired_with_professionals: bool | None = stated("Do formers work alongside professional staff?")
    contract_and_pay: Literal["paid", "volunteer", "mixed"] | None = stated(
        "Whether formers are paid."
    )


# --- social ecology --------------------------------------------------------------------------


class FamilyWork(Section):
    work_with_family: bool | None = stated("Does the programme work with families?")
    family_training: bool | None = stated("Are families given training in how to engage?")
    family_support: bool | None = stated("Are families supported in their own right?")


class PeerWork(Section):
    peer_network_skills: bool | None = stated(
        "Does the programme build preventative skills within peer networks?"
    )
    harmful_ties_management: bool | None = stated(
        "Does it help people step away from peers who pull them back into extremism?"
    )


class CommunityWork(Section):
    resilience_building: bool | None = stated("Does it build community resilience?")
    intercommunity_dialogue: bool | None = stated("Does it foster dialogue between communities?")

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether it builds community resilience or fosters dialogue."
    )
    @property
    def resilience_or_dialogue(self) -> bool | None:
        return facts.resilience_or_dialogue(self)


@open_lists
class SocialEcology(Section):
    individual: bool | None = stated("Does it address individual risk and protective factors?")
    family: FamilyWork | None = stated("Work with families.")
    peers: PeerWork | None = stated("Work with peer networks.")
    community: CommunityWork | None = stated("Work with the wider community.")
    socio_economic: (
        list[Literal["employment", "education", "housing", "benefits", "debt"]] | None
    ) = stated("Socio-economic needs addressed; `[]` if none.")
    structural_barriers_addressed: (
        list[
            Literal[
                "discrimination",
                "legal_status",
                "political_exclusion",
                "record_checks",
                "other",
            ]
        ]
        | None
    ) = stated("Structural barriers to prosocial life addressed; `[]` if none.")
    reintegration_support_in_place: bool | None = stated(
        "Before someone leaves, does the programme check that family and community support is in place?"
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether any work reaches beyond the individual: family, peers, "
        "community, socio-economic needs or structural barriers."
    )
    @property
    def beyond_individual(self) -> bool | None:
        return facts.beyond_individual(self)

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether socio-economic needs or structural barriers are addressed."
    )
    @property
    def addresses_structural_factors(self) -> bool | None:
        return facts.addresses_structural_factors(self)


# --- multi-agency ----------------------------------------------------------------------------

Sector = Literal[
    "police",
    "probation",
    "prison",
    "health",
    "mental_health",
    "education",
    "social_care",
    "local_gov",
    "ngo",
    "faith",
    "employment",
    "housing",
    "intelligence",
    "other",
]


class Coordinator(Section):
    role: str | None = stated("Title of the post that coordinates partners.")
    named_post: bool | None = stated("Is it a named, funded post (not a shared duty)?")


class Partner(Section):
    agency: str = Field(description="Name of the partner agency.")
    sector: Sector = Field(description="Sector the partner belongs to.")
    role: str | None = stated("What the partner contributes.")


@open_lists
class CasePanel(Section):
    exists: bool | None = stated("Is there a multi-agency panel that discusses cases?")
    chair: str | None = stated("Who chairs it.")
    members: list[str] | None = stated("Agencies that sit on it.")
    cadence_weeks: int | None = stated("Weeks between meetings.", ge=0)


class InformationSharing(Section):
    agreement: bool | None = stated("Is there a written information-sharing agreement?")
    legal_basis: str | None = stated("The legal basis for sharing (free text).")
    consent_model: str | None = stated("When consent is sought (free text).")


@open_lists
class Escalation(Section):
    exists: bool | None = stated("Is there a written route for escalating rising risk?")
    to: list[Literal["police", "security_service", "safeguarding", "health"]] | None = stated(
        "Where cases are escalated to."
    )


class Capacity(Section):
    caseload_per_worker: int | None = stated("Typical open cases per worker.", ge=0)
    staffing_gaps_recorded: bool | None = stated(
        "Are time and staff shortages recorded and reviewed?"
    )
    constraints_plan: bool | None = stated(
        "Is there a plan for delivering under time and staff shortages?"
    )


NeedKind = Literal[
    "mental_health",
    "physical_health",
    "substance_use",
    "family",
    "education",
    "employment",
    "housing",
    "finance",
    "community",
    "identity_or_faith",
    "other",
]


@open_lists
class MultiAgency(Section):
    lead_agency: str | None = stated("Agency accountable for the programme.")
    coordinator: Coordinator | None = stated("Who coordinates partners day to day.")
    partners: list[Partner] | None = stated("Partner agencies and their sectors.")
    case_panel: CasePanel | None = stated("The multi-agency case panel.")
    information_sharing: InformationSharing | None = stated("How partners share information.")
    escalation_protocol: Escalation | None = stated("How rising risk is escalated.")
    shared_risk_assessment: bool | None = stated(
        "Do partners use one shared risk assessment for each case?"
    )
    onward_referral_routes: list[str] | None = stated("Services people can be referred on to.")
    needs_without_partner: list[NeedKind] | None = stated(
        "Kinds of need found in cases that no partner or referral route covers; `[]` if every "
        "kind of need found is covered."
    )
    practitioner_feedback_loop: bool | None = stated(
        "Is there a regular way to learn from front-line providers working under constraints?"
    )
    capacity: Capacity | None = stated("Caseloads and staffing.")

    @computed_field(description="Derived: number of distinct sectors among the partners.")  # type: ignore[prop-decorator]
    @property
    def partner_sector_count(self) -> int | None:
        return facts.partner_sector_count(self)


# --- community engagement and reporting ------------------------------------------------------


class PreReportingAdvice(Section):
    available: bool | None = stated("Is advice available to people thinking of raising a concern?")
    channel: str | None = stated("Where that advice is given.")


class ReporterUpdates(Section):
    policy: Literal["yes", "limited", "no"] | None = stated(
        "Are people who raise a concern told what happened next?"
    )
    what_can_be_shared: str | None = stated("What can be shared with them (free text).")
    when: str | None = stated("When they are updated (for example within two weeks of a report).")


class PostReportingSupport(Section):
    updates_to_reporter: ReporterUpdates | None = stated("Updates after a report.")
    emotional_support: bool | None = stated(
        "Is emotional or psychological support offered to the person who reported?"
    )
    named_contact: bool | None = stated("Does the reporter get a named contact?")
    support_offered_by: str | None = stated(
        "Who offers that support (organisation or role), for example a family support worker."
    )


@open_lists
class ProceduralJustice(Section):
    reporter_treatment_standard: bool | None = stated(
        "Is there a written standard for treating people who report fairly and respectfully?"
    )
    reported_person_rights: bool | None = stated(
        "Are people who are reported told their rights, that support is voluntary, and how to complain?"
    )
    complaints_route: bool | None = stated("Is there a complaints route?")
    reporter_treatment: (
        list[
            Literal[
                "listened_to", "decisions_explained", "treated_with_respect", "decided_neutrally"
            ]
        ]
        | None
    ) = stated(
        "How people who raise a concern are treated: listened to, told how decisions are made, "
        "treated with respect, decided about neutrally; `[]` if none of these is promised."
    )


@open_lists
class CommunityAndReporting(Section):
    receives_concerns: bool | None = stated(
        "Does the programme receive concerns raised by family, friends or community members?"
    )
    stakeholders_in_design: bool | None = stated(
        "Were community stakeholders involved in designing the programme?"
    )
    stakeholders_in_delivery: bool | None = stated(
        "Are community stakeholders involved in delivering it?"
    )
    reporting_channels: (
        list[
            Literal[
                "helpline", "online_form", "local_police", "ngo", "school", "faith_leader", "other"
            ]
        ]
        | None
    ) = stated("Ways a concern can be raised.")
    pre_reporting_advice: PreReportingAdvice | None = stated("Advice before reporting.")
    post_reporting_support: PostReportingSupport | None = stated("Support after reporting.")
    procedural_justice: ProceduralJustice | None = stated("Fair treatment of everyone involved.")
    confidentiality_statement: bool | None = stated(
        "Is there a published statement of how reporters' identities are protected?"
    )


# --- online ----------------------------------------------------------------------------------

OnlineMetric = Literal[
    "views",
    "impressions",
    "clicks",
    "followers",
    "shares",
    "likes",
    "comments",
    "watch_time",
    "click_through_rate",
]
OutcomeType = Literal[
    "reach",
    "engagement",
    "attitudinal",
    "behavioural",
    "wellbeing",
    "social_ties",
    "employment",
    "recidivism",
    "risk_score_change",
    "help_seeking",
    "other",
]


class Platform(Section):
    name: str = Field(description="Platform name.")
    category: Literal["mainstream", "alternative", "encrypted_messaging", "gaming", "search"] = (
        Field(description="Kind of platform; `alternative` covers fringe sites.")
    )


class Targeting(Section):
    method: Literal["keywords", "network_mapping", "self_referral", "broad", "other"] | None = (
        stated("How the audience is found.")
    )
    tailored_per_platform: bool | None = stated("Is the approach tailored for each platform?")


class Messenger(Section):
    type: Literal[
        "former", "survivor", "peer", "religious_scholar", "professional", "influencer", "other"
    ] = Field(description="Who delivers the messages.")
    credibility_rationale: str | None = stated("Why this audience will find them credible.")


class CoDesign(Section):
    in_development: bool | None = stated("Does the target group help develop the messages?")
    in_delivery: bool | None = stated("Does the target group help deliver them?")


@open_lists
class StaffOnlineTraining(Section):
    provided: bool | None = stated("Do staff who work online receive formal training for it?")
    topics: list[str] | None = stated("Training topics.")


@open_lists
class OnlineOfflineIntegration(Section):
    handoff_to_offline: bool | None = stated(
        "Can someone engaged online be handed on to offline support?"
    )
    coordinated_with: list[str] | None = stated(
        "Offline services the online work coordinates with."
    )


class OutcomeMeasure(Section):
    name: str = Field(description="What is measured.")
    type: OutcomeType = Field(description="Kind of measure; reach and engagement are not impact.")


@open_lists
class OnlineEvaluation(Section):
    metrics_reported: list[OnlineMetric] | None = stated(
        "Platform figures reported (views, clicks...). These measure reach, not impact."
    )
    outcome_measures: list[OutcomeMeasure] | None = stated(
        "Measures of change in the audience; `[]` if only reach is measured."
    )
    baseline: bool | None = stated("Is a baseline taken before the campaign?")
    comparison: Literal["none", "pre_post", "matched", "rct", "qualitative_only"] | None = stated(
        "Design used to show change."
    )
    evaluator: Literal["none", "internal", "independent", "academic_partner"] | None = stated(
        "Who evaluates the online work."
    )
    negative_effects_monitored: bool | None = stated(
        "Are backfire and harm to the audience monitored?"
    )


@open_lists
class Online(Section):
    components: (
        list[
            Literal[
                "counter_narrative_campaign",
                "redirect_ads",
                "one_to_one_outreach",
                "helpline_chat",
                "moderation",
                "education",
            ]
        ]
        | None
    ) = stated("What the online work does.")
    platforms: list[Platform] | None = stated("Platforms used.")
    targeting: Targeting | None = stated("How the audience is reached.")
    messengers: list[Messenger] | None = stated("Who delivers messages.")
    content_resonance_tested: bool | None = stated(
        "Is content tested with the target audience before release?"
    )
    participatory_co_design: CoDesign | None = stated("Involvement of the target group.")
    staff_online_training: StaffOnlineTraining | None = stated("Training for online work.")
    online_offline_integration: OnlineOfflineIntegration | None = stated(
        "How online and offline work join up."
    )
    online_safeguarding_protocol: bool | None = stated(
        "Is there a protocol for safeguarding concerns that arise online?"
    )
    campaign_audience_stage: (
        list[Literal["general_public", "early_stage", "supports_violence"]] | None
    ) = stated(
        "Who counter-narrative campaigns are aimed at: the general public, people in the early "
        "stages of radicalisation, or people who already support violence."
    )
    evaluation: OnlineEvaluation | None = stated("How the online work is evaluated.")

    @computed_field(  # type: ignore[prop-decorator]
        description="Derived: whether any platform used is alternative, encrypted or gaming."
    )
    @property
    def uses_alternative_platforms(self) -> bool | None:
        return facts.uses_alternative_platforms(self)


# --- risk ------------------------------------------------------------------------------------

RiskTool = Literal[
    "VERA-2R", "ERG22+", "VAF", "TRAP-18", "IR46", "RADAR-iTE", "MLG2", "none", "other"
]
DataSource = Literal[
    "self_report",
    "family",
    "case_notes",
    "police",
    "intelligence",
    "online_activity",
    "professional_observation",
    "prison_records",
]


class Accountability(Section):
    decisions_logged: bool | None = stated("Are risk decisions and their reasons recorded?")
    supervision_or_case_review: bool | None = stated(
        "Are assessors' decisions reviewed in supervision or case review?"
    )


@open_lists
class RiskAssessment(Section):
    tools: list[RiskTool] | None = stated("Structured tools used; `[none]` if none.")
    assessors_trained: bool | None = stated("Are assessors trained in the tools they use?")
    triangulation_training: bool | None = stated(
        "Are assessors trained to triangulate assessments with different kinds of data?"
    )
    holistic_domains: (
        list[
            Literal[
                "ideology",
                "social_context",
                "capability",
                "motivation",
                "protective_factors",
                "mental_health",
                "personal_history",
            ]
        ]
        | None
    ) = stated("Domains the assessment covers.")
    data_sources: list[DataSource] | None = stated("Kinds of data assessments draw on.")
    review_cadence_weeks: int | None = stated("Weeks between risk reviews.", ge=0)
    accountability: Accountability | None = stated("How assessors are held accountable.")
    guidance_against_risk_aversion: bool | None = stated(
        "Do assessors get support and guidance that discourages an overly risk-averse approach?"
    )

    @computed_field(description="Derived: number of distinct kinds of data used.")  # type: ignore[prop-decorator]
    @property
    def data_source_count(self) -> int | None:
        return facts.data_source_count(self)


# --- reintegration ---------------------------------------------------------------------------


class Parole(Section):
    trust_building_with_parolee: bool | None = stated(
        "Do providers work to build trust with the parolee?"
    )
    family_engagement: bool | None = stated("Do providers build trust with the parolee's family?")
    family_training_support: bool | None = stated(
        "Are families trained and supported in how to engage with the parolee?"
    )
    radicalising_ties_present: bool | None = stated(
        "Do some parolees have peers or relatives who may have contributed to their radicalisation?"
    )
    disengage_from_radicalising_ties: bool | None = stated(
        "Are there steps to stop re-engagement with peers or relatives who contributed to radicalisation?"
    )


@open_lists
class Returnees(Section):
    cross_field_expertise: (
        list[Literal["refugee_research", "war_affected_communities", "trauma", "child_protection"]]
        | None
    ) = stated("Fields of expertise drawn on; `[]` if none.")
    communication_of_aims: bool | None = stated(
        "Are the programme's aims communicated carefully to the local community?"
    )
    community_buy_in_measures: bool | None = stated(
        "Are there steps to win local community buy-in?"
    )
    trauma_support: bool | None = stated("Is trauma support available to returnees?")


class Reintegration(Section):
    parole: Parole | None = stated("Work with people on parole or probation licence.")
    returnees: Returnees | None = stated("Work with returnees from conflict zones.")


# --- evaluation, gender, continuity ----------------------------------------------------------


class TheoryOfChange(Section):
    exists: bool | None = stated("Is there a written theory of change?")
    link: str | None = stated("Where it can be read.")


@open_lists
class Evaluation(Section):
    theory_of_change: TheoryOfChange | None = stated("The programme's theory of change.")
    outcome_measures: list[OutcomeMeasure] | None = stated("Outcomes measured; `[]` if none.")
    baseline: bool | None = stated("Is a baseline taken at entry?")
    comparison: Literal["none", "pre_post", "matched", "rct", "qualitative_only"] | None = stated(
        "Design used to show change."
    )
    independent_evaluator: bool | None = stated("Is the evaluation independent of the provider?")
    service_user_voice: bool | None = stated(
        "Does the evaluation hear from the people who receive support (e.g. interviews)?"
    )
    negative_effects_monitored: bool | None = stated("Are harms and backfire effects monitored?")
    follow_up_months: int | None = stated("Months of follow-up after exit.", ge=0)
    published: bool | None = stated("Are evaluation findings published?")


class Gender(Section):
    gender_analysis: bool | None = stated("Has the programme analysed how gender shapes its cases?")
    gender_specific_components: bool | None = stated("Are there gender-specific components?")
    female_providers_available: bool | None = stated("Can participants work with female providers?")


class Continuity(Section):
    remote_delivery_capability: bool | None = stated(
        "Can support continue remotely (phone, video) if face-to-face work stops?"
    )
    pandemic_or_disruption_plan: bool | None = stated(
        "Is there a plan for disruption such as a pandemic?"
    )


class WaiverEntry(Section):
    rule: str = Field(description="Id of the rule whose gap is accepted, e.g. FRM002.")
    reason: str = Field(min_length=1, description="Why the gap is accepted for now.")
    approved_by: str = Field(min_length=1, description="Who approved the waiver (name or role).")
    expires: IsoDate = Field(description="Date after which the waiver no longer applies.")


class CommissionedWaiver(WaiverEntry):
    """A waiver in a commissioner's waiver file (``waivers.read_waiver_file``)."""

    programme: str | None = Field(
        default=None,
        description="The programme.id this waiver is for; without it, every programme checked.",
    )


class WaiverFile(Section):
    """A commissioner's waiver file: ``waivers:`` and a list of waivers."""

    waivers: list[CommissionedWaiver] = Field(default_factory=list)


class SourceLink(Section):
    title: str = Field(description="Title of the document.")
    url: str | None = stated("Where it can be found.")
